"""The whole pipeline in one call: relational stage on an engine, then the matrix stage.

>>> import pandas as pd
>>> from innesto.panel import Panel
>>> p = Panel.from_records([("a", "x", 2000, 5), ("a", "y", 2000, 1), ("b", "x", 2000, 1),
...                         ("b", "y", 2000, 5), ("c", "x", 2000, 3), ("c", "z", 2000, 4)])
>>> out = run_pipeline(p)
>>> sorted(out.tables), out.engine, out.counts["rows"]
(['cells', 'industries', 'proximity', 'regions'], 'duckdb', 6)

On Spark (``engine="spark"``) the matrix stage runs per period inside the cluster
(:mod:`innesto.engines.spark_matrix`); the tables are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from innesto._progress import Progress
from innesto.engines import periods
from innesto.engines.base import Engine, connect
from innesto.engines.outputs import TABLES
from innesto.errors import EngineError
from innesto.i18n import msg
from innesto.panel import Panel

if TYPE_CHECKING:  # pragma: no cover
    from innesto.engines.outputs import TableSink
    from innesto.sources.values import ValueSyntax


@dataclass
class MicrodataSpec:
    """Column names of a microdata table (one row per unit and code)."""

    unit: str = "unit"
    region: str = "region"
    industry: str = "industry"
    time: str | None = "time"
    weight: str | None = None
    count: str = "weight"  # or "units": distinct units per cell


@dataclass
class Written:
    """What :func:`write_pipeline` wrote: files, rows per table, periods, cleaning counts."""

    paths: list[Path]
    rows: dict[str, int]
    periods: list[str]
    engine: str
    counts: dict[str, int] = field(default_factory=dict)
    #: rows of ``cells`` listed without a value (null, with their flag)
    null_cells: int = 0


@dataclass
class PipelineOutput:
    """The four tidy tables and what the relational stage set aside."""

    tables: dict[str, Any]
    engine: str
    counts: dict[str, int] = field(default_factory=dict)


def relational_stage(eng: Engine, source: str | Path | Panel, *,
                     columns: dict[str, str | None] | None = None,
                     micro: MicrodataSpec | None = None,
                     level: int | None = None,
                     aggregated: bool = True,
                     decimal: str = "auto") -> tuple[Any, dict[str, int]]:
    """The panel as an Ibis expression on ``eng``, and the cleaning counts.

    Text values are read by the one value parser (``decimal``: see
    :func:`innesto.engines.relational.clean`).

    With ``aggregated=False`` duplicate keys of a panel-shaped table are left for the
    matrix stage to sum (as :meth:`EncodedPanel.matrix` does): the rows stream out of the
    engine without a blocking group-by (microdata are always aggregated by the engine).
    """
    from innesto.engines import relational

    if isinstance(source, Panel):
        names = [c for c in ("region", "industry", "time", "value", "flag")
                 if c in source.table.column_names]
        t = eng.table(source.table.select(names), "panel")
    else:
        t = eng.read(source)
    if micro is not None:
        expr = relational.microdata(t, unit=micro.unit, region=micro.region,
                                    industry=micro.industry, time=micro.time,
                                    weight=micro.weight, count=micro.count)
        counts: dict[str, int] = {"rows": int(t.count().to_pyarrow().as_py())}
    else:
        cols = {"region": "region", "industry": "industry", "time": "time", "value": "value",
                **(columns or {})}
        if cols["time"] is not None and cols["time"] not in t.columns:
            cols["time"] = None  # a single-period table
        path = None if isinstance(source, Panel) else source
        expr, counts = relational.clean(
            t, region=str(cols["region"]), industry=str(cols["industry"]), time=cols["time"],
            value=str(cols["value"]), decimal=decimal, flag="flag", source=path,
            syntax=_syntax(path))
    if level is not None:
        expr = relational.to_level(expr, "industry", level)
    # codes cut to a level are sector sums: the engine applies the library's rule for missing
    # components (a null part makes the sum null) before the matrix stage
    summed = aggregated or micro is not None or level is not None
    return (relational.aggregate(expr) if summed else expr), counts


def _encoded(eng: Engine, expr: Any) -> periods.EncodedPanel:
    """The relational stage's rows streamed from DuckDB in Arrow batches, encoded as they
    come (never a whole long table, never a pandas frame or a Python string per row)."""
    from innesto.engines import relational

    try:
        # DuckDB's own Arrow reader: Ibis 12's to_pyarrow_batches calls an API that
        # DuckDB 2 no longer has
        cols = [*relational.KEYS, "value", *(["flag"] if "flag" in expr.columns else [])]
        sql = str(eng.con.compile(expr.select(*cols)))
        reader = eng.con.con.sql(sql).to_arrow_reader(1 << 20)
        enc = periods.encode_batches(reader)
    except EngineError:
        raise
    except Exception as exc:  # engine errors come in backend-specific types
        raise EngineError(msg("the relational stage failed: %(exc)s", exc=exc)) from None
    if not enc.times:
        raise EngineError(msg("no rows left after the relational stage"))
    return enc


def _syntax(path: str | Path | None) -> ValueSyntax:
    """How the input file writes its values: its format's syntax when a reader recognises
    it (an Eurostat SBS extract's blank is confidential on this route too), else tabular."""
    from innesto.sources.values import TABULAR

    if path is None or "://" in str(path) or not Path(path).is_file():
        return TABULAR
    from innesto.sources.registry import value_syntax

    return value_syntax(path)


def run_pipeline(source: str | Path | Panel, *, engine: str = "duckdb", spark: Any = None,
                 master: str | None = None, columns: dict[str, str | None] | None = None,
                 micro: MicrodataSpec | None = None, level: int | None = None,
                 threshold: float = 1.0, path: str = "auto", diagonal: float = 0.0,
                 method: str = "eigen", memory_limit: str | None = None,
                 progress: Progress | None = None, workers: int | None = None,
                 decimal: str = "auto") -> PipelineOutput:
    """Read ``source`` (Parquet/CSV path or a Panel), aggregate, and run the matrix stage.

    Parameters
    ----------
    engine, spark, master, memory_limit:
        See :func:`innesto.engines.base.connect`.
    columns:
        ``{"region": ..., "industry": ..., "time": ..., "value": ...}`` column names of a
        panel-shaped table (defaults: the panel's own names).
    micro:
        Read ``source`` as microdata instead (see :class:`MicrodataSpec`).
    level:
        Aggregate industry codes to their first ``level`` characters.
    threshold, path, diagonal, method:
        See :func:`innesto.engines.pipeline.run_period`.
    decimal:
        The decimal mark of a text value column: ``"auto"`` (detected, or refused with
        its location), ``"."`` or ``","`` (see :mod:`innesto.sources.values`).
    workers:
        Threads of the local matrix stage (default: one per core); see
        :func:`innesto.engines.pipeline.run`. On Spark the executors share the periods.
    progress:
        ``progress(step, done, total)`` after each step, for progress bars.
    """
    from innesto.engines import pipeline

    def tick(step: str, done: int, total: int) -> None:
        if progress is not None:
            progress(step, done, total)

    tick("relational stage", 0, 1)
    eng = connect(engine, spark=spark, master=master, memory_limit=memory_limit)
    try:
        expr, counts = relational_stage(eng, source, columns=columns, micro=micro, level=level,
                                        aggregated=eng.name == "spark", decimal=decimal)
        tick("relational stage", 1, 1)
        if eng.name == "spark":
            from innesto.engines import spark_matrix

            tick("matrix stage", 0, 1)
            tables = spark_matrix.run(eng.to_spark(expr), threshold=threshold, path=path,
                                      diagonal=diagonal, method=method)
            tick("matrix stage", 1, 1)
        else:
            result = pipeline.PipelineResult(list(pipeline.iter_run(
                _encoded(eng, expr), threshold=threshold, path=path,  # type: ignore[arg-type]
                diagonal=diagonal, method=method,  # type: ignore[arg-type]
                progress=progress, workers=workers)))
            tables = result.tables()
    finally:
        eng.close()
    return PipelineOutput(tables, engine, counts)


def write_pipeline(source: str | Path | Panel, outdir: str | Path, *,
                   tables: tuple[str, ...] = TABLES, density_min: float | None = None,
                   engine: str = "duckdb", spark: Any = None, master: str | None = None,
                   columns: dict[str, str | None] | None = None,
                   micro: MicrodataSpec | None = None, level: int | None = None,
                   threshold: float = 1.0, path: str = "auto", diagonal: float = 0.0,
                   method: str = "eigen", memory_limit: str | None = None,
                   progress: Progress | None = None, workers: int | None = None,
                   decimal: str = "auto", direct: bool = True) -> Written:
    """:func:`run_pipeline`, with each period's tables streamed to ``outdir/<name>.parquet``.

    The files hold the same rows as :func:`run_pipeline`'s tables, in the same order, but
    only one period's tables (``cells`` in blocks of regions) are in memory at a time.
    ``tables`` picks the tables to write (default all four); ``density_min`` keeps in
    ``cells`` only the cells with a stored value or a density of at least ``density_min``
    (see :mod:`innesto.engines.outputs`). Every file is written to a temporary name and
    renamed when all are complete; on an error none is left behind.

    On DuckDB a local Parquet panel with text or integer keys and a numeric value is read
    by Arrow without starting an engine (:mod:`innesto.engines.direct`: the same rows and
    counts); ``direct=False`` sends it through DuckDB as every other input.
    """
    from innesto.engines import outputs

    def tick(step: str, done: int, total: int) -> None:
        if progress is not None:
            progress(step, done, total)

    tables = outputs.check_tables(tables)
    options = {"threshold": threshold, "path": path, "diagonal": diagonal, "method": method,
               "progress": progress, "workers": workers}
    tick("relational stage", 0, 1)
    local = _direct(source, engine, columns, micro, level) if direct else None
    if local is not None:
        enc, counts = local
        tick("relational stage", 1, 1)
        with outputs.TableSink(outdir, tables) as sink:
            times = _write_periods(enc, sink, tables, density_min, options)
        return Written(sink.written, dict(sink.rows), times, engine, counts)
    eng = connect(engine, spark=spark, master=master, memory_limit=memory_limit)
    try:
        expr, counts = relational_stage(eng, source, columns=columns, micro=micro, level=level,
                                        aggregated=eng.name == "spark", decimal=decimal)
        tick("relational stage", 1, 1)
        with outputs.TableSink(outdir, tables) as sink:
            if eng.name == "spark":
                from innesto.engines import spark_matrix

                tick("matrix stage", 0, 1)
                times = spark_matrix.write(eng.to_spark(expr), sink, threshold=threshold,
                                           path=path, diagonal=diagonal, method=method,
                                           density_min=density_min)
                tick("matrix stage", 1, 1)
            else:
                times = _write_periods(_encoded(eng, expr), sink, tables, density_min,
                                       options)
    finally:
        eng.close()
    return Written(sink.written, dict(sink.rows), times, engine, counts,
                   sink.null_cells)


def _direct(source: str | Path | Panel, engine: str, columns: dict[str, str | None] | None,
            micro: MicrodataSpec | None, level: int | None
            ) -> tuple[periods.EncodedPanel, dict[str, int]] | None:
    """The encoded panel and counts read by Arrow, when the input allows it (else None)."""
    if engine != "duckdb" or micro is not None or level is not None \
            or isinstance(source, Panel):
        return None
    from innesto.engines import direct

    local = direct.encode(source, columns)
    if local is not None and not local[0].times:
        raise EngineError(msg("no rows left after the relational stage"))
    return local


def _write_periods(enc: periods.EncodedPanel, sink: TableSink, tables: tuple[str, ...],
                   density_min: float | None, options: dict[str, Any]) -> list[str]:
    """The matrix stage period by period, each period's tables handed to ``sink``."""
    from innesto.engines import outputs, pipeline

    times = []
    for res in pipeline.iter_run(enc, streaming=True, **options):
        for name, piece in outputs.period_batches(res, tables, density_min):
            sink.write(name, piece)
        times.append(res.time)
    return times
