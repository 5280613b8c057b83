"""``innesto pipeline INPUT -o OUTDIR``: the whole pipeline on DuckDB (default) or Spark.

INPUT is a panel written by ``innesto ingest``, any Parquet/CSV table with region,
industry, time and value columns (name them with ``--region`` etc.), a microdata table
(``--microdata``: one row per unit and code, with ``--unit`` and optional ``--weight``), or
any source file a reader knows (read first with the reader registry). The relational stage
runs on the engine; the matrix stage (RCA, M, diversity/ubiquity, ECI/PCI, proximity,
density) per period, inside the cluster on Spark. OUTDIR receives ``cells.parquet``,
``regions.parquet``, ``industries.parquet`` and ``proximity.parquet``, each written
atomically.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from innesto.cli.common import (
    LANG,
    ProgressBars,
    Quiet,
    console,
    err_console,
    handle_errors,
    load_panel,
)
from innesto.errors import InnestoError
from innesto.i18n import Message, localize, msg, nplural, tr, user_lang

_DIRECT = (".parquet", ".csv", ".csv.gz")


@handle_errors
def pipeline_command(
    src: Annotated[Path, typer.Argument(metavar="PANEL_OR_MICRODATA",
                                        help=tr(LANG, "Panel, table or microdata (Parquet/CSV)."))],
    output: Annotated[Path, typer.Option("-o", "--output", help=tr(LANG, "Folder for the tables."))],
    engine: Annotated[str, typer.Option("--engine", help=tr(LANG, "duckdb (default) or spark."))] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(
        "--spark-master", help=tr(LANG, "Spark master URL (local[*], spark://host:7077, yarn)."))] = None,
    region: Annotated[str, typer.Option("--region", help=tr(LANG, "Region column."))] = "region",
    industry: Annotated[str, typer.Option("--industry", help=tr(LANG, "Industry column."))] = "industry",
    time: Annotated[str, typer.Option("--time", help=tr(LANG, "Period column ('' for none)."))] = "time",
    value: Annotated[str, typer.Option("--value", help=tr(LANG, "Value column (tables)."))] = "value",
    microdata: Annotated[bool, typer.Option(
        "--microdata", help=tr(LANG, "INPUT has one row per unit (firm, patent) and code."))] = False,
    unit: Annotated[str, typer.Option("--unit", help=tr(LANG, "Unit column (microdata)."))] = "unit",
    weight: Annotated[str | None, typer.Option(
        "--weight", help=tr(LANG, "Weight column, e.g. employees (microdata; 1 per row if absent)."))
    ] = None,
    count: Annotated[str, typer.Option(
        "--count", help=tr(LANG, "Microdata cells: 'weight' (sum) or 'units' (distinct units)."))
    ] = "weight",
    level: Annotated[int | None, typer.Option(
        "--level", help=tr(LANG, "Aggregate industry codes to their first N characters."))] = None,
    threshold: Annotated[float, typer.Option("--threshold", help=tr(LANG, "RCA cut-off for M."))] = 1.0,
    diagonal: Annotated[float, typer.Option(
        "--diagonal", help=tr(LANG, "Proximity of an industry to itself (0 Stata/EconGeo, 1 py-ecomplexity)."))
    ] = 0.0,
    path: Annotated[str, typer.Option("--path", help=tr(LANG, "auto, sparse or dense."))] = "auto",
    memory_limit: Annotated[str | None, typer.Option(
        "--memory-limit", help=tr(LANG, "DuckDB memory limit, e.g. 8GB (spills beyond it)."))] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help=tr(LANG, "Threads of the matrix stage (default: one per core)."))] = None,
    tables: Annotated[str, typer.Option(
        "--tables", help=tr(LANG, "Tables to write, comma-separated: cells,regions,industries,proximity."))
    ] = "cells,regions,industries,proximity",
    density: Annotated[str, typer.Option(
        "--density", help=tr(LANG, "cells: 'dense' (every cell with a value or a non-zero density) or "
                          "'sparse' (cells with a value or density >= --density-min)."))
    ] = "dense",
    density_min: Annotated[float, typer.Option(
        "--density-min", help=tr(LANG, "Smallest density listed with --density sparse."))] = 0.5,
    decimal: Annotated[str, typer.Option(
        "--decimal", help=tr(LANG, "Decimal mark of text values: auto (detected), '.' or ','."))
    ] = "auto",
    quiet: Quiet = False,
) -> None:
    # Library warnings are collected here and printed once each: Ibis, DuckDB and pandas
    # emit the same deprecation notices on every period, which are noise for a user.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        if density not in ("dense", "sparse"):
            raise InnestoError(_choice("--density", density, "dense, sparse"))
        from innesto.engines.outputs import check_tables

        _run(src, output, engine, spark_master, region, industry, time, value, microdata, unit,
             weight, count, level, threshold, diagonal, path, memory_limit, workers, quiet,
             check_tables(tables.split(",")), density_min if density == "sparse" else None,
             decimal)
    seen = set()
    for w in caught:
        if issubclass(w.category, (DeprecationWarning, FutureWarning)):
            continue
        text = f"{w.category.__name__}: {localize(w.message, user_lang())}"
        if text not in seen:
            seen.add(text)
            err_console.print(f"[bold yellow]warning:[/] {text}", highlight=False,
                              soft_wrap=True)


def _check(engine: str, spark_master: str | None, decimal: str, path: str) -> None:
    """Refuse an unknown or inconsistent option with one line saying what to use."""
    if engine not in ("duckdb", "spark"):
        raise InnestoError(_choice("--engine", engine, "duckdb, spark"))
    if spark_master and engine != "spark":
        raise InnestoError(msg("--spark-master needs --engine spark"))
    if decimal not in ("auto", ".", ","):
        raise InnestoError(_choice("--decimal", decimal, "auto, '.', ','"))
    if path not in ("auto", "sparse", "dense"):
        raise InnestoError(_choice("--path", path, "auto, sparse, dense"))


def _choice(option: str, value: str, choices: str) -> Message:
    return msg("%(option)s '%(value)s': expected %(choices)s", option=option, value=value,
               choices=choices)


def _source(src: Path, microdata: bool, region: str, industry: str, time: str, value: str,
            decimal: str) -> Any:
    """The pipeline's input: the file itself (Parquet/CSV tables and microdata), or the
    panel a reader makes of any other source file."""
    if not src.exists():
        raise InnestoError(msg("no such file or folder%(where)s: check the path",
                               where=f" ({src})"))
    if microdata or any(str(src).lower().endswith(s) for s in _DIRECT):
        return src
    return load_panel(str(src), region=region, industry=industry, time=time or None,
                      value=value, decimal=None if decimal == "auto" else decimal)


def _run(src: Path, output: Path, engine: str, spark_master: str | None, region: str,
         industry: str, time: str, value: str, microdata: bool, unit: str,
         weight: str | None, count: str, level: int | None, threshold: float,
         diagonal: float, path: str, memory_limit: str | None, workers: int | None,
         quiet: bool, tables: tuple[str, ...], density_min: float | None,
         decimal: str = "auto") -> None:
    import gc
    import threading

    from innesto.engines.flow import MicrodataSpec, write_pipeline

    # The modules' objects (hundreds of thousands) live to the end of the command: frozen,
    # the garbage collector's full passes during the run no longer walk them again.
    gc.freeze()
    # The matrix stage's modules (SciPy's sparse matrices and linear algebra, a fifth of the
    # start-up) are imported while the input is read and encoded, which needs neither; the
    # matrix stage's own import waits for this one when it has not finished.
    threading.Thread(target=_import_matrix_stage, name="innesto-import", daemon=True).start()
    _check(engine, spark_master, decimal, path)
    source = _source(src, microdata, region, industry, time, value, decimal)
    micro = MicrodataSpec(unit=unit, region=region, industry=industry, time=time or None,
                          weight=weight, count=count) if microdata else None
    columns: dict[str, str | None] = {"region": region, "industry": industry,
                                      "time": time or None, "value": value}
    with ProgressBars(quiet) as tick:
        try:
            out = write_pipeline(source, output, tables=tables, density_min=density_min,
                                 engine=engine, master=spark_master, columns=columns,
                                 micro=micro, level=level, threshold=threshold, path=path,
                                 diagonal=diagonal, memory_limit=memory_limit, progress=tick,
                                 workers=workers, decimal=decimal)
        except OSError as exc:
            raise InnestoError(msg("cannot write %(file)s: %(reason)s",
                                   file=exc.filename or output, reason=exc.strerror)) from None
        tick(tr(user_lang(), "writing tables"), 1, 1)
    _report(out)


def _import_matrix_stage() -> None:
    import gc

    try:
        import innesto.engines.pipeline  # noqa: F401
    except ImportError:  # raised again by the matrix stage's own import, where it is needed
        return
    gc.freeze()  # SciPy's objects too: neither the run's nor the exit's full passes walk them


def _report(out: Any) -> None:
    """What was read, set aside and written (a :class:`~innesto.engines.flow.Written`)."""
    lang = user_lang()
    set_aside = ", ".join(f"{k} {v}" for k, v in out.counts.items() if k != "rows" and v)
    rows = out.counts.get("rows", 0)
    console.print(nplural(lang, "%(n)d input row", "%(n)d input rows", rows) + (
        "; " + tr(lang, "set aside or kept as null: %(counts)s", counts=set_aside)
        if set_aside else ""), highlight=False)
    console.print(tr(lang, "engine %(engine)s", engine=out.engine) + ": "
                  + nplural(lang, "%(n)d period", "%(n)d periods", len(out.periods))
                  + _cells(out, lang), highlight=False)
    for p in out.paths:
        console.print(tr(lang, "wrote %(file)s", file=p), highlight=False, soft_wrap=True)


def _cells(out: Any, lang: str) -> str:
    """How many ``cells`` rows were written, and how many of them have no value."""
    if "cells" not in out.rows:
        return ""
    nulls = " (" + nplural(lang, "%(n)d without a value: listed as null, with its flag",
                           "%(n)d without a value: listed as null, with their flag",
                           out.null_cells) + ")" if out.null_cells else ""
    return ", " + nplural(lang, "%(n)d cell", "%(n)d cells", out.rows["cells"]) + nulls


def register(app: typer.Typer) -> None:
    """Add ``innesto pipeline`` to the root app."""
    app.command("pipeline", help=tr(LANG, "Run the pipeline on INPUT and write its tables to "
                                    "OUTDIR."))(pipeline_command)
