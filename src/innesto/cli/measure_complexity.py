"""``innesto measure complexity``: ECI/PCI, diversity/ubiquity and relatedness density.

Writes three CSV files into ``OUTDIR``: ``regions.csv`` (region, time, diversity, eci),
``industries.csv`` (industry, time, ubiquity, pci) and ``density.csv`` (region, industry,
time, rca, m, density). Everything is computed before anything is written, and each file
is written atomically, so a failed run leaves no half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from innesto.cli.common import LANG, ProgressBars, Quiet, err_console, handle_errors
from innesto.cli.measure import (
    FormatOpt,
    IndustriesOpt,
    IndustryCol,
    PanelArg,
    PeriodOpt,
    RegionCol,
    RegionsOpt,
    TimeCol,
    ValueCol,
    _load,
    codes,
    write_csv,
)
from innesto.errors import InnestoError, MeasureError
from innesto.i18n import msg, nplural, tr, user_lang
from innesto.panel import Panel

MethodOpt = Annotated[str, typer.Option(
    "--method",
    help=tr(LANG, "eigen (default), reflections, fitness (eci/pci hold fitness/complexity) or "
         "ecomplexity (reproduces the Stata command)."))]
OutDirOpt = Annotated[Path, typer.Option("-o", "--output", help=tr(LANG, "Folder to write the CSV files into."))]


def complexity_command(
    panel: PanelArg,
    output: OutDirOpt,
    region: RegionCol = None,
    industry: IndustryCol = None,
    time: TimeCol = None,
    value: ValueCol = None,
    format: FormatOpt = "auto",
    method: MethodOpt = "eigen",
    threshold: Annotated[float, typer.Option(
        "--threshold", help=tr(LANG, "RCA cut-off for a specialisation (M = 1)."))] = 1.0,
    diagonal: Annotated[float, typer.Option(
        "--diagonal", help=tr(LANG, "Proximity diagonal used in density: 0 (Stata, EconGeo) or 1."))] = 0.0,
    regions: RegionsOpt = None,
    industries: IndustriesOpt = None,
    period: PeriodOpt = None,
    engine: Annotated[str, typer.Option(
        "--engine", help=tr(LANG, "duckdb (default) or spark: where the rows are cleaned and "
                         "summed before the matrix stage, as in `innesto pipeline`."))] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(
        "--spark-master", help=tr(LANG, "Spark master URL (default local[*]); needs --engine spark."),
    )] = None,
    quiet: Quiet = False,
) -> None:
    from innesto.measures.complexity import METHODS, Method, complexity
    from innesto.measures.relatedness import relatedness_density

    if method not in METHODS:
        raise MeasureError(msg("%(option)s '%(value)s': expected %(choices)s",
                               option="--method", value=method, choices=", ".join(METHODS)))
    if engine not in ("duckdb", "spark"):
        raise InnestoError(msg("%(option)s '%(value)s': expected %(choices)s",
                               option="--engine", value=engine, choices="duckdb, spark"))
    if spark_master and engine != "spark":
        raise InnestoError(msg("--spark-master needs --engine spark"))
    chosen_r, chosen_i, chosen_t = codes(regions), codes(industries), codes(period)
    lang = user_lang()
    with ProgressBars(quiet) as bars:
        with bars.step(tr(lang, "read %(file)s", file=Path(panel).name)):
            p = _load(panel, format, region, industry, time, value)
        with bars.step(tr(lang, "clean and sum on %(engine)s", engine=engine)):
            p = _on_engine(p, engine, spark_master)
        with bars.step(tr(lang, "complexity (%(method)s)", method=method)):
            result = complexity(p, method=cast("Method", method),
                                threshold=threshold, regions=chosen_r,
                                industries=chosen_i, period=chosen_t)
        with bars.step(tr(lang, "relatedness density")):
            dens = relatedness_density(p, threshold=threshold, diagonal=diagonal,
                                       strict=method == "ecomplexity", regions=chosen_r,
                                       industries=chosen_i, period=chosen_t)
    output.mkdir(parents=True, exist_ok=True)
    write_csv(result.regions[["region", "time", "diversity", "eci"]], output / "regions.csv")
    write_csv(result.industries[["industry", "time", "ubiquity", "pci"]],
              output / "industries.csv")
    write_csv(dens[["region", "industry", "time", "rca", "m", "density"]], output / "density.csv")
    n_t = result.regions["time"].nunique()
    err_console.print(
        f"{method}: " + tr(lang, "%(regions)s and %(industries)s over %(periods)s; wrote "
                           "regions.csv, industries.csv and density.csv to %(folder)s",
                           regions=nplural(lang, "%(n)d region row", "%(n)d region rows",
                                           len(result.regions)),
                           industries=nplural(lang, "%(n)d industry row", "%(n)d industry rows",
                                              len(result.industries)),
                           periods=nplural(lang, "%(n)d period", "%(n)d periods", n_t),
                           folder=output), highlight=False)


def _on_engine(panel: Panel, engine: str, master: str | None) -> Panel:
    """The panel's rows cleaned and summed by the relational stage of ``engine`` (the same
    stage `innesto pipeline` runs), back as a panel for the matrix stage."""
    from innesto.engines.base import connect
    from innesto.engines.flow import relational_stage
    eng = connect(engine, master=master)
    try:
        expr, _ = relational_stage(eng, panel)
        table = expr.to_pyarrow()
    finally:
        eng.close()
    return Panel.from_arrow(table.select(["region", "industry", "time", "value"]),
                            meta=panel.meta)


def register(measure_app: typer.Typer) -> None:
    """Add ``complexity`` to ``innesto measure`` (idempotent)."""
    if any(c.name == "complexity" for c in measure_app.registered_commands):
        return
    measure_app.command("complexity", help=tr(
        LANG, "Economic complexity (ECI, PCI) and relatedness density, per period."))(
        handle_errors(complexity_command))
