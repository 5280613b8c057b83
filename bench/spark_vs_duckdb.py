"""Spark (local mode) against DuckDB on the same microdata: time and equality of every output.

Writes ``--rows`` (default 1e6) synthetic establishment rows to Parquet (1,500 regions, 600
industries, 20 years), then runs :func:`innesto.engines.flow.run_pipeline` on each engine:
the relational stage (microdata to panel) and the matrix stage (per year; on Spark inside
the executors with ``groupBy("time").applyInArrow``). Checks that the four output tables
agree to 1e-9 and prints both times. Spark's start-up is timed separately.

Usage::

    nice -n 10 python bench/spark_vs_duckdb.py [--rows 1e6] [--master local[2]]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def max_difference(a: dict, b: dict) -> float:
    """Largest absolute difference over every numeric column; inf if keys or NaNs differ."""
    worst = 0.0
    for name in a:
        x, y = a[name], b[name]
        if x.shape != y.shape or list(x.columns) != list(y.columns):
            return float("inf")
        for col in x.columns:
            if x[col].dtype.kind in "fiu":
                u, v = x[col].to_numpy(float), y[col].to_numpy(float)
                if not np.array_equal(np.isnan(u), np.isnan(v)):
                    return float("inf")
                ok = ~np.isnan(u)
                if ok.any():
                    worst = max(worst, float(np.max(np.abs(u[ok] - v[ok]))))
            elif x[col].astype(str).tolist() != y[col].astype(str).tolist():
                return float("inf")
    return worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", default="1e6")
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from innesto.engines.base import connect
    from innesto.engines.flow import MicrodataSpec, run_pipeline
    from innesto.engines.synthetic import write_microdata

    n = int(float(args.rows))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {n:,} rows, "
          f"Spark {args.master}", flush=True)
    spec = MicrodataSpec(unit="unit", region="region", industry="industry", time="year",
                         weight="weight")
    with tempfile.TemporaryDirectory(prefix="innesto-svd-") as tmp:
        data = write_microdata(Path(tmp) / "micro.parquet", n, seed=3)
        t0 = time.perf_counter()
        duck = run_pipeline(data, engine="duckdb", micro=spec)
        t_duck = time.perf_counter() - t0
        print(f"  duckdb         {t_duck:8.1f} s", flush=True)
        t0 = time.perf_counter()
        eng = connect("spark", master=args.master, config={
            "spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.memory": "6g"})
        eng.spark.sparkContext.setLogLevel("ERROR")
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        spark = run_pipeline(data, engine="spark", spark=eng.spark, micro=spec)
        t_spark = time.perf_counter() - t0
        eng.spark.stop()
        print(f"  spark          {t_spark:8.1f} s  (+ {t_start:.1f} s session start-up)",
              flush=True)
    diff = max_difference(duck.tables, spark.tables)
    verdict = "equal within 1e-9" if diff <= 1e-9 else "DIFFERENT"
    print(f"  outputs: {verdict} (max abs difference {diff:.1e}; "
          f"{len(duck.tables['cells']):,} cells, {duck.tables['regions'].time.nunique()} years)")
    print(f"spark vs duckdb: {t_spark / t_duck:.1f}x the time")


if __name__ == "__main__":
    main()
