"""``python -m innesto.portal``: a management command's own failure is one ``error:`` line,
like every other expected failure, not Django's ``CommandError: ...``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_command_error_reads_as_one_error_line(tmp_path: Path) -> None:
    env = {**os.environ, "INNESTO_DEBUG": "1", "INNESTO_DATA_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    res = subprocess.run([sys.executable, "-m", "innesto.portal", "load_plan", "nowhere"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == ["error: nowhere: no such plan file or folder"]
    assert "Traceback" not in res.stderr and "CommandError" not in res.stderr
