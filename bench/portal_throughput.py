"""Portal throughput and latency, cached against uncached pages, with gunicorn on loopback.

Not a test: ``python bench/portal_throughput.py [--requests 200] [--concurrency 4]``.
It loads the Torino example into a temporary SQLite database (``innesto demo --no-serve``),
starts gunicorn twice on 127.0.0.1 (page cache off, then on; local-memory cache, or Redis
when REDIS_URL is set), sends the same bounded set of GET requests to each, and prints
requests per second with the p50 and p99 latency, and the cached/uncached ratio measured
in the same run.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PAGES = ["/it/", "/en/plan/2006/", "/it/piano/2006/industrial-transformation/",
         "/en/plan/2006/indicators/lq-manufacturing/", "/en/sectors/ict/", "/api/plans",
         "/api/indicators?edition=2006"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not start")


def fetch(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
    return time.perf_counter() - t0


def run(env: dict[str, str], n: int, concurrency: int, workers: int) -> tuple[float, float, float]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "innesto.portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/it/")
        for page in PAGES:  # warm-up: imports, panel load, first render (and cache fill)
            fetch(base + page)
        urls = [base + PAGES[i % len(PAGES)] for i in range(n)]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            lat = sorted(pool.map(fetch, urls))
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]
    return n / wall, p50, p99


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="innesto-bench-") as tmp:
        env = {**os.environ, "INNESTO_DATA_DIR": tmp, "SECRET_KEY": "bench-only-" + "x" * 40,
               "DJANGO_SETTINGS_MODULE": "innesto.portal.settings"}
        env.pop("DATABASE_URL", None)
        root = Path(__file__).resolve().parents[1]
        subprocess.run([sys.executable, "-m", "innesto.cli.app", "demo", "--no-serve",
                        "--data-dir", tmp], env=env, cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"{args.requests} GET requests over {len(PAGES)} pages, concurrency "
              f"{args.concurrency}, gunicorn workers {args.workers}, cache "
              f"{'Redis' if env.get('REDIS_URL') else 'local memory'}")
        results = {}
        for label, seconds in (("uncached", "0"), ("cached", "300")):
            rps, p50, p99 = run({**env, "INNESTO_CACHE_SECONDS": seconds}, args.requests,
                                args.concurrency, args.workers)
            results[label] = rps
            print(f"{label:9s} {rps:8.1f} req/s   p50 {p50 * 1000:7.1f} ms   "
                  f"p99 {p99 * 1000:7.1f} ms")
        print(f"cached / uncached throughput: {results['cached'] / results['uncached']:.1f}x")


if __name__ == "__main__":
    main()
