"""Scale: synthetic establishment microdata, from reading Parquet to density for every year.

For each size (default 1e6, 1e7, 1e8 rows; 1,500 regions, 600 industries, 20 years) the
microdata are written to Parquet first, streamed in row groups of 1e6 rows (never the whole
table in memory; not timed). Then, timed, each in a fresh process:

- *library*: DuckDB with ``SET memory_limit='8GB'`` reads the Parquet file and aggregates
  the microdata to the panel (employees per region, industry and year, through
  :mod:`innesto.engines.relational`), and the matrix stage computes RCA, M,
  diversity/ubiquity, ECI/PCI, proximity and density for every year
  (:func:`innesto.engines.pipeline.run`), results kept in memory;
- *CLI*: what a user runs, the whole process ``innesto pipeline FILE -o OUT --microdata
  ... --memory-limit 8GB``, from the file to the four tables written (``cells`` has a row
  for every region x industry x year with a value or a density: up to 18 million).

Prints rows/s and peak memory per size and route, with the load average at each run.
Memory should not grow with the rows beyond what the panel's cells need (the rows stream
through DuckDB; the panel has at most 1,500 x 600 x 20 = 18 million cells).

Usage::

    nice -n 10 python bench/scale.py --sizes 1e6,1e7
    nice -n 10 python bench/scale.py              # 1e6, 1e7, 1e8 rows
    nice -n 10 python bench/scale.py --sizes 1e6,1e7 --routes cli
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def cli(data: Path, out: Path, memory_limit: str) -> list[str]:
    """The command line a user runs on the microdata."""
    return [sys.executable, "-c", "from innesto.cli.app import main; main()", "pipeline",
            str(data), "-o", str(out), "-q", "--microdata", "--unit", "unit", "--region",
            "region", "--industry", "industry", "--time", "year", "--weight", "weight",
            "--memory-limit", memory_limit]


def launch(cmd: list[str]) -> None:
    """Run ``cmd`` as this process's only child; print its wall time and peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"wall": wall, "maxrss_kib": rss, "returncode": proc.returncode,
                      "stdout": proc.stdout[-2000:],
                      "error": proc.stderr.strip().splitlines()[-1:]}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e6,1e7,1e8", help="comma-separated row counts")
    ap.add_argument("--routes", default="library,cli", help="library, cli or both")
    ap.add_argument("--memory-limit", default="8GB", help="DuckDB memory limit")
    ap.add_argument("--workdir", default=None, help="where to write the Parquet files")
    ap.add_argument("--keep", action="store_true", help="keep the Parquet files")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--launch", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1])
        return
    if args.launch:
        launch(args.launch)
        return
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    from innesto.engines.synthetic import write_microdata

    sizes = [int(float(s)) for s in args.sizes.split(",")]
    routes = args.routes.split(",")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; DuckDB memory_limit "
          f"{args.memory_limit}; 1,500 regions x 600 industries x 20 years", flush=True)
    print(f"{'rows':>12} {'route':>8} {'write s':>8} {'read+agg s':>10} {'matrix s':>9} "
          f"{'total s':>8} {'rows/s':>12} {'peak GiB':>9} {'cells':>11} {'load':>5}",
          flush=True)
    print("  (cells: the panel's cells on the library route; rows of cells.parquet, every "
          "cell with a value or a density, on the cli route)", flush=True)
    tmp = tempfile.TemporaryDirectory(prefix="innesto-scale-", dir=args.workdir)
    try:
        for n in sizes:
            data = Path(tmp.name) / f"micro_{n}.parquet"
            t0 = time.perf_counter()
            write_microdata(data, n, batch_rows=1_000_000, seed=1)
            written = time.perf_counter() - t0
            for route in routes:
                load = os.getloadavg()[0]
                out = Path(tmp.name) / "out"
                cmd = cli(data, out, args.memory_limit) if route == "cli" else \
                    [sys.executable, __file__, "--worker", str(data), args.memory_limit]
                proc = subprocess.run([sys.executable, __file__, "--launch", *cmd],
                                      capture_output=True, text=True)
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                if r["returncode"] != 0:
                    print(f"{n:>12,} {route:>8} FAILED: {r['error']}", flush=True)
                    continue
                peak = r["maxrss_kib"] / 1024**2
                if route == "cli":
                    cells = int(r["stdout"].split(" cells")[0].rsplit(" ", 1)[-1])
                    rel = mat = float("nan")
                    total = r["wall"]
                else:
                    w = json.loads(r["stdout"].strip().splitlines()[-1])
                    rel, mat, cells = w["relational"], w["matrix"], w["cells"]
                    total = rel + mat
                print(f"{n:>12,} {route:>8} {written:8.1f} {rel:10.1f} {mat:9.1f} "
                      f"{total:8.1f} {n / total:12,.0f} {peak:9.2f} {cells:>11,} "
                      f"{load:5.1f}", flush=True)
                shutil.rmtree(out, ignore_errors=True)
            if args.keep:
                print(f"  kept {data}")
            else:
                data.unlink()
    finally:
        if not args.keep:
            tmp.cleanup()


if __name__ == "__main__":
    main()
