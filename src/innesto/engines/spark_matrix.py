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

from innesto.errors import EngineError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

RESULT_SCHEMA = "time string, name string, payload binary"


def _period_task(threshold: float, path: str, diagonal: float, method: str) -> Any:
    """The function each Spark task runs on one period (a closure over the settings)."""

    def task(table: pa.Table) -> pa.Table:
        import pyarrow.compute as pc

        from innesto.engines import outputs, pipeline
        from innesto.panel import PanelMatrix

        table = table.filter(pc.is_valid(table.column("value")))
        if table.num_rows == 0:
            return pa.table({"time": pa.array([], pa.string()), "name": pa.array([], pa.string()),
                             "payload": pa.array([], pa.binary())})
        time = str(table.column("time")[0].as_py())
        pm = PanelMatrix.from_columns(table.column("region"), table.column("industry"),
                                      pc.cast(table.column("value"), pa.float64()))
        res = pipeline.run_period(pm, time, threshold=threshold, path=path,  # type: ignore[arg-type]
                                  diagonal=diagonal, method=method)  # type: ignore[arg-type]
        names, payloads = [], []
        for name, df in outputs.period_tables(res).items():
            sink = pa.BufferOutputStream()
            arrow = pa.Table.from_pandas(df, preserve_index=False)
            with pa.ipc.new_stream(sink, arrow.schema) as writer:
                writer.write_table(arrow)
            names.append(name)
            payloads.append(sink.getvalue().to_pybytes())
        return pa.table({"time": pa.array([time] * len(names), pa.string()),
                         "name": pa.array(names, pa.string()),
                         "payload": pa.array(payloads, pa.binary())})

    return task


def run(sdf: Any, *, threshold: float = 1.0, path: str = "auto", diagonal: float = 0.0,
        method: str = "eigen") -> dict[str, pd.DataFrame]:
    """The matrix stage on a Spark DataFrame with columns region, industry, time, value.

    Options as :func:`innesto.engines.pipeline.run_period`.

    Returns the same four tables as :meth:`PipelineResult.tables` (sorted the same way).
    """
    import pandas as pd

    from innesto.engines.outputs import TABLES

    missing = [c for c in ("region", "industry", "time", "value") if c not in sdf.columns]
    if missing:
        raise EngineError(f"the Spark table lacks column(s) {missing}; it has {sdf.columns}")
    packed = sdf.select("region", "industry", "time", "value") \
        .groupBy("time").applyInArrow(_period_task(threshold, path, diagonal, method), RESULT_SCHEMA)
    try:
        rows = packed.toArrow()
    except Exception as exc:  # Py4J/Spark exceptions
        raise EngineError(f"the Spark matrix stage failed: {exc}") from None
    frames: dict[str, list[Any]] = {name: [] for name in TABLES}
    order = sorted(range(rows.num_rows), key=lambda i: str(rows.column("time")[i].as_py()))
    for i in order:
        name = rows.column("name")[i].as_py()
        buf = rows.column("payload")[i].as_buffer()
        frames[name].append(pa.ipc.open_stream(buf).read_all().to_pandas())
    if not frames["regions"]:
        raise EngineError("the panel is empty")
    return {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
