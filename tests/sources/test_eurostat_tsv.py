"""Eurostat TSV reader: official layout written by the tests, filters, flags, fuzzing."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import SourceError
from innesto.sources.eurostat_tsv import read_eurostat_tsv
from innesto.sources.registry import detect_format, read
from tests.sources.fuzzing import FUZZ, check_reader, check_round_trip, mutated

# The layout of https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/
# nama_10r_3empers?format=TSV : trailing space after each period and each flagless value.
OFFICIAL = (
    "freq,unit,wstatus,nace_r2,geo\\TIME_PERIOD\t2016 \t2017 \t2018 \n"
    "A,THS,EMP,J,IT\t566.2 \t578.9 \t: \n"
    "A,THS,EMP,J,ITC11\t46.1 \t48.0 p\t: c\n"
    "A,THS,EMP,K,ITC11\t34.9 \t34.6 \t35.0 bep\n"
    "A,THS,EMP,TOTAL,ITC11\t997.4 \t1003.1 \t: z\n"
)


def write(tmp_path: Path, text: str, name: str = "nama_10r_3empers.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_official_layout(tmp_path: Path) -> None:
    panel, report = read_eurostat_tsv(write(tmp_path, OFFICIAL))
    df = panel.to_pandas().set_index(["region", "industry", "time"])
    assert df.loc[("ITC11", "J", "2017"), "value"] == 48.0
    assert df.loc[("ITC11", "J", "2017"), "flag"] == "p"
    assert df.loc[("ITC11", "K", "2018"), "flag"] == "bep"
    assert set(df["unit"]) == {"THS"}
    assert panel.n_rows == 12 and panel.n_missing == 3
    assert report.counts == {
        "confidential": 1, "missing": 2, "flag:p": 2, "flag:b": 1, "flag:e": 1, "flag:z": 1,
    }
    assert report.examples["confidential"][0] == {"line": 3, "column": "2018", "raw": ": c"}
    assert report.rows_read == report.rows_kept == 4
    assert "held constant: freq=A, unit=THS, wstatus=EMP" in report.notes
    assert panel.meta.attribution == "Source: Eurostat, nama_10r_3empers"
    assert panel.meta.industry_classification == "NACE_R2"


def test_gzip_and_auto_detection(tmp_path: Path) -> None:
    path = tmp_path / "nama_10r_3empers.tsv.gz"
    path.write_bytes(gzip.compress(OFFICIAL.encode()))
    assert detect_format(path) == "eurostat-tsv"
    panel, report = read(path)
    assert panel.n_rows == 12 and report.format == "eurostat-tsv"


def test_old_bulk_header_and_corrupt_cell(tmp_path: Path) -> None:
    text = "unit,nace_r2,geo\\time\t2017 \t2016 \nTHS,C,ITC11\t184.5 \t12:00 AM\n"
    panel, report = read_eurostat_tsv(write(tmp_path, text))
    assert report.counts == {"corrupt": 1}
    assert report.examples["corrupt"] == [{"line": 2, "column": "2016", "raw": "12:00 AM"}]
    assert panel.n_missing == 1


def test_several_units_is_an_error_listing_them(tmp_path: Path) -> None:
    text = OFFICIAL + "A,PC_EMP,EMP,J,IT\t2.6 \t2.6 \t: \n"
    with pytest.raises(SourceError, match=r"'unit' has several values \(PC_EMP, THS\)"):
        read_eurostat_tsv(write(tmp_path, text))
    panel, report = read_eurostat_tsv(write(tmp_path, text), unit="PC_EMP")
    assert panel.n_rows == 3 and report.counts["dropped:filtered out"] == 4


def test_filters_on_region_and_industry(tmp_path: Path) -> None:
    panel, report = read_eurostat_tsv(write(tmp_path, OFFICIAL), geo="ITC11,XX", nace_r2=["J"])
    assert panel.regions == ["ITC11"] and panel.industries == ["J"]
    assert "filter geo=XX matched no rows" in report.notes


def test_unknown_dimension_and_errors_name_the_place(tmp_path: Path) -> None:
    path = write(tmp_path, OFFICIAL)
    with pytest.raises(SourceError, match="unknown option or dimension 'unti'"):
        read_eurostat_tsv(path, unti="THS")
    with pytest.raises(SourceError, match="no industry dimension 'sector'"):
        read_eurostat_tsv(path, industry="sector")
    bad = write(tmp_path, OFFICIAL + "A,THS,EMP,J\t1 \t2 \t3 \n", "bad.tsv")
    with pytest.raises(SourceError) as err:
        read_eurostat_tsv(bad)
    assert err.value.line == 6 and err.value.column == 1
    dup = write(tmp_path, OFFICIAL + OFFICIAL.splitlines()[1] + "\n", "dup.tsv")
    with pytest.raises(SourceError, match="duplicate series for region 'IT'") as err:
        read_eurostat_tsv(dup)
    assert err.value.line == 6


# --------------------------------------------------------------------------- generated
CELLS = st.sampled_from(
    [("1", 1.0, "", None), ("2.5 p", 2.5, "p", None), (": ", None, "", "missing"),
     (": c", None, "c", "confidential"), ("0 e", 0.0, "e", None), (":", None, "", "missing"),
     ("-3.25 bp", -3.25, "bp", None), ("12:00 AM", None, "", "corrupt"), ("x", None, "", "corrupt")]
)


@st.composite
def tsv_files(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str, object]]]:
    periods = draw(st.lists(st.sampled_from(["2015", "2016", "2017", "2018Q1", "2019-02"]),
                            min_size=1, max_size=4, unique=True))
    regions = draw(st.lists(st.sampled_from(["IT", "ITC", "ITC1", "ITC11", "DE40"]),
                            min_size=1, max_size=3, unique=True))
    inds = draw(st.lists(st.sampled_from(["A", "C", "J", "M_N", "TOTAL"]), min_size=1,
                         max_size=3, unique=True))
    lines = ["unit,nace_r2,geo\\TIME_PERIOD\t" + "\t".join(p + " " for p in periods)]
    cells = []
    for r in regions:
        for i in inds:
            row = [draw(CELLS) for _ in periods]
            lines.append(f"THS,{i},{r}\t" + "\t".join(c[0] for c in row))
            cells += [(r, i, p, c) for p, c in zip(periods, row, strict=True)]
    return "\n".join(lines) + "\n", cells


@settings(FUZZ, max_examples=200)
@given(tsv_files())
def test_generated_files_round_trip(generated: tuple[str, list]) -> None:  # type: ignore[type-arg]
    text, cells = generated
    report = check_round_trip(read_eurostat_tsv, text, "gen.tsv",
                              [(r, i, p, value, reason)
                               for r, i, p, (_raw, value, _flag, reason) in cells])
    assert report.counts.get("flag:p", 0) == sum("p" in c[3][2] for c in cells)


BASES = [
    OFFICIAL.encode(),
    (OFFICIAL + "A,PC_EMP,EMP,J,IT\t2.6 \t2.6 \t: \n").encode(),
    b"unit,nace_r2,geo\\time\t2017 \t2016 \nTHS,C,ITC11\t184.5 \t12:00 AM\nTHS,C,IT\t1 e\t: c\n",
]


@settings(FUZZ, max_examples=1200)
@given(mutated(BASES))
def test_fuzz_mutated_files(content: bytes) -> None:
    check_reader(read_eurostat_tsv, content, "fuzz.tsv")
    check_reader(read_eurostat_tsv, content, "fuzz.tsv", unit="THS", geo="ITC11,IT")
