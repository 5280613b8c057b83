"""Issue 14: UTF-16 input was refused as binary (its NUL bytes); UTF-16 with a byte-order
mark (what spreadsheet programs save as "Unicode text") and UTF-8 with a BOM are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from innesto.sources._parse import read_text
from innesto.sources._tabular import decode

TEXT = "geo\\time\t2019\t2020\nITC1\t12 p\t: c\nForlì\t3\t4\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_bom_marked_text_is_read(tmp_path: Path, encoding: str) -> None:
    raw = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # add the BOM these codecs leave out
        raw = "\ufeff".encode(encoding) + raw
    p = tmp_path / "t.tsv"
    p.write_bytes(raw)
    assert read_text(p) == TEXT
    text, _ = decode(p)
    assert text == TEXT


def test_nul_in_utf16_text_is_still_refused(tmp_path: Path) -> None:
    from innesto.errors import SourceError

    p = tmp_path / "t.tsv"
    p.write_bytes("a\x00b\n".encode("utf-16"))
    with pytest.raises(SourceError, match="NUL"):
        read_text(p)


def test_broken_utf16_names_its_line(tmp_path: Path) -> None:
    """A UTF-16 file cut in the middle of a character (odd length) is refused naming the
    line of the cut, like every other reading error (the fuzz tests require a line)."""
    from innesto.errors import SourceError

    p = tmp_path / "t.tsv"
    p.write_bytes("a\nb\nc".encode("utf-16") + b"x")
    with pytest.raises(SourceError, match="broken UTF-16") as err:
        read_text(p)
    assert err.value.line == 3
    p.write_bytes("a\nb\x00\n".encode("utf-16"))
    with pytest.raises(SourceError, match="NUL") as err:
        read_text(p)
    assert err.value.line == 2
