"""The matrix stage inside a Spark cluster: one period per task, via ``groupBy("time").applyInArrow``.

Each executor receives one period's rows as an Arrow table, runs
:func:`innesto.engines.pipeline.run_period` on it (the same code as the local path) and
returns the four tidy tables of :mod:`innesto.engines.outputs` serialised as Arrow IPC, one
row per table. A twenty-year panel therefore keeps twenty tasks busy at once; the driver
only unpacks the results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from innesto.engines.outputs import TABLES, TableSink
from innesto.errors import EngineError
from innesto.i18n import msg

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

RESULT_SCHEMA = "time string, name string, payload binary"


def _period_task(threshold: float, path: str, diagonal: float, method: str,
                 tables: tuple[str, ...] = TABLES, density_min: float | None = None) -> Any:
    """The function each Spark task runs on one period (a closure over the settings)."""

    def task(table: pa.Table) -> pa.Table:
        import pyarrow.compute as pc

        from innesto.engines import outputs, periods, pipeline
        from innesto.panel import PanelMatrix

        marks = periods.CellMarks.from_arrow(table)
        table = table.filter(pc.is_valid(table.column("value")))  # cells are unique here
        if table.num_rows == 0:
            return pa.table({"time": pa.array([], pa.string()), "name": pa.array([], pa.string()),
                             "payload": pa.array([], pa.binary())})
        time = str(table.column("time")[0].as_py())
        pm = PanelMatrix.from_columns(table.column("region"), table.column("industry"),
                                      pc.cast(table.column("value"), pa.float64()))
        res = pipeline.run_period(pm, time, threshold=threshold, path=path,  # type: ignore[arg-type]
                                  diagonal=diagonal, method=method)  # type: ignore[arg-type]
        res.marks = marks
        names, payloads = [], []
        pieces: dict[str, list[pa.Table]] = {name: [] for name in tables}
        for name, piece in outputs.period_batches(res, tables, density_min):
            pieces[name].append(piece)
        for name, parts in pieces.items():
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, outputs.SCHEMAS[name]) as writer:
                for piece in parts:
                    writer.write_table(outputs.plain(piece))
            names.append(name)
            payloads.append(sink.getvalue().to_pybytes())
        return pa.table({"time": pa.array([time] * len(names), pa.string()),
                         "name": pa.array(names, pa.string()),
                         "payload": pa.array(payloads, pa.binary())})

    return task


#: the Spark schema of each output table (as :func:`innesto.engines.outputs.period_tables`)
SCHEMAS = {
    "cells": "region string, industry string, time string, value double, flag string, "
             "rca double, m tinyint, density double",
    "regions": "region string, time string, diversity bigint, eci double",
    "industries": "industry string, time string, ubiquity bigint, pci double",
    "proximity": "industry_a string, industry_b string, time string, proximity double",
}
#: the sort order that reproduces the local tables' row order
ORDER = {"cells": ["time", "region", "industry"], "regions": ["time", "region"],
         "industries": ["time", "industry"], "proximity": ["time", "industry_a", "industry_b"]}


def _unpack(name: str) -> Any:
    """A ``mapInArrow`` function turning packed payloads of table ``name`` into its rows."""

    def unpack(batches: Any) -> Any:
        for batch in batches:
            names = batch.column(1).to_pylist()
            payloads = batch.column(2)
            for i, n in enumerate(names):
                if n == name:
                    yield from pa.ipc.open_stream(payloads[i].as_buffer()).read_all().to_batches()

    return unpack


def _packed(sdf: Any, threshold: float, path: str, diagonal: float, method: str,
            tables: tuple[str, ...] = TABLES, density_min: float | None = None) -> Any:
    """One row per (period, table) with the table's rows as Arrow IPC (lazy, persisted)."""
    missing = [c for c in ("region", "industry", "time", "value") if c not in sdf.columns]
    if missing:
        raise EngineError(msg("the Spark table lacks column(s) %(missing)s; it has %(columns)s",
                          missing=missing, columns=sdf.columns))
    task = _period_task(threshold, path, diagonal, method, tables, density_min)
    cols = ["region", "industry", "time", "value", *(["flag"] if "flag" in sdf.columns else [])]
    return sdf.select(*cols) \
        .groupBy("time").applyInArrow(task, RESULT_SCHEMA).persist()


def frames(sdf: Any, *, threshold: float = 1.0, path: str = "auto", diagonal: float = 0.0,
           method: str = "eigen") -> dict[str, Any]:
    """The matrix stage as four Spark DataFrames (lazy; computed once, then persisted).

    Write them from the executors (``frames(...)["cells"].write.parquet(...)``) when the
    outputs are large; :func:`run` collects them to pandas on the driver.
    """
    packed = _packed(sdf, threshold, path, diagonal, method)
    return {name: packed.mapInArrow(_unpack(name), schema) for name, schema in SCHEMAS.items()}


def write(sdf: Any, sink: TableSink, *, threshold: float = 1.0, path: str = "auto",
          diagonal: float = 0.0, method: str = "eigen",
          density_min: float | None = None) -> list[str]:
    """The matrix stage on Spark, each period's tables streamed into ``sink`` on the driver.

    Only the tables the sink asks for are built. The driver holds one period of one table
    at a time (each period's table is one payload, already in the local row order), so
    the files equal the local path's row for row. Returns the periods, in order.
    """
    from innesto.engines import outputs

    tables = tuple(sink.rows)
    try:
        packed = _packed(sdf, threshold, path, diagonal, method, tables, density_min)
        times = sorted(r[0] for r in packed.select("time").distinct().collect())
        for t in times:
            one = packed.filter(packed.time == t)
            for name in tables:
                got = one.mapInArrow(_unpack(name), SCHEMAS[name]).toArrow()
                sink.write(name, got.cast(outputs.SCHEMAS[name]))
    except EngineError:
        raise
    except Exception as exc:  # Py4J/Spark exceptions
        raise EngineError(msg("the Spark matrix stage failed: %(exc)s", exc=exc)) from None
    if not times:
        raise EngineError(msg("the panel is empty"))
    return times


def run(sdf: Any, *, threshold: float = 1.0, path: str = "auto", diagonal: float = 0.0,
        method: str = "eigen") -> dict[str, pd.DataFrame]:
    """The matrix stage on a Spark DataFrame with columns region, industry, time, value.

    Options as :func:`innesto.engines.pipeline.run_period`. Returns the same four pandas
    tables as :meth:`PipelineResult.tables`, in the same row order, collected on the driver.
    """
    out = {}
    try:
        for name, frame in frames(sdf, threshold=threshold, path=path, diagonal=diagonal,
                                  method=method).items():
            out[name] = frame.orderBy(*ORDER[name]).toArrow().to_pandas()
    except EngineError:
        raise
    except Exception as exc:  # Py4J/Spark exceptions
        raise EngineError(msg("the Spark matrix stage failed: %(exc)s", exc=exc)) from None
    if out["regions"].empty:
        raise EngineError(msg("the panel is empty"))
    return out
