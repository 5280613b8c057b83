"""BEA GDP by metropolitan area: the regional CSV download and the long summary table."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from innesto.errors import SourceError
from innesto.sources.bea import read_bea
from innesto.sources.registry import detect_format
from tests.conftest import require_shared
from tests.sources.fuzzing import MUTATION_SETTINGS, check_mutated, mutated_lines

MAGDP2 = '''"GeoFIPS","GeoName","Region","TableName","LineCode","IndustryClassification","Description","Unit","2001","2002"
" 00998","United States (Metropolitan Portion)","","MAGDP2","3","11","Agriculture, forestry, fishing and hunting","Thousands of current dollars","91000000","92000000"
" 10180","Abilene, TX (Metropolitan Statistical Area)","","MAGDP2","1","...","All industry total","Thousands of current dollars","4801503","4901234"
" 10180","Abilene, TX (Metropolitan Statistical Area)","","MAGDP2","3","11","Agriculture, forestry, fishing and hunting","Thousands of current dollars","(D)","91234"
" 10180","Abilene, TX (Metropolitan Statistical Area)","","MAGDP2","6","21","Mining, quarrying, and oil and gas extraction","Thousands of current dollars","(NA)","(L)"
" 10180","Abilene, TX (Metropolitan Statistical Area)","","MAGDP2","12","31-33","Manufacturing","Thousands of current dollars","512345","(NM)"
"Note: See the included footnote file."
"MAGDP2: Gross domestic product (GDP) by metropolitan area"
"Last updated: December 8, 2022-- new statistics for 2021; revised statistics for 2017-2020."
"Source: U.S. Department of Commerce / Bureau of Economic Analysis / Regional Economic Accounts"
'''


def test_regional_csv_symbols_counted_by_reason(tmp_path):
    p = tmp_path / "MAGDP2__ALL_AREAS_2001_2002.csv"
    p.write_text(MAGDP2)
    assert detect_format(p) == "bea"
    panel, report = read_bea(p)
    assert report.counts == {"below-threshold": 1, "confidential": 1, "missing": 1,
                             "not-meaningful": 1, "dropped:total": 4}
    df = panel.to_pandas().set_index(["industry", "time"])
    assert df.loc[("3", "2002"), "value"] == 91234.0
    assert math.isnan(df.loc[("3", "2001"), "value"]) and df.loc[("3", "2001"), "flag"] == "D"
    assert df.loc[("6", "2002"), "flag"] == "L"
    assert panel.regions == ["10180"]
    assert set(panel.to_pandas()["unit"]) == {"Thousands of current dollars"}
    panel, _ = read_bea(p, industry="IndustryClassification")
    assert panel.industries == ["11", "21", "31-33"]


def test_summary_table_drops_aggregates_of_present_lines():
    """gdp-summary.csv: 39,553 rows; line 104 (education and health = 66 + 67) is dropped in
    the 1,839 metro-years where 66 and 67 are both present (counted from the file)."""
    path = require_shared("us-metro-gdp-2001-2008", "gdp-summary.csv")
    panel, report = read_bea(path)
    assert report.rows_read == 39_553
    assert report.counts == {"dropped:aggregate": 1_839}
    assert (len(panel.regions), panel.times[0], panel.times[-1]) == (362, "2001", "2008")
    akron = panel.filter(region="10420", time="2006").to_pandas().set_index("industry")
    assert akron.loc["12", "value"] == 5071.0  # manufacturing, millions of USD
    assert "100" in akron.index  # trade has no components in this file: kept


def test_line_selection(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(MAGDP2)
    panel, report = read_bea(p, lines=["12"])
    assert panel.industries == ["12"] and report.counts["dropped:not-selected"] == 8


def test_not_bea(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(SourceError, match="GeoFIPS"):
        read_bea(p)


@MUTATION_SETTINGS
@given(mutated_lines(MAGDP2))
def test_fuzz(tmp_path, data):
    check_mutated(read_bea, tmp_path / "f.csv", data)


def test_options_given_as_text_like_the_cli(tmp_path):
    from innesto.sources.registry import read

    p = tmp_path / "m.csv"
    p.write_text(MAGDP2)
    panel, _ = read(p, lines="3,12", keep_aggregates="no")
    assert panel.industries == ["12", "3"]
