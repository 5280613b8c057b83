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


def test_the_temporary_path_does_not_exist_until_the_writer_creates_it(tmp_path: Path) -> None:
    """The writer creates its file rather than truncating one that mkstemp made: ext4
    writes a truncated-then-rewritten file out to disk when it is closed (auto_da_alloc),
    which cost ``innesto pipeline`` 70 ms on its largest table. Its private folder goes
    with it, on success and on failure."""
    target = tmp_path / "t.parquet"
    with atomic_path(target, suffix=".parquet") as tmp:
        assert not tmp.exists() and tmp.parent.is_dir() and tmp.name.startswith(".innesto-")
        with open(tmp, "xb") as fh:  # "x": fails if the file were already there
            fh.write(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_the_pipelines_tables_have_the_permissions_of_new_files(tmp_path: Path) -> None:
    """The pipeline's table writer (several files committed together) names its
    temporary files through innesto._atomic too: its tables were 0600 before."""
    import pyarrow as pa

    from innesto.engines.outputs import BUILT, TableSink

    old = os.umask(0o022)
    try:
        with TableSink(tmp_path, ["regions", "industries"]) as sink:
            sink.write("regions", BUILT["regions"].empty_table())
    finally:
        os.umask(old)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["industries.parquet", "regions.parquet"]
    for p in tmp_path.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
    with pytest.raises((pa.ArrowInvalid, ValueError)), TableSink(tmp_path / "x", ["regions"]) as sink:
        sink.write("regions", pa.table({"nope": [1]}))
    assert list((tmp_path / "x").iterdir()) == []
