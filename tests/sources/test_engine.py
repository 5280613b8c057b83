"""The reading engine on a spec written here (the example of docs/readers-spec.md): a
fixture in a made-up office's layout, whose numbers are read by hand from the fixture, the
errors of a missing column, and the one fuzz toolkit on mutated copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from innesto.errors import SourceError
from innesto.sources.engine import read_long
from innesto.sources.spec import Column, Drop, Spec, year
from innesto.sources.values import ValueSyntax
from tests.sources.fuzzing import MUTATION_SETTINGS, check_mutated, mutated_lines

OFFICE = Spec(
    format="office-employment",
    region=Column(("Territorio", "territory")),
    industry=Column(("Attivita", "activity")),
    time=Column(("Anno", "year"), clean=year),
    value=Column(("Addetti", "employees")),
    flag=Column(("Nota",), required=False),
    values=ValueSyntax(decimal=","),
    nonnegative=True,
    drops=(Drop("industry", codes=frozenset({"TOT"}), reason="dropped:total"),),
    region_classification="NUTS2021",
    industry_classification="NACE_R2",
    measure="employment",
    attribution="Source: the office's employment table",
)

FIXTURE = ("Territorio;Attivita;Anno;Addetti;Nota\n"
           "R01;C;2021.0;1.234,5;\n"
           "R01;TOT;2021;9.000;\n"
           "R02;C;2021;17,25;p\n"
           "R02;F;2021;: c;\n"
           "R02;G;2021;-3;\n")


def _read(tmp_path: Path, text: str = FIXTURE) -> tuple:  # type: ignore[type-arg]
    path = tmp_path / "office.csv"
    path.write_text(text, encoding="utf-8")
    return read_long(OFFICE, path)


def test_the_spec_reads_the_fixture(tmp_path: Path) -> None:
    panel, report = _read(tmp_path)
    rows = panel.to_pandas().set_index(["region", "industry"])
    # the fixture's cells, read by hand: 1.234,5 is 1234.5 with a decimal comma
    assert rows.loc[("R01", "C"), "value"] == 1234.5
    assert rows.loc[("R02", "C"), "value"] == 17.25 and rows.loc[("R02", "C"), "flag"] == "p"
    assert panel.times == ["2021"]  # "2021.0" cleaned by year()
    assert ("R01", "TOT") not in rows.index
    assert report.counts == {"confidential": 1, "dropped:total": 1, "flag:p": 1,
                             "negative": 1}
    assert report.examples["dropped:total"][0] == {"line": 3, "column": "Attivita",
                                                   "raw": "TOT"}
    assert report.examples["negative"][0] == {"line": 6, "column": "Addetti", "raw": "-3"}
    assert (report.rows_read, report.rows_kept) == (5, 4)
    assert (panel.meta.region_classification, panel.meta.measure) == ("NUTS2021",
                                                                       "employment")


def test_usual_names_are_found_whatever_their_case(tmp_path: Path) -> None:
    panel, _ = _read(tmp_path, "TERRITORY;activity;YEAR;Employees\nR01;C;2021;4\n")
    assert panel.to_pandas()["value"].tolist() == [4.0]


def test_a_missing_column_names_the_file_the_line_and_the_columns(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no value column; the columns are 'Territorio'") \
            as err:
        _read(tmp_path, "Territorio;Attivita;Anno\nR01;C;2021\n")
    assert (err.value.line, err.value.expected) == (1, "one of Addetti, employees")
    assert err.value.path == str(tmp_path / "office.csv")


def test_a_ragged_row_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="3 fields") as err:
        _read(tmp_path, "Territorio;Attivita;Anno;Addetti\nR01;C;2021;4\nR02;C;2021\n")
    assert err.value.line == 3


@MUTATION_SETTINGS
@given(mutated_lines(FIXTURE))
def test_fuzz(tmp_path: Path, data: bytes) -> None:
    check_mutated(lambda p: read_long(OFFICE, p), tmp_path / "office.csv", data)
