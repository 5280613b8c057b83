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
import subprocess
import sys
import tempfile
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
    lint = [p for p in ("src", "tests", "bench", "scripts", "dev.py") if (ROOT / p).exists()]
    run(BIN / "ruff", "check", *lint, env=env)
    run(BIN / "mypy", env=env)
    run(BIN / "lint-imports", env=env)
    run(PY, str(ROOT / "scripts" / "complexity.py"), str(ROOT / "src"), env=env)
    with tempfile.TemporaryDirectory() as site:
        run(BIN / "mkdocs", "build", "--strict", "--quiet", "--site-dir", site, env=env)
    # pytest's exit 5 (no tests collected) is non-zero, so it fails here too.
    run(PY, "-m", "pytest", *parallel(args), *args, env=env)


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist options when ``INNESTO_TEST_WORKERS`` asks for workers (``auto``: one
    per core), with every Spark test on one worker (docs/testing.md). Unset, or when the
    arguments already choose (``-n 4``, ``-p no:xdist``), nothing is added: one process."""
    workers = os.environ.get("INNESTO_TEST_WORKERS", "").strip()
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist"
                 for a in args)
    if chosen or workers in ("", "0", "1"):
        return []
    return ["-n", workers, "--dist", "loadgroup"]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    {"demo": demo, "test": test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
