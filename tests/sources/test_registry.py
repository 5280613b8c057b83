"""Format sniffing: a damaged file gives innesto's own error with its location."""

from __future__ import annotations

from pathlib import Path

import pytest

from innesto.errors import SourceError
from innesto.sources.registry import detect_format, read


@pytest.mark.parametrize("data", [b"\x1f\x8b", b"\x1f\x8bxx", b"\x1f\x8b\x08\x00garbage"])
def test_a_broken_gzip_file_is_a_source_error_not_a_crash(tmp_path: Path, data: bytes) -> None:
    """Found by the ingest fuzz test (hypothesis seed 12): EOFError escaped the sniffer."""
    path = tmp_path / "x.csv.gz"
    path.write_bytes(data)
    with pytest.raises(SourceError, match="gzip") as exc:
        detect_format(path)
    assert str(path) in str(exc.value)
    with pytest.raises(SourceError):
        read(path)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        detect_format(tmp_path / "nope.csv")
