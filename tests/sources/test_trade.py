"""Country x product trade tables."""

from __future__ import annotations

import math

from hypothesis import given

from innesto.errors import SourceError
from innesto.sources.registry import detect_format, read
from innesto.sources.trade import read_trade
from tests.conftest import require_shared
from tests.sources.fuzzing import MUTATION_SETTINGS, check_mutated, mutated_lines

COMTRADE = """Year,ReporterISO,CommodityCode,Export_Value
2017,ITA,101,1500
2017,ITA,8703,
2017,FRA,101,-3
2017,FRA,8703,2500000
"""


def test_lost_leading_zeros_are_restored(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(COMTRADE.replace("ReporterISO", "exporter"))
    assert detect_format(p) == "trade"
    panel, report = read_trade(p)
    assert panel.industries == ["0101", "8703"]
    assert report.counts == {"padded": 2, "missing": 1, "negative": 1}
    assert panel.meta.region_classification == "ISO3"


def test_stata_sample_columns_detected():
    """year, origin, hs92, export_val: 10 countries x 30 HS92 products x 1995-1996."""
    panel, report = read_trade(require_shared("ecomplexity-stata-ground-truth",
                                              "trade_data_sample.csv"))
    assert (len(panel.regions), len(panel.industries), panel.times) == (10, 30, ["1995", "1996"])
    assert panel.meta.industry_classification == "HS92" and report.counts == {}


def test_world_trade_2017_nas_reported():
    """224 countries x 1,222 HS4 products, 56,461 blank (NA) cells kept as null and counted."""
    panel, report = read(require_shared("world-trade", "world_trade_2017.csv"))
    assert report.format == "trade"
    assert (len(panel.regions), len(panel.industries)) == (224, 1222)
    assert report.counts == {"missing": 56_461} and panel.n_missing == 56_461
    assert panel.times == ["2017"]  # from the file name, noted in the report
    assert any("file name" in n for n in report.notes)
    assert all(len(c) == 4 for c in panel.industries) and "0101" in panel.industries


def test_sitc_average_and_oec_sections():
    panel, _ = read(require_shared("world-trade", "world_trade_avg_1998_to_2000.csv"))
    assert (len(panel.regions), len(panel.industries)) == (226, 785)
    assert panel.times == [""]  # two years in the name: no guess
    assert "0011" in panel.industries
    oec, _ = read(require_shared("oec-exports-sections", "global_exports.csv"))
    assert oec.meta.industry_classification == "HS_SECTION"
    assert len(oec.industries) == 21 and "1" in oec.industries  # section ids are not padded


def test_period_for_files_without_year(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("country,product,value\nita,0101,1\n")
    panel, _ = read_trade(p, period=1962)
    assert panel.times == ["1962"]
    v = panel.to_pandas()["value"].tolist()
    assert not math.isnan(v[0])


def test_missing_product_column(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("country,foo,value\nita,0101,1\n")
    try:
        read_trade(p)
    except SourceError as exc:
        assert "product" in str(exc) and "'foo'" in str(exc)
    else:  # pragma: no cover
        raise AssertionError


@MUTATION_SETTINGS
@given(mutated_lines(COMTRADE))
def test_fuzz(tmp_path, data):
    check_mutated(read_trade, tmp_path / "f.csv", data)
