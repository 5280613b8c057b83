"""Engine selection: DuckDB (embedded, the default) or Spark, both reached through Ibis.

>>> eng = connect("duckdb")
>>> eng.name, eng.spark is None
('duckdb', True)
>>> eng.close()

For Spark, pass an existing ``SparkSession`` (``connect("spark", spark=session)``) or a
master URL (``connect("spark", master="spark://host:7077")``, ``"local[2]"``, ``"yarn"``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innesto.errors import EngineError
from innesto.i18n import msg

ENGINES = ("duckdb", "spark")


@dataclass
class Engine:
    """An Ibis backend plus, for Spark, its session. Use :func:`connect` to build one."""

    name: str
    con: Any
    spark: Any = None
    options: dict[str, Any] = field(default_factory=dict)
    _owns_spark: bool = False

    def read(self, path: str | Path, *, format: str = "auto") -> Any:
        """An Ibis table over a Parquet or CSV file (CSV columns are read as text).

        Codes such as HS ``0101`` keep their leading zeros because nothing is type-guessed
        in CSV files; :func:`innesto.engines.relational.clean` casts the value column.
        """
        raw = str(path)  # URIs (s3a://, hdfs://, abfss://) are passed on untouched
        local = "://" not in raw
        if local and not Path(raw).exists() and "*" not in raw:
            raise EngineError(msg("%(file)s: file not found", file=raw))
        fmt = format
        if fmt == "auto":
            low = raw.lower().rstrip("/")
            fmt = "parquet" if ".parquet" in low or (local and Path(raw).is_dir()) \
                or not low.endswith((".csv", ".csv.gz", ".txt")) else "csv"
        try:
            if fmt == "parquet":
                return self.con.read_parquet(raw)
            if fmt == "csv":
                if self.name == "duckdb":
                    return self.con.read_csv(raw, all_varchar=True, header=True)
                # Spark does not sniff the delimiter; the readers' sniffer picks it
                return self.con.read_csv(raw, header=True, inferSchema=False,
                                         sep=_delimiter(raw) if local else ",")
        except Exception as exc:  # the backends raise their own exception types
            raise EngineError(msg("%(raw)s: %(name)s could not read the file: %(exc)s", raw=raw,
                              name=self.name, exc=exc)) from None
        raise EngineError(msg("%(raw)s: unknown format %(format)s (expected parquet or csv)",
                          raw=raw, format=repr(format)))

    def table(self, data: Any, name: str = "input") -> Any:
        """An Ibis table over an in-memory Arrow table or pandas DataFrame."""
        import pyarrow as pa

        arrow = data if isinstance(data, pa.Table) else pa.Table.from_pandas(
            data, preserve_index=False)
        if self.name == "duckdb":
            self.con.con.register(name, arrow)  # a view over the Arrow table, no copy
            return self.con.table(name)
        sdf = self.spark.createDataFrame(arrow)
        sdf.createOrReplaceTempView(name)
        return self.con.table(name)

    def to_spark(self, expr: Any) -> Any:
        """A Spark DataFrame for an Ibis expression (Spark engine only)."""
        if self.name != "spark":
            raise EngineError(msg("to_spark needs the spark engine"))
        return self.spark.sql(str(self.con.compile(expr)))

    def close(self) -> None:
        """Close the DuckDB connection, or stop the Spark session if this engine started it."""
        if self.name == "duckdb":
            self.con.disconnect()
        elif self._owns_spark:
            self.spark.stop()


def _delimiter(path: str) -> str:
    """The delimiter of a local CSV file (``,`` ``;`` tab ``|``), from its first lines."""
    from innesto.sources._tabular import decode, sniff_delimiter

    if "*" in path or Path(path).is_dir():
        return ","
    text, _ = decode(Path(path))
    return sniff_delimiter(text[:65536])


def connect(engine: str = "duckdb", *, spark: Any = None, master: str | None = None,
            memory_limit: str | None = None, threads: int | None = None,
            config: dict[str, str] | None = None) -> Engine:
    """Open the relational engine.

    Parameters
    ----------
    engine:
        ``"duckdb"`` (embedded, out of core) or ``"spark"``.
    spark:
        An existing ``SparkSession`` (Spark only); otherwise the session already running
        in this process, or a new one (:meth:`Engine.close` stops only a new one).
    master:
        Spark master URL for a new session (``"local[*]"`` when omitted).
    memory_limit:
        DuckDB memory limit, e.g. ``"8GB"`` (spills to disk beyond it).
    threads:
        DuckDB threads.
    config:
        Extra Spark settings for a new session (``{"spark.executor.memory": "8g"}``).
    """
    if engine not in ENGINES:
        raise EngineError(msg("unknown engine %(engine)s; expected one of %(items)s",
                          engine=repr(engine), items=', '.join(ENGINES)))
    import ibis

    if engine == "duckdb":
        if spark is not None or master is not None:
            raise EngineError(msg("spark= and master= only apply to engine='spark'"))
        con = ibis.duckdb.connect()
        if memory_limit:
            con.raw_sql(f"SET memory_limit='{memory_limit}'")
        if threads:
            con.raw_sql(f"SET threads={int(threads)}")
        return Engine("duckdb", con, options={"memory_limit": memory_limit, "threads": threads})
    owns = False
    if spark is None:
        spark, owns = _spark_session(master or "local[*]", config or {})
    try:
        con = ibis.pyspark.connect(spark)
    except Exception as exc:
        raise EngineError(msg("could not attach Ibis to the Spark session: %(exc)s", exc=exc)) from None
    return Engine("spark", con, spark=spark, options={"master": master}, _owns_spark=owns)


def _spark_session(master: str, config: dict[str, str]) -> tuple[Any, bool]:
    """The session to use and whether it was started here. A session already running in
    this process (a notebook's, a test run's) is reused, and :meth:`Engine.close` must not
    stop it: the builder returns it whatever ``master`` says."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(
            msg("the spark engine needs pyspark: pip install 'innesto[spark]'")) from None
    # Python workers run the same interpreter as the driver (local mode and clusters
    # that ship this environment); a cluster may override it with PYSPARK_PYTHON.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("innesto")
    builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
    for k, v in config.items():
        builder = builder.config(k, v)
    started = SparkSession.getActiveSession() is None
    try:
        return builder.getOrCreate(), started
    except Exception as exc:
        raise EngineError(msg("could not start Spark (%(master)s): %(exc)s", master=master,
                          exc=exc)) from None
