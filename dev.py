#!/usr/bin/env python3
"""Set up innesto on a fresh machine (only Python 3.11 and pip) and run its two jobs.

    python3 dev.py demo    # venv + install, then the Torino demo (analysis, plan, portal)
    python3 dev.py test    # venv + install with test extras, then lint, types, docs, tests

The virtual environment lives in ``.venv``; it is reinstalled only when ``pyproject.toml``
changes. Any extra arguments after ``test`` go to pytest; after ``demo``, to ``innesto demo``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if code != 0:
        sys.exit(code)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project with ``extras`` unless already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be run by an older python3)
        sys.exit(f"innesto needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".innesto-installed-{extras.replace(',', '-') or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(digest)


def demo(args: list[str]) -> None:
    ensure_venv("portal")  # the demo serves the site: the library plus the portal extra
    run(BIN / "innesto", "demo", *args)


def test(args: list[str]) -> None:
    ensure_venv("test")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # Every worker and every subprocess of the tests imports the same modules: let Python
    # keep their bytecode (in the git-ignored __pycache__) instead of compiling them, and
    # pytest its rewritten test modules, again in each (about 5 s of CPU per process).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # The static checks run beside pytest, at a lower priority: they take the CPU the
    # tests leave idle (while a worker waits on a subprocess or a browser, and at the end
    # of the run when one worker is still busy) instead of adding their time before it.
    checks = StaticChecks(env)
    checks.start()
    # pytest's exit 5 (no tests collected) is non-zero, so it fails here too.
    code = call(PY, "-m", "pytest", *parallel(args), *args, env=env)
    failed = checks.wait()
    if failed:
        print(f"static checks failed: {', '.join(failed)}", flush=True)
    sys.exit(code or (1 if failed else 0))


class StaticChecks(threading.Thread):
    """ruff, mypy (with its cache, .mypy_cache), the import contracts, the complexity limit
    and the docs build, one after the other in a thread, each niced below pytest; each
    one's output is printed whole when it ends."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.env = env
        self.failed: list[str] = []

    def commands(self, site: str) -> list[list[str]]:
        lint = [p for p in ("src", "tests", "bench", "scripts", "dev.py") if (ROOT / p).exists()]
        return [[str(BIN / "ruff"), "check", *lint],
                [str(BIN / "mypy")],
                [str(BIN / "lint-imports")],
                [str(PY), str(ROOT / "scripts" / "complexity.py"), str(ROOT / "src")],
                [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", site]]

    def run(self) -> None:
        with tempfile.TemporaryDirectory() as site:
            for cmd in self.commands(site):
                start = time.monotonic()
                res = subprocess.run(["nice", "-n", "5", *cmd] if shutil.which("nice") else cmd,
                                     cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
                name = Path(cmd[0]).name if cmd[0] != str(PY) else Path(cmd[1]).name
                status = "ok" if res.returncode == 0 else f"FAILED (exit {res.returncode})"
                took = time.monotonic() - start
                print(f"+ {' '.join(cmd)}: {status} ({took:.0f} s)\n{res.stdout}", end="",
                      flush=True)
                if res.returncode != 0:
                    self.failed.append(name)

    def wait(self) -> list[str]:
        self.join()
        return self.failed


def call(*cmd: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist options: ``INNESTO_TEST_WORKERS`` workers (default 2; ``auto``: one per
    core), with every Spark test on one worker (docs/testing.md). ``0`` or ``1``, or
    arguments that already choose (``-n 4``, ``-p no:xdist``), add nothing."""
    workers = os.environ.get("INNESTO_TEST_WORKERS", "").strip() or "2"
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist"
                 for a in args)
    if chosen or workers in ("0", "1"):
        return []
    return ["-n", workers, "--dist", "loadgroup"]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    {"demo": demo, "test": test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
