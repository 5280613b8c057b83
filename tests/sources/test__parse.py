"""Cell, flag and NUTS-version helpers shared by the Eurostat readers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from innesto.errors import SourceError
from innesto.sources import _parse as P
from innesto.sources.values import EUROSTAT_SBS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123.4 p", (123.4, "p", "ok")),
        ("123.4p", (123.4, "p", "ok")),
        ("0 d", (0.0, "d", "ok")),
        ("-5 bep", (-5.0, "bep", "ok")),
        (": ", (None, "", "missing")),
        (": c", (None, "c", "confidential")),
        (": z", (None, "z", "missing")),
        (" d", (None, "d", "missing")),
        ("", (None, "", "missing")),
        ("12:00 AM", (None, "", "corrupt")),
        ("1e5", (None, "", "corrupt")),  # 'e' is a flag: '1e5' is no Eurostat cell
        ("12 x", (None, "", "corrupt")),  # unknown flag letter
        ("1,234", (None, "", "corrupt")),
        ("nan", (None, "", "missing")),  # NA tokens read alike on every route
        ("n/a", (None, "", "missing")),
    ],
)
def test_parse_cell(raw: str, expected: tuple[float | None, str, str]) -> None:
    assert P.parse_cell(raw) == expected


def test_blank_can_mean_confidential() -> None:
    assert P.parse_cell("  ", EUROSTAT_SBS) == (None, "c", "confidential")


def test_read_text_gzip_and_errors(tmp_path: Path) -> None:
    f = tmp_path / "a.tsv.gz"
    f.write_bytes(gzip.compress("\ufeffgeo\tCittà\n".encode()))
    assert P.read_text(f) == "geo\tCittà\n"
    f.write_bytes(gzip.compress(b"x")[:10])
    with pytest.raises(SourceError, match="broken gzip") as err:
        P.read_text(f)
    assert err.value.line == 1
    f.write_bytes(b"a\nb\x00c")
    with pytest.raises(SourceError, match="NUL") as err:
        P.read_text(f)
    assert err.value.line == 2
    f.write_bytes("Città".encode("cp1252"))
    assert P.read_text(f) == "Città"
    with pytest.raises(SourceError, match="file not found"):
        P.read_text(tmp_path / "nope.csv")


def test_nuts_version_notes() -> None:
    (note,) = P.nuts_version_notes(["UKI1", "UKI3", "ITC11"])
    assert "UKI1" in note and "UKI3" in note
    assert P.nuts_version_notes(["UKI3", "DE40"]) == []
