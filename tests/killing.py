"""Kill -9 a Python script at a point it announces: the crash tests' one way to do it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.conftest import ROOT


def env() -> dict[str, str]:
    """The environment a test's child process needs to import this checkout."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def kill_at_half_way(code: str, *args: str) -> None:
    """Run ``code`` with ``args`` and kill it with SIGKILL once it prints ``half-way``
    (lines before it, such as a diff, are skipped); fail with its stderr if it never does."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    while line and line.strip() != "half-way":
        line = proc.stdout.readline()
    assert line.strip() == "half-way", proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
