"""Portal throughput and latency: pages and API, cached and uncached, gunicorn on loopback.

Not a test: ``python bench/portal_throughput.py [--requests 600] [--clients 20,100]``.
It loads the Torino example into a temporary SQLite database (``innesto demo --no-serve``),
starts gunicorn twice on 127.0.0.1 (page and API cache off, then on; the database cache,
or Redis when REDIS_URL is set), and for each server sends the same bounded set of GET
requests to the pages and to the API from N concurrent clients. It prints requests per
second with the p50 and p99 latency of each group, then the two targets of the issue,
measured in the same run:

- API requests/s at 20 clients against cached pages' requests/s at 20 clients (target >= 0.5);
- p99 latency of cached pages at 100 clients (target < 100 ms).

``--report-flood`` adds the issue-14 scenario: 8 clients loop on monitoring-report URLs
(HTML and PDF, both languages, a different ``date`` each time) while the cached home page
is timed; its p99 under the flood is printed as a ratio of its idle p99, same run (target:
under 5x).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PAGES = ["/it/", "/en/plan/2006/", "/it/piano/2006/industrial-transformation/",
         "/en/plan/2006/indicators/lq-manufacturing/", "/en/sectors/ict/"]
API = ["/api/plans", "/api/indicators?edition=2006", "/api/plans/2006/nodes?limit=20",
       "/api/indicators/2006/lq-manufacturing", "/api/sectors", "/api/measures/ict"]
GROUPS = {"pages": PAGES, "api": API}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 600.0) -> None:
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


class _Get(asyncio.Protocol):
    """One HTTP/1.1 GET on a fresh connection (gunicorn's sync workers close it), read to
    the end; a bare protocol rather than asyncio streams, so the load generator, which
    shares the machine with the server, spends as little CPU as it can per request."""

    def __init__(self, request: bytes, done: asyncio.Future[bytes]) -> None:
        self.request, self.done, self.chunks = request, done, []  # type: list[bytes]

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            if exc is None:
                self.done.set_result(b"".join(self.chunks))
            else:
                self.done.set_exception(exc)


async def _get(port: int, path: str) -> float:
    """The latency of one GET of ``path``; its status must be 200."""
    loop = asyncio.get_running_loop()
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
               f"Accept-Encoding: identity\r\n\r\n").encode()
    t0 = time.perf_counter()
    done: asyncio.Future[bytes] = loop.create_future()
    await loop.create_connection(lambda: _Get(request, done), "127.0.0.1", port)
    data = await done
    if not data.startswith(b"HTTP/1.1 200"):
        raise SystemExit(f"GET {path}: {data[:60]!r}")
    return time.perf_counter() - t0


async def _clients(port: int, paths: list[str], n: int, clients: int) -> list[float]:
    queue = iter(range(n))
    lat: list[float] = []

    async def client() -> None:
        for i in queue:
            lat.append(await _get(port, paths[i % len(paths)]))

    await asyncio.gather(*(client() for _ in range(clients)))
    return lat


def load(port: int, paths: list[str], n: int, clients: int) -> tuple[float, float, float]:
    """``n`` GETs cycling over ``paths`` from ``clients`` concurrent clients (one asyncio
    loop, so the load generator itself costs little CPU): (req/s, p50 s, p99 s)."""
    t0 = time.perf_counter()
    lat = sorted(asyncio.run(_clients(port, paths, n, clients)))
    wall = time.perf_counter() - t0
    p99 = lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]
    return n / wall, statistics.median(lat), p99


def serve(env: dict[str, str], workers: int, n: int, clients: list[int],
          ) -> dict[tuple[str, int], tuple[float, float, float]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "innesto.portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
         "--backlog", "2048", "--timeout", "600"],  # a first render on a loaded machine is slow
        env=env)
    out = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/it/")
        # Warm-up every worker (imports, panel, cache fill) with the very requests the load
        # sends: the cache key holds the Host header, which urllib would send with the port.
        asyncio.run(_clients(port, PAGES + API, len(PAGES + API) * workers * 3, 1))
        for c in clients:
            for group, paths in GROUPS.items():
                out[(group, c)] = load(port, paths, n, c)
    finally:
        stop_server(proc)
    return out


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn, killing it if it does not stop within a minute."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _home_latencies(base: str, n: int) -> list[float]:
    return sorted(fetch(base + "/it/") for _ in range(n))


def _p99(lat: list[float]) -> float:
    return lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]


def _flood(base: str, stop: threading.Event, codes: dict[int, int], seed: int) -> None:
    k = seed
    while not stop.is_set():
        k += 1
        day = f"{1990 + k % 40}-{1 + k % 12:02d}-{1 + k % 28:02d}"
        lang, word = (("it", "rapporto"), ("en", "report"))[k % 2]
        suffix = f"{word}.pdf" if k % 3 else ""
        try:
            with urllib.request.urlopen(f"{base}/{lang}/{word}/2006/{suffix}?date={day}",
                                        timeout=120) as r:
                r.read()
                code = r.status
        except urllib.error.HTTPError as exc:
            code = exc.code
        except OSError:
            code = 0
        codes[code] = codes.get(code, 0) + 1


def report_flood(env: dict[str, str], workers: int, clients: int = 8, n: int = 200) -> None:
    """Cached home page p99 idle, then while ``clients`` threads loop on report URLs."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "innesto.portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
         "--log-level", "warning"], env={**env, "INNESTO_CACHE_SECONDS": "300"})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/it/")
        idle = _home_latencies(base, n)
        stop = threading.Event()
        codes: dict[int, int] = {}
        threads = [threading.Thread(target=_flood, args=(base, stop, codes, 97 * i))
                   for i in range(clients)]
        for t in threads:
            t.start()
        time.sleep(2.0)  # let the flood start
        flooded = _home_latencies(base, n)
        stop.set()
        for t in threads:
            t.join(timeout=180)
    finally:
        stop_server(proc)
    ratio = _p99(flooded) / _p99(idle)
    print(f"report flood ({clients} clients): home p99 idle {_p99(idle) * 1000:.1f} ms, "
          f"flooded {_p99(flooded) * 1000:.1f} ms, ratio {ratio:.1f}x (target < 5x); "
          f"report answers {dict(sorted(codes.items()))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=600, help="per group and client count")
    ap.add_argument("--clients", default="20,100", help="concurrent clients, comma-separated")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cached-only", action="store_true",
                    help="skip the uncached server (the two targets need only the cached one)")
    ap.add_argument("--report-flood", action="store_true",
                    help="also time the home page while 8 clients loop on report URLs")
    args = ap.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="innesto-bench-") as tmp:
        env = {**os.environ, "INNESTO_DATA_DIR": tmp, "SECRET_KEY": "bench-only-" + "x" * 40,
               "DJANGO_SETTINGS_MODULE": "innesto.portal.settings"}
        env.pop("DATABASE_URL", None)
        root = Path(__file__).resolve().parents[1]
        subprocess.run([sys.executable, "-m", "innesto.cli.app", "demo", "--no-serve",
                        "--data-dir", tmp], env=env, cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"{args.requests} GET requests per group over {len(PAGES)} pages and "
              f"{len(API)} API calls; clients {args.clients}; gunicorn workers "
              f"{args.workers}; cache {'Redis' if env.get('REDIS_URL') else 'database'}; "
              f"load average {os.getloadavg()[0]:.2f}")
        res = {}
        runs = (("uncached", "0"), ("cached", "300"))
        for label, seconds in runs[1:] if args.cached_only else runs:
            for (group, c), (rps, p50, p99) in serve(
                    {**env, "INNESTO_CACHE_SECONDS": seconds}, args.workers, args.requests,
                    clients).items():
                res[(label, group, c)] = (rps, p99)
                print(f"{label:9s} {group:6s} {c:4d} clients {rps:8.1f} req/s   "
                      f"p50 {p50 * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms")
        lo, hi = min(clients), max(clients)
        ratio = res[("cached", "api", lo)][0] / res[("cached", "pages", lo)][0]
        print(f"API / cached pages throughput at {lo} clients: {ratio:.2f} (target >= 0.5)")
        print(f"cached pages p99 at {hi} clients: {res[('cached', 'pages', hi)][1] * 1000:.1f} ms"
              " (target < 100 ms)")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if args.report_flood:
            report_flood(env, args.workers)


if __name__ == "__main__":
    main()
