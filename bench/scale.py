"""Scale: synthetic establishment microdata, from reading Parquet to density for every year.

For each size (default 1e6, 1e7, 1e8 rows; 1,500 regions, 600 industries, 20 years) the
microdata are written to Parquet first, streamed in row groups of 1e6 rows (never the whole
table in memory; not timed). Then, timed, in a fresh process: DuckDB with
``SET memory_limit='8GB'`` reads the Parquet file and aggregates the microdata to the panel
(employees per region, industry and year, through :mod:`innesto.engines.relational`), and
the matrix stage computes RCA, M, diversity/ubiquity, ECI/PCI, proximity and density for
every year (:func:`innesto.engines.pipeline.run`). Prints rows/s and peak memory per size.

Usage::

    nice -n 10 python bench/scale.py --sizes 1e6,1e7
    nice -n 10 python bench/scale.py              # 1e6, 1e7, 1e8 rows
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker(data: Path, memory_limit: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from innesto.engines import pipeline, relational
    from innesto.engines.base import connect

    t0 = time.perf_counter()
    eng = connect("duckdb", memory_limit=memory_limit)
    t = eng.read(data)
    expr = relational.microdata(t, unit="unit", region="region", industry="industry",
                                time="year", weight="weight")
    panel = relational.collect(expr)
    eng.close()
    t1 = time.perf_counter()
    res = pipeline.run(panel)
    t2 = time.perf_counter()
    nnz = sum(p.value.nnz for p in res.periods)
    print(json.dumps({"relational": t1 - t0, "matrix": t2 - t1, "cells": nnz,
                      "periods": len(res.periods),
                      "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e6,1e7,1e8", help="comma-separated row counts")
    ap.add_argument("--memory-limit", default="8GB", help="DuckDB memory limit")
    ap.add_argument("--workdir", default=None, help="where to write the Parquet files")
    ap.add_argument("--keep", action="store_true", help="keep the Parquet files")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1])
        return
    sys.path.insert(0, str(ROOT / "src"))
    from innesto.engines.synthetic import write_microdata

    sizes = [int(float(s)) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; DuckDB memory_limit "
          f"{args.memory_limit}; 1,500 regions x 600 industries x 20 years", flush=True)
    print(f"{'rows':>12} {'write s':>8} {'read+agg s':>10} {'matrix s':>9} {'total s':>8} "
          f"{'rows/s':>12} {'peak GiB':>9} {'cells':>11}", flush=True)
    tmp = tempfile.TemporaryDirectory(prefix="innesto-scale-", dir=args.workdir)
    try:
        for n in sizes:
            data = Path(tmp.name) / f"micro_{n}.parquet"
            t0 = time.perf_counter()
            write_microdata(data, n, batch_rows=1_000_000, seed=1)
            written = time.perf_counter() - t0
            proc = subprocess.run([sys.executable, __file__, "--worker", str(data),
                                   args.memory_limit], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{n:>12,} FAILED: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            total = r["relational"] + r["matrix"]
            print(f"{n:>12,} {written:8.1f} {r['relational']:10.1f} {r['matrix']:9.1f} "
                  f"{total:8.1f} {n / total:12,.0f} {r['maxrss_kib'] / 1024**2:9.2f} "
                  f"{r['cells']:>11,}", flush=True)
            if args.keep:
                print(f"  kept {data}")
            else:
                data.unlink()
    finally:
        if not args.keep:
            tmp.cleanup()


if __name__ == "__main__":
    main()
