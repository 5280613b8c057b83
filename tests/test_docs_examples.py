"""Every shell command and Python example in README.md and docs/ runs here, as written.

A page's blocks run in order in a fresh project folder: ``examples`` is a copy of the
checkout's, ``src`` a link to its sources, ``../shared`` a link to the shared data when present, and the venv's
``innesto`` is on ``PATH``. Python blocks of one page share a namespace. Two HTML comments,
invisible on the rendered page, steer the run:

- ``<!-- docs-setup ... -->``: Python run before the next block (e.g. to make the small
  input file a command names);
- ``<!-- docs-test: not-run REASON -->``: the next block is not run (it serves until
  stopped, or needs a Spark cluster or the internet); the reason is required, and
  :data:`MAX_NOT_RUN` bounds how many there are.

A block counts as code when its language is python, bash, sh, shell or console, or when
it has none (or ``text``) and its first line is a command (``innesto``, ``python``, ``$``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from innesto.errors import DoubleCountingWarning
from tests.conftest import SHARED_DATA, require_shared

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MAX_NOT_RUN = 12
SHELL_LANGS = {"bash", "sh", "shell", "console"}
COMMAND = re.compile(r"^(\$ )?(innesto|python3?|pip|cat|PYSPARK_PYTHON|env/)\b")
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
MARK = re.compile(r"<!--\s*docs-(setup|test:\s*not-run)(.*?)-->", re.S)


@dataclass
class Block:
    page: Path
    line: int
    kind: str  # "python" or "shell"
    body: str
    setup: list[str] = field(default_factory=list)
    not_run: str | None = None


def blocks(page: Path) -> list[Block]:
    """The code blocks of ``page``, each with the setup and not-run marks before it."""
    text = page.read_text(encoding="utf-8")
    marks = [(m.start(), m.group(1), m.group(2)) for m in MARK.finditer(text)]
    out: list[Block] = []
    last = 0
    for m in FENCE.finditer(text):
        lang, body = m.group(1).lower(), m.group(2)
        before = [(k, v) for pos, k, v in marks if last <= pos < m.start()]
        last = m.end()
        first = next((ln.strip() for ln in body.splitlines()
                      if ln.strip() and not ln.strip().startswith("#")), "")
        if lang == "python" and not first.startswith(">>>"):
            kind = "python"
        elif lang in SHELL_LANGS or (lang in ("", "text") and COMMAND.match(first)):
            kind = "shell"
        else:
            continue
        b = Block(page, text.count("\n", 0, m.start()) + 1, kind, body)
        for k, v in before:
            if k == "setup":
                b.setup.append(v)
            else:
                b.not_run = v.strip()
        out.append(b)
    return out


ALL = [b for p in PAGES for b in blocks(p)]


def commands(body: str, console: bool) -> list[str]:
    """Shell commands of a block: continuation lines joined; with ``console``, only the
    ``$ `` lines (the rest is output)."""
    out, cur = [], ""
    for raw in body.splitlines():
        line = raw.rstrip()
        if console and not cur:
            if not line.startswith("$ "):
                continue
            line = line[2:]
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        cur += line[:-1] + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            out.append(cur.strip())
            cur = ""
    return out


def _project(tmp: Path) -> tuple[Path, dict[str, str]]:
    proj = tmp / "work" / "project"
    proj.mkdir(parents=True)
    shutil.copytree(ROOT / "examples", proj / "examples")  # commands may write into it
    (proj / "src").symlink_to(ROOT / "src")
    if SHARED_DATA.exists():
        (tmp / "work" / "shared").mkdir()
        (tmp / "work" / "shared" / "data").symlink_to(SHARED_DATA)
    # the examples run as a new user's would: SQLite in the project folder, no Redis
    env = {k: v for k, v in os.environ.items()
           if k not in ("INNESTO_DATA_DIR", "DATABASE_URL", "REDIS_URL")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["INNESTO_DATA_DIR"] = str(proj / "var")
    env.setdefault("SECRET_KEY", "docs-examples-only-" + "x" * 40)
    env["PYTHONPATH"] = str(ROOT / "src")
    return proj, env


def _needs_shared(page: Path) -> bool:
    return any("../shared/data" in b.body or any("../shared" in s for s in b.setup)
               for b in blocks(page) if b.not_run is None)


def test_not_run_blocks_are_few_and_say_why() -> None:
    skipped = [b for b in ALL if b.not_run is not None]
    for b in skipped:
        assert len(b.not_run or "") > 15, f"{b.page.name}:{b.line}: say why it is not run"
    assert len(skipped) <= MAX_NOT_RUN, [f"{b.page.name}:{b.line}" for b in skipped]
    assert len(ALL) - len(skipped) >= 20  # most examples do run


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if any(
    b.not_run is None for b in blocks(p))], ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    if _needs_shared(page):
        require_shared()
    proj, env = _project(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    cwd = os.getcwd()
    os.chdir(proj)
    try:
        for b in blocks(page):
            where = f"{page.relative_to(ROOT)}:{b.line}"
            for code in b.setup:
                exec(compile(code, f"{where} (setup)", "exec"), namespace)
            if b.not_run is not None:
                continue
            if b.kind == "python":
                with warnings.catch_warnings():  # an example must not double count
                    warnings.simplefilter("error", DoubleCountingWarning)
                    exec(compile(b.body, where, "exec"), namespace)
                continue
            console = "$ " in b.body.splitlines()[0] if b.body.strip() else False
            for cmd in commands(b.body, console):
                res = subprocess.run(cmd, shell=True, cwd=proj, env=env, capture_output=True,
                                     text=True, timeout=600, stdin=subprocess.DEVNULL)
                assert res.returncode == 0, (
                    f"{where}: `{cmd}` exited {res.returncode}\n{res.stdout[-2000:]}"
                    f"\n{res.stderr[-3000:]}")
                assert "Traceback (most recent call last)" not in res.stderr, (where, cmd)
    finally:
        os.chdir(cwd)
