"""The ';'-separated SBS extract: the real file in ../shared/data and small written ones."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import SourceError
from innesto.sources.eurostat_sbs import read_eurostat_sbs
from innesto.sources.registry import detect_format
from tests.conftest import require_shared
from tests.sources.fuzzing import FUZZ, check_reader, mutated

SMALL = "nace_r2;geo;n2015\nB;AT;7089\nB;AT1;2343 d\nB;AT2; \nB;AT3;\nB;PL11; d\nB05;IS;12:00 AM\n"


def write(tmp_path: Path, text: str, name: str = "sbs_r_nuts06_r2.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_small_extract(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    assert detect_format(path) == "eurostat-sbs"
    panel, report = read_eurostat_sbs(path)
    assert report.counts == {"confidential": 2, "corrupt": 1, "flag:d": 2, "missing": 1}
    assert report.examples["corrupt"] == [{"line": 7, "column": "n2015", "raw": "12:00 AM"}]
    df = panel.to_pandas().set_index("region")
    assert df.loc["AT1", "value"] == 2343 and df.loc["AT1", "flag"] == "d"
    assert df.loc["AT2", "flag"] == "c" and pd.isna(df.loc["AT2", "value"])
    assert df.loc["PL11", "flag"] == "d" and pd.isna(df.loc["PL11", "value"])
    assert panel.times == ["2015"]
    assert panel.meta.attribution == "Source: Eurostat, sbs_r_nuts06_r2"


def test_errors_name_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        read_eurostat_sbs(write(tmp_path, SMALL + "B;AT;1;2\n"))
    assert err.value.line == 8
    with pytest.raises(SourceError, match="duplicate observation"):
        read_eurostat_sbs(write(tmp_path, SMALL + "B;AT;1\n"))
    with pytest.raises(SourceError, match="no year column 'n2016'"):
        read_eurostat_sbs(write(tmp_path, SMALL), value="n2016")
    with pytest.raises(SourceError) as err:
        read_eurostat_sbs(write(tmp_path, SMALL + ";DE;1\n"))
    assert (err.value.line, err.value.column) == (8, "nace_r2")


def test_real_sbs_extract_counts() -> None:
    """Regression values read off the file, each re-derived here with plain pandas."""
    path = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    panel, report = read_eurostat_sbs(path)
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)["n2015"]
    plain = raw.str.fullmatch(r"\d+")
    with_flag = raw.str.fullmatch(r"\d+ d")
    flag_only = raw == " d"
    blank = raw.str.strip() == ""
    corrupt = raw == "12:00 AM"
    assert (plain | with_flag | flag_only | blank | corrupt).all()  # nothing else in the file
    assert report.rows_read == report.rows_kept == panel.n_rows == len(raw) == 46_859
    assert report.counts == {
        "confidential": 8_499, "corrupt": 30, "flag:d": 386, "missing": 119,
    }
    assert report.counts["confidential"] == blank.sum()
    assert report.counts["corrupt"] == corrupt.sum()
    assert report.counts["flag:d"] == (with_flag | flag_only).sum() == 267 + 119
    assert report.counts["missing"] == flag_only.sum()
    assert panel.n_missing == 8_499 + 30 + 119
    assert len(panel.regions) == 470 and len(panel.industries) == 101
    kept = pd.to_numeric(raw[~corrupt].str.extract(r"^(\d+)")[0]).sum()
    assert panel.to_pandas()["value"].sum() == kept
    (mixed,) = [n for n in report.notes if n.startswith("region codes mix NUTS versions")]
    assert "UKI1" in mixed and "UKI3" in mixed and "DE41" in mixed and "DE40" in mixed
    itc1 = panel.filter(region="ITC1", industry="C").to_pandas()["value"].tolist()
    assert itc1 == [raw_value(path, "C", "ITC1")]


def raw_value(path: Path, nace: str, geo: str) -> float:
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    return float(df[(df.nace_r2 == nace) & (df.geo == geo)]["n2015"].iloc[0])


TWO_YEARS = "indic_sb;nace_r2;geo;n2014;n2015\nV16110;B;AT;7000;7089\nV16110;C;AT;1 p;: c\n"


def test_two_years_and_a_third_dimension(tmp_path: Path) -> None:
    panel, report = read_eurostat_sbs(write(tmp_path, TWO_YEARS))
    assert panel.times == ["2014", "2015"] and panel.n_rows == 4
    assert "held constant: indic_sb=V16110" in report.notes


SBS_CELLS = st.sampled_from([
    ("7089", 7089.0, None), ("2343 d", 2343.0, None), (" ", None, "confidential"),
    ("", None, "confidential"), (" d", None, "missing"), ("12:00 AM", None, "corrupt"),
    (": ", None, "missing"), ("0 d", 0.0, None),
])


@settings(FUZZ, max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(["B", "C10", "G47", "S95"]),
                          st.sampled_from(["AT", "ITC1", "UKI3", "UKI1"]), SBS_CELLS),
                min_size=1, max_size=15, unique_by=lambda t: (t[0], t[1])))
def test_generated_files_round_trip(rows: list[tuple[str, str, tuple]]) -> None:  # type: ignore[type-arg]
    text = "nace_r2;geo;n2015\n" + "".join(f"{n};{g};{c[0]}\n" for n, g, c in rows)
    out = check_reader(read_eurostat_sbs, text.encode(), "gen.csv")
    assert not isinstance(out, SourceError), out
    panel, report = out
    df = panel.to_pandas().set_index(["region", "industry"])
    for nace, geo, (_raw, value, _reason) in rows:
        got = df.loc[(geo, nace), "value"]
        assert got == value if value is not None else got != got
    for reason in ("missing", "confidential", "corrupt"):
        assert report.counts.get(reason, 0) == sum(r[2][2] == reason for r in rows)
    mixed = {"UKI1", "UKI3"} <= {r[1] for r in rows}
    assert any("mix NUTS versions" in n for n in report.notes) == mixed


@settings(FUZZ, max_examples=1500)
@given(mutated([SMALL.encode(), TWO_YEARS.encode()]))
def test_fuzz_mutated_files(content: bytes) -> None:
    check_reader(read_eurostat_sbs, content, "fuzz.csv")
