"""ABS census extracts: TableBuilder CSV and tidy tables."""

from __future__ import annotations

from hypothesis import given

from innesto.errors import SourceError
from innesto.sources.abs_census import read_abs_census
from innesto.sources.registry import detect_format
from tests.conftest import require_shared
from tests.sources.fuzzing import MUTATION_SETTINGS, check_mutated, mutated_lines

TABLEBUILDER = '''Australian Bureau of Statistics

"2021 Census - counting persons, 15 years and over"
"SA3 (POW) by 4-digit level INDP Industry of Employment"
"Counting: Person Records"

Filters:
"Default Summation","Person Records"

"Counting","SA3 (POW)","4-digit level INDP Industry of Employment","Count",
"Person Records","Gosford","A000",10
"Person Records","Gosford","0111",0
"Person Records","Gosford","&&&&",55
"Person Records","Gosford","Total",65
"Person Records","POW No Fixed Address (NSW)","0111",3
"Person Records","Total","0111",3

"Data source: Census of Population and Housing, 2021, TableBuilder"

"INFO","Cells in this table have been randomly adjusted to avoid the release of confidential data. No reliance should be placed on small cells."


"Copyright Commonwealth of Australia, 2021, see abs.gov.au/copyright"
'''


def test_tablebuilder_official_layout(tmp_path):
    p = tmp_path / "sa3-pow-indp.csv"
    p.write_text(TABLEBUILDER)
    assert detect_format(p) == "abs-census"
    panel, report = read_abs_census(p)
    assert panel.regions == ["Gosford"]
    assert panel.industries == ["&&&&", "0111", "A000"]
    assert panel.times == ["2021"]
    assert report.counts == {"dropped:total": 2, "dropped:special-region": 1,
                             "unclassified:&&&&": 1}
    assert report.rows_read == 6 and report.rows_kept == 3
    assert panel.meta.region_classification == "SA3"
    panel, report = read_abs_census(p, unclassified="drop", special_regions="keep")
    assert panel.n_rows == 3 and report.counts["dropped:unclassified"] == 1


def test_raw_tablebuilder_equals_published_tidy_table():
    """The raw ABS download and the complexitydata tidy table hold the same 89 x 720 cells
    (totals and non-geographic places of work left out of the raw one)."""
    raw, rep_raw = read_abs_census(require_shared(
        "australia-census-2021-industry", "sa4-pow-indp-4-digit-codes-2021_ABS_raw.csv"))
    tidy, _ = read_abs_census(require_shared("australia-census-2021-industry", "sa4_indp4.csv"))
    key = ["region", "industry"]
    a = raw.to_pandas().sort_values(key).reset_index(drop=True)
    b = tidy.to_pandas().sort_values(key).reset_index(drop=True)
    assert a[["region", "industry", "time", "value"]].equals(b[["region", "industry", "time", "value"]])
    assert (len(raw.regions), len(raw.industries)) == (89, 720)
    assert rep_raw.counts["dropped:total"] == 829  # 108 'Total' columns + 721 'Total' row cells
    assert rep_raw.counts["dropped:special-region"] == 19 * 720
    assert a["value"].sum() == 11_512_859  # employed persons at a stated SA4 place of work


def test_sa3_is_340_by_720():
    panel, report = read_abs_census(require_shared("australia-census-2021-industry",
                                                   "sa3_indp4.csv"))
    assert (len(panel.regions), len(panel.industries), panel.times) == (340, 720, ["2021"])
    assert panel.n_missing == 0 and report.rows_kept == 244_800


def test_not_an_abs_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    try:
        read_abs_census(p)
    except SourceError as exc:
        assert "sa3,indp,count,year" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected a SourceError")


@MUTATION_SETTINGS
@given(mutated_lines(TABLEBUILDER))
def test_fuzz(tmp_path, data):
    check_mutated(read_abs_census, tmp_path / "f.csv", data)
