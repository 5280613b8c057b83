"""Atomic writes: nothing half-written on failure, ordinary permissions on success."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from innesto._atomic import atomic_path, write_text


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = write_text(tmp_path / "out.csv", "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_finished_file_has_the_permissions_of_a_new_file(tmp_path: Path) -> None:
    """mkstemp creates 0600 files; a user's outputs must be readable as any new file is."""
    old = os.umask(0o022)
    try:
        target = write_text(tmp_path / "sub" / "out.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
