"""``innesto ingest SRC -o PANEL.parquet``: read any source file a reader knows into a panel.

The reader is named with ``--format`` or found by sniffing the file; its report (rows
read and kept, every flagged, missing, confidential or corrupt cell by reason) is printed,
and optionally written as JSON. The panel is written atomically (temporary file, then
rename), so a failed run leaves no output file behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from innesto._atomic import write_text
from innesto.cli.common import LANG, ProgressBars, Quiet, console, handle_errors
from innesto.errors import InnestoError
from innesto.i18n import msg, nmsg, tr, user_lang


def parse_options(pairs: list[str] | None) -> dict[str, str]:
    """``["unit=THS", "geo=IT,ITC11"]`` -> ``{"unit": "THS", "geo": "IT,ITC11"}``."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InnestoError(msg("reader option '%(pair)s' is not KEY=VALUE (e.g. unit=THS)",
                                   pair=pair))
        out[key.strip()] = value.strip()
    return out


def write_json_atomic(data: Any, path: Path) -> None:
    """Write ``data`` as indented UTF-8 JSON to ``path`` atomically."""
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False))


def list_formats_callback(value: bool) -> None:
    if value:
        from innesto.sources.registry import formats

        for name, desc in formats().items():
            console.print(f"{name:16} {desc}", highlight=False)
        raise typer.Exit()


@handle_errors
def ingest_command(
    src: Annotated[Path, typer.Argument(metavar="SRC", help=tr(LANG, "The source file to read."))],
    output: Annotated[Path, typer.Option("-o", "--output", help=tr(LANG, "Panel (Parquet) to write."))],
    format: Annotated[str, typer.Option(
        "--format", help=tr(LANG, "Reader: auto (sniff), eurostat-tsv, sdmx-csv, eurostat-sbs, wide, "
        "csv, ... (see --list-formats)."))] = "auto",
    region: Annotated[str | None, typer.Option("--region", help=tr(LANG, "Region column."))] = None,
    industry: Annotated[str | None, typer.Option("--industry", help=tr(LANG, "Industry column."))] = None,
    time: Annotated[str | None, typer.Option("--time", help=tr(LANG, "Period column."))] = None,
    value: Annotated[str | None, typer.Option("--value", help=tr(LANG, "Value column."))] = None,
    option: Annotated[list[str] | None, typer.Option(
        "--option", "-O", metavar="KEY=VALUE",
        help=tr(LANG, "Other reader option, repeatable: e.g. -O unit=THS -O geo=DE,DE21."))] = None,
    decimal: Annotated[str | None, typer.Option(
        "--decimal", help=tr(LANG, "Decimal mark of the values: '.' or ',' (default: detected per "
        "column; an undecidable column is refused with its line)."))] = None,
    report_json: Annotated[Path | None, typer.Option(
        "--report-json", help=tr(LANG, "Also write the read report as JSON here."))] = None,
    list_formats: Annotated[bool, typer.Option(
        "--list-formats", is_eager=True, callback=list_formats_callback,
        help=tr(LANG, "List the readers and exit."))] = False,
    quiet: Quiet = False,
) -> None:
    from innesto.sources.registry import read

    opts: dict[str, Any] = parse_options(option)
    opts.update({k: v for k, v in
                 (("region", region), ("industry", industry), ("time", time), ("value", value),
                  ("decimal", decimal))
                 if v is not None})
    lang = user_lang()
    with ProgressBars(quiet) as bars, bars.step(tr(lang, "read %(file)s", file=src.name)):
        panel, report = read(src, format=format, **opts)
    console.print(report.summary(lang), highlight=False, soft_wrap=True)
    if panel.n_rows == panel.n_missing:
        raise InnestoError(nmsg(
            "%(file)s: no value could be read (%(n)d cell, missing, confidential or corrupt: "
            "see the report above); nothing written",
            "%(file)s: no value could be read (%(n)d cells, all missing, confidential or "
            "corrupt: see the report above); nothing written", panel.n_rows, file=src))
    try:
        panel.write_parquet(output)
        if report_json is not None:
            write_json_atomic(
                {**report.to_dict(), "panel": {
                    "path": str(output), "rows": panel.n_rows, "missing": panel.n_missing,
                    "regions": len(panel.regions), "industries": len(panel.industries),
                    "periods": panel.times, **panel.meta.__dict__}},
                report_json,
            )
    except OSError as exc:
        raise InnestoError(msg("cannot write %(file)s: %(reason)s", file=exc.filename or output,
                               reason=exc.strerror)) from None
    console.print(tr(lang, "wrote %(file)s: %(panel)s", file=output, panel=repr(panel)),
                  highlight=False, soft_wrap=True)
    if panel.meta.attribution:
        console.print(panel.meta.attribution, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``innesto ingest`` to the root app."""
    app.command("ingest", help=tr(LANG, "Read SRC into a panel (Parquet) with the named or "
                                  "sniffed reader; print its report."))(ingest_command)
