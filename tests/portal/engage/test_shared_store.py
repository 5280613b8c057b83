"""Issue 14, shared cache and limiter: every worker sees one cache (Redis, or the database
cache without Redis, never per-process memory), and a Redis outage degrades to the database
cache: pages keep serving and rate limits keep holding.

The Redis server is the test's own ``redis-server`` process on a free port, stopped with
SIGKILL in the middle of the test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from innesto.portal.security_conf import caches
from tests.portal.engage.helpers import make_lists, subscribe_data

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield proc, f"redis://127.0.0.1:{port}/0"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _posts(ip: str, lists: Any, n: int) -> list[int]:
    client = Client(REMOTE_ADDR=ip)
    return [client.post("/en/subscribe/", subscribe_data(f"p{k}.{ip}@example.org", lists["plan"]))
            .status_code for k in range(n)]


def test_pages_and_limits_survive_redis_going_away(
        tiny_plan: Any, smtp_server: object, settings: Any,
        redis_server: tuple[subprocess.Popen[bytes], str]) -> None:
    proc, url = redis_server
    settings.CACHES = caches(redis_url=url, mode="")
    settings.CACHE_SECONDS = 300
    settings.ENGAGE_RATE_LIMITS = {"ip": (3, 3600), "address": (100, 3600)}
    lists = make_lists()
    pages = ["/it/", "/en/plan/2006/", "/it/iscriviti/", "/en/report/2006/"]
    assert [Client().get(p).status_code for p in pages] == [200] * 4
    import redis

    assert redis.Redis.from_url(url).dbsize() > 0  # the cache really is in Redis
    assert _posts("192.0.2.10", lists, 4) == [302, 302, 302, 429]

    proc.kill()
    proc.wait(timeout=10)
    assert [Client().get(p).status_code for p in pages] == [200] * 4
    assert _posts("192.0.2.11", lists, 4) == [302, 302, 302, 429]
    assert _posts("192.0.2.10", lists, 1) == [302]  # counting restarted in the database


def test_without_redis_the_default_cache_is_the_database_not_process_memory() -> None:
    assert caches(redis_url="", mode="")["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache")
    assert caches(redis_url="redis://x", mode="")["default"]["OPTIONS"]["FALLBACK"] == (
        "database")


@pytest.mark.slow
def test_two_worker_processes_share_one_cache(tmp_path: Path) -> None:
    """What one process (a gunicorn worker) stores, another reads: the default serving
    setup (no REDIS_URL) keeps the cache in the database, not in each process."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "INNESTO_CACHE"}}
    env.update({"INNESTO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE":
                "innesto.portal.settings", "PYTHONPATH": str(ROOT / "src")})

    def run(code: str) -> str:
        r = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                           env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    run("from django.core.management import call_command; "
        "call_command('migrate', verbosity=0)")
    run("from django.core.cache import cache; cache.set('shared', 41 + 1)")
    assert run("from django.core.cache import cache; print(cache.get('shared'))") == "42"


def test_serve_refuses_process_memory_with_several_workers(settings: Any) -> None:
    from innesto.cli.serve import check_shared_cache
    from innesto.errors import InnestoError

    settings.CACHES = caches(mode="memory")
    check_shared_cache(1)
    with pytest.raises(InnestoError, match="REDIS_URL"):
        check_shared_cache(2)
