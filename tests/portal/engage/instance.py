"""A separate portal instance (its own database and data directory) driven by subprocesses.

Crash tests need a process to SIGKILL, and backup tests need "an empty instance" to restore
into, so both run ``python -m innesto.portal ...`` against a fresh SQLite file, or a fresh
PostgreSQL database on the server of ``DATABASE_URL`` when that points at PostgreSQL.

:meth:`Instance.migrate` gives a fresh instance the migrated schema. The migrations run
once per test process and backend (``python -m innesto.portal migrate --noinput`` in a
subprocess, into a template instance of its own); each instance then gets a copy of that
database: the SQLite file copied, or a PostgreSQL database created from the template
(``CREATE DATABASE ... TEMPLATE``). The copy is the same database the command would have
made, without its CPU (about 5 s a time on this machine); the migrations themselves are
run by the template, by pytest-django's test database, by ``innesto restore`` (which
migrates its target) and by tests/cli/test_no_traceback.py.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


class Instance:
    """One portal installation: ``manage()`` runs a management command in a subprocess."""

    def __init__(self, base: Path, *, postgres: bool | None = None, **env: str) -> None:
        self.base = base
        self.data = base / "data"
        self.media = self.data / "media"
        self.media.mkdir(parents=True, exist_ok=True)
        self.postgres = on_postgres() if postgres is None else postgres
        self.dbname = ""
        if self.postgres:
            self.dbname = f"innesto_t_{uuid.uuid4().hex[:10]}"
            parts = urlsplit(os.environ["DATABASE_URL"])
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self._admin(f'CREATE DATABASE "{self.dbname}"')
            self.url = urlunsplit(parts._replace(path=f"/{self.dbname}"))
        else:
            self.url = f"sqlite:///{base / 'db.sqlite3'}"
        # Each instance is an installation of its own: it keeps its cache in its own
        # database. Inheriting the runner's REDIS_URL would make two sites (a backup's
        # source and its restored copy) share one cache and read each other's entries.
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
            "DJANGO_SETTINGS_MODULE": "innesto.portal.settings",
            "DATABASE_URL": self.url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "innesto-tests-only-secret-key-0123456789-abcdefghijklmnop"),
            "INNESTO_DATA_DIR": str(self.data),
            "INNESTO_MEDIA_ROOT": str(self.media),
            "INNESTO_SITE_URL": "http://testserver",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            **env,
        }

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def migrate(self) -> None:
        """Give this fresh instance the migrated schema (a copy of the template's, see the
        module documentation); its database must not have been used yet."""
        template = _template(self.postgres)
        if self.postgres:
            self._admin(f'DROP DATABASE "{self.dbname}"')
            self._admin(f'CREATE DATABASE "{self.dbname}" TEMPLATE "{template.dbname}"')
        else:
            shutil.copyfile(template.base / "db.sqlite3", self.base / "db.sqlite3")

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "innesto.portal", *args]

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(self.command(*args), env=self.env, cwd=self.base,
                              capture_output=True, text=True, timeout=300)
        if check and proc.returncode != 0:
            raise AssertionError(f"{args} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def popen(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), env={**self.env, **env}, cwd=self.base,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def python(self, code: str) -> Any:
        """Run ``code`` with Django set up; it must ``print(json.dumps(result))`` last."""
        script = "import django, json\ndjango.setup()\n" + code
        proc = subprocess.run([sys.executable, "-c", script], env=self.env, cwd=self.base,
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            raise AssertionError(f"script failed:\n{proc.stderr}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def kill_when_stalled(self, model: str, n: int, call: str, *args: str) -> None:
        """Run ``call`` (Python, with Django set up) in a subprocess that stalls at the
        ``n``-th ``post_save`` of ``model`` ("app.module.Model"), then SIGKILL it there:
        the worst moment for a transaction, half-way through its writes. ``args`` are the
        script's ``sys.argv[1:]``."""
        import signal

        module, name = model.rsplit(".", 1)
        script = f"""
import sys, time
import django
django.setup()
from pathlib import Path
from django.db.models.signals import post_save
from {module} import {name}
saved = 0
def stall(sender, instance, **kw):
    global saved
    saved += 1
    if saved == {n}:
        print("half-way", flush=True)
        time.sleep(600)
post_save.connect(stall, sender={name})
{call}
print("finished", flush=True)
"""
        proc = subprocess.Popen([sys.executable, "-c", script, *args], env=self.env,
                                cwd=self.base, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "half-way", proc.stderr.read() if proc.stderr else ""
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def drop(self) -> None:
        if self.postgres and self.dbname:
            self._admin(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


_templates: dict[bool, Instance] = {}


def _template(postgres: bool) -> Instance:
    """This process's migrated template instance on PostgreSQL or SQLite (made once)."""
    if postgres not in _templates:
        base = Path(tempfile.mkdtemp(prefix="innesto-template-"))
        template = Instance(base, postgres=postgres)
        atexit.register(shutil.rmtree, base, ignore_errors=True)
        atexit.register(template.drop)
        template.manage("migrate", "--noinput")
        _templates[postgres] = template
    return _templates[postgres]


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    """A migrated separate instance, dropped afterwards (its PostgreSQL database too)."""
    inst = Instance(tmp_path)
    try:
        inst.migrate()
        yield inst
    finally:
        inst.drop()
