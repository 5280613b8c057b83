"""``innesto measure``: measures on a panel, written to CSV.

``innesto measure lq`` writes location quotients and ``innesto measure shift-share`` a
shift-share decomposition; other families add their commands to :data:`measure_app`
(e.g. ``innesto measure complexity`` from :mod:`innesto.cli.measure_complexity`).
The commands only parse options, call :mod:`innesto.measures` and write the result
atomically (a temporary file renamed into place), so a failed run leaves no file behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from innesto._atomic import atomic_path
from innesto.cli.common import LANG, err_console, handle_errors, load_panel
from innesto.i18n import nplural, tr, user_lang

if TYPE_CHECKING:  # pandas is imported by the measures when a command runs
    import pandas as pd

    from innesto.panel import Panel

measure_app = typer.Typer(
    name="measure",
    help=tr(LANG, "Measures on a panel (location quotients, shift-share, complexity), written "
            "to CSV."),
    no_args_is_help=True,
)

PanelArg = Annotated[str, typer.Argument(
    metavar="PANEL_OR_CSV",
    help=tr(LANG, "A panel written by `innesto ingest` (Parquet) or a source file a reader knows."))]
RegionCol = Annotated[str | None, typer.Option("--region", help=tr(LANG, "Column holding the region."))]
IndustryCol = Annotated[str | None, typer.Option("--industry",
                                                 help=tr(LANG, "Column holding the industry."))]
TimeCol = Annotated[str | None, typer.Option("--time", help=tr(LANG, "Column holding the period."))]
ValueCol = Annotated[str | None, typer.Option("--value", help=tr(LANG, "Column holding the value."))]
FormatOpt = Annotated[str, typer.Option("--format", help=tr(LANG, "Reader to use (default: sniff)."))]
TotalOpt = Annotated[str | None, typer.Option(
    "--total-industry",
    help=tr(LANG, "Industry holding each region's total (e.g. TOTAL), instead of the sum."))]
OutputOpt = Annotated[Path, typer.Option("-o", "--output", help=tr(LANG, "CSV file to write."))]
# the selection options every measure takes (innesto.measures._structure.Selection)
RegionsOpt = Annotated[str | None, typer.Option(
    "--regions", help=tr(LANG, "Comma-separated regions to measure (default: all)."))]
IndustriesOpt = Annotated[str | None, typer.Option(
    "--industries", help=tr(LANG, "Comma-separated industries to measure (default: all)."))]
PeriodOpt = Annotated[str | None, typer.Option(
    "--period", help=tr(LANG, "Comma-separated periods to measure (default: all)."))]
ReferenceOpt = Annotated[str | None, typer.Option(
    "--reference-region",
    help=tr(LANG, "Region whose row is the benchmark (e.g. IT); default: all regions summed."))]


def codes(text: str | None) -> list[str] | None:
    """``"A,B-E, F"`` -> ``["A", "B-E", "F"]``; ``None`` stays ``None``."""
    return [s.strip() for s in text.split(",") if s.strip()] if text else None


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` to ``path`` as CSV atomically (temporary file, then rename)."""
    with atomic_path(path, suffix=".csv") as tmp:
        df.to_csv(tmp, index=False)
    return path


def _load(src: str, fmt: str, region: str | None, industry: str | None, time: str | None,
          value: str | None) -> Panel:
    return load_panel(src, format=fmt, region=region, industry=industry, time=time,
                      value=value)


@measure_app.command("lq", help=tr(LANG, "Location quotients (region, industry, time, lq); "
                                  "default benchmark: all regions."))
@handle_errors
def lq_command(
    panel: PanelArg,
    output: OutputOpt,
    region: RegionCol = None,
    industry: IndustryCol = None,
    time: TimeCol = None,
    value: ValueCol = None,
    format: FormatOpt = "auto",
    reference_region: ReferenceOpt = None,
    total_industry: TotalOpt = None,
    regions: RegionsOpt = None,
    industries: IndustriesOpt = None,
    period: PeriodOpt = None,
) -> None:
    from innesto.measures.specialisation import location_quotient

    p = _load(panel, format, region, industry, time, value)
    out = location_quotient(p, regions=codes(regions), industries=codes(industries),
                            period=codes(period), reference_region=reference_region,
                            total_industry=total_industry)
    write_csv(out[["region", "industry", "time", "lq"]], output)
    err_console.print(nplural(user_lang(), "wrote %(n)d location quotient to %(file)s",
                              "wrote %(n)d location quotients to %(file)s", len(out),
                              file=output), highlight=False)


@measure_app.command("shift-share", help=tr(LANG, "Shift-share components per industry and "
                                           "overall (total = sum of components)."))
@handle_errors
def shift_share_command(
    panel: PanelArg,
    output: OutputOpt,
    focus: Annotated[str, typer.Option("--focus", help=tr(LANG, "Region analysed (a region code of the panel)."))],
    reference: Annotated[str, typer.Option("--reference",
                                           help=tr(LANG, "Benchmark region (e.g. IT)."))],
    start: Annotated[str, typer.Option("--start", help=tr(LANG, "First period (e.g. 2008)."))],
    end: Annotated[str, typer.Option("--end", help=tr(LANG, "Last period (e.g. 2017)."))],
    method: Annotated[str, typer.Option(
        "--method", help=tr(LANG, "classic, esteban-marquillas or dynamic."))] = "classic",
    industries: Annotated[str | None, typer.Option(
        "--industries",
        help=tr(LANG, "Comma-separated industries that partition the total (e.g. A,B-E,F,...)."),
    )] = None,
    total_industry: TotalOpt = None,
    region: RegionCol = None,
    industry: IndustryCol = None,
    time: TimeCol = None,
    value: ValueCol = None,
    format: FormatOpt = "auto",
) -> None:
    from innesto.measures.shift_share import Method, shift_share
    from innesto.plan.i18n import fmt_number

    p = _load(panel, format, region, industry, time, value)
    out = shift_share(p, focus=focus, reference_region=reference, start=start, end=end,
                      method=cast("Method", method),  # shift_share checks the value
                      total_industry=total_industry, industries=codes(industries))
    write_csv(out, output)
    overall = out.iloc[-1]
    err_console.print(nplural(
        user_lang(), "%(focus)s vs %(reference)s, %(start)s-%(end)s (%(method)s): total change "
        "%(total)s; wrote %(n)d industry and the overall row to %(file)s",
        "%(focus)s vs %(reference)s, %(start)s-%(end)s (%(method)s): total change %(total)s; "
        "wrote %(n)d industries and the overall row to %(file)s", len(out) - 1, focus=focus,
        reference=reference, start=start, end=end, method=method,
        total=lambda lang: fmt_number(float(overall["total"]), lang, digits=1), file=output),
        highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``innesto measure`` (and the measure commands of other families) to ``app``."""
    from innesto.cli import measure_complexity

    measure_complexity.register(measure_app)  # idempotent: adds `complexity` once
    app.add_typer(measure_app, name="measure")
