"""The wheel works outside the checkout: built, installed with the portal extra in a fresh
virtual environment, and ``innesto demo --no-serve`` run in an empty folder with no
environment (issue 13, item 2). The environment is kept between runs, keyed on
pyproject.toml, so only the innesto wheel is reinstalled when the dependencies did not
change (pip's own cache serves the first install)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


def _run(argv: list[str | Path], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          timeout=1500, **kw)  # type: ignore[call-overload,no-any-return]


@pytest.mark.slow
def test_the_wheel_runs_the_demo_in_an_empty_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT])
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("innesto-*.whl")

    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:12]
    venv = Path(tempfile.gettempdir()) / f"innesto-wheel-test-{key}"
    py = venv / "bin" / "python"
    if not py.exists():
        assert _run([sys.executable, "-m", "venv", venv]).returncode == 0
        # --no-compile: the demo compiles (and caches) what it imports, instead of pip
        # byte-compiling every module of every dependency, most never imported here
        deps = _run([py, "-m", "pip", "install", "-q", "--no-compile", f"{wheel}[portal]"])
        assert deps.returncode == 0, deps.stderr
    again = _run([py, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel])
    assert again.returncode == 0, again.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(empty)}
    res = _run([venv / "bin" / "innesto", "demo", "--no-serve", "-q"], cwd=empty, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    assert "loaded edition" in res.stdout and "location quotient by sector" in res.stdout
    # what it ran is the installed package, not this checkout
    where = _run([py, "-c", "import innesto; print(innesto.__file__)"], cwd=empty, env=env)
    assert str(venv) in where.stdout and str(ROOT) not in where.stdout
    # the library's compiled catalogs ship in the wheel (without them gettext falls back to
    # the English msgids and the Italian pages would silently speak English)
    said = _run([py, "-c", "from innesto.plan.i18n import nplural, tr; print(tr('it', "
                 "'not available')); print(nplural('it', '%(n)d not available', "
                 "'%(n)d not available', 2))"], cwd=empty, env=env)
    assert said.stdout.split("\n")[:2] == ["non disponibile", "2 non disponibili"], said.stderr


def test_a_missing_extra_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Django, the commands that serve the site say which extra to install."""
    import importlib.util

    from innesto.cli.app import _register, app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "django" else real(name, *a))
    _register()
    for argv in (["demo", "--no-serve"], ["serve"], ["archive", "2006", "-o", "x"]):
        res = CliRunner().invoke(app, argv)
        assert res.exit_code == 3, res.output
        assert "needs the extra: pip install 'innesto[portal]'" in res.output
