"""Aggregation of a panel up the NACE hierarchy and into user groupings."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from innesto.classifications import aggregate, aggregate_with_report, grouping
from innesto.errors import ClassificationError
from innesto.panel import Panel, PanelMeta


def _panel(rows):
    return Panel.from_records(rows, columns=("region", "industry", "time", "value", "flag"),
                              meta=PanelMeta(industry_classification="NACE_R2"))


TORINO = _panel([
    ("ITC11", "C29.10", 2017, 30.0, None),
    ("ITC11", "C29.32", 2017, 12.0, "p"),
    ("ITC11", "C30.30", 2017, 5.0, None),
    ("ITC11", "C33.16", 2017, 2.0, "e"),
    ("ITC11", "C26.11", 2017, 4.0, None),
    ("ITC11", "J62.01", 2017, 9.0, None),
    ("ITC12", "C29.10", 2017, 7.0, None),
    ("ITC12", "C30.30", 2017, None, None),
])


def _values(panel):
    df = panel.to_pandas()
    return {(r.region, r.industry): (None if math.isnan(r.value) else r.value,
                                     None if pd.isna(r.flag) else r.flag)
            for r in df.itertuples()}


def test_to_division_hand_computed():
    """Hand-computed: ITC11 division 29 = 30 + 12 = 42 (flag p carried); ITC12 division 30 has
    its only component missing, so it is null and flagged incomplete."""
    out, report = aggregate_with_report(TORINO, to_level="division")
    v = _values(out)
    assert v[("ITC11", "29")] == (42.0, "p")
    assert v[("ITC11", "33")] == (2.0, "e")
    assert v[("ITC12", "30")] == (None, "incomplete")
    assert report.counts == {"incomplete": 1}


def test_to_section_hand_computed():
    """ITC11 section C = 30 + 12 + 5 + 2 + 4 = 53; J = 9; ITC12 C = 7 + null -> null."""
    v = _values(aggregate(TORINO, to_level="section"))
    assert v[("ITC11", "C")] == (53.0, "e,p")
    assert v[("ITC11", "J")] == (9.0, None)
    assert v[("ITC12", "C")] == (None, "incomplete")


def test_partial_sums_are_flagged_not_silent():
    v = _values(aggregate(TORINO, to_level="section", missing="partial"))
    assert v[("ITC12", "C")] == (7.0, "partial")


def test_user_grouping_aerospace():
    """aerospace = 30.3 + 33.16: ITC11 5 + 2 = 7; automotive = 29: 42."""
    out, report = aggregate_with_report(
        TORINO, grouping={"aerospace": ["C30.3", "33.16"], "automotive": ["29"]})
    v = _values(out)
    assert v[("ITC11", "aerospace")] == (7.0, "e")
    assert v[("ITC11", "automotive")] == (42.0, "p")
    assert v[("ITC12", "aerospace")] == (None, "incomplete")
    assert out.meta.industry_classification == "user"
    assert report.counts["dropped:not-in-grouping"] == 2  # 26.11 and 62.01


def test_htec_grouping():
    """HT = 21 + 26: ITC11 4 + 0 (division 21 present elsewhere, absent here: a zero);
    MHT = 20, 27-30 with 20, 27, 28 nowhere in the panel: incomplete, not a silent 47."""
    with_21 = Panel.from_records(
        [*TORINO.to_pandas()[["region", "industry", "time", "value"]].itertuples(index=False),
         ("ITC12", "21.10", "2017", 3.0)], meta=TORINO.meta)
    v = _values(aggregate(with_21, grouping=grouping(["HT", "MHT"])))
    assert v[("ITC11", "HT")] == (4.0, None)
    assert v[("ITC12", "HT")] == (3.0, None)
    assert v[("ITC11", "MHT")] == (None, "incomplete")
    v = _values(aggregate(with_21, grouping=grouping(["MHT"]), missing="partial"))
    assert v[("ITC11", "MHT")] == (47.0, "partial")


def test_uncovered_member_makes_group_incomplete():
    """The grouping asks for class 30.30's group and class 25.40, which no panel row covers."""
    out, report = aggregate_with_report(TORINO, grouping={"defence": ["30.3", "25.40"]})
    assert _values(out)[("ITC11", "defence")] == (None, "incomplete")
    assert report.counts["uncovered-member"] == 1


def test_unknown_codes_raise_or_report():
    p = _panel([("ITC11", "C29.10", 2017, 1.0, None), ("ITC11", "ALL", 2017, 9.0, None),
                ("ITC11", "29.999", 2017, 3.0, None)])
    with pytest.raises(ClassificationError, match="'29.999', 'ALL'"):
        aggregate(p, to_level="division")
    out, report = aggregate_with_report(p, to_level="division", on_unknown="report")
    assert report.counts == {"dropped:unknown-code": 2}
    assert out.n_rows == 1
    with pytest.raises(ClassificationError, match="'XX'"):
        aggregate(TORINO, grouping={"g": ["29", "XX"]})
    out, report = aggregate_with_report(TORINO, grouping={"g": ["29", "XX"]},
                                        on_unknown="report")
    assert report.counts["unknown-member"] == 1
    assert _values(out)[("ITC11", "g")] == (None, "incomplete,p")


def test_mixed_levels_raise_unless_from_level():
    p = _panel([("IT", "C", 2017, 10.0, None), ("IT", "C10", 2017, 4.0, None),
                ("IT", "C11", 2017, 6.0, None)])
    with pytest.raises(ClassificationError, match="counted twice"):
        aggregate(p, to_level="section")
    out, report = aggregate_with_report(p, to_level="section", from_level="division")
    assert _values(out) == {("IT", "C"): (10.0, None)}
    assert report.counts == {"dropped:other-level": 1}


def test_cannot_split_a_coarser_code():
    p = _panel([("IT", "C", 2017, 10.0, None)])
    with pytest.raises(ClassificationError, match="cannot be split"):
        aggregate(p, to_level="division")


def test_needs_exactly_one_target():
    with pytest.raises(ClassificationError):
        aggregate(TORINO)
    with pytest.raises(ClassificationError):
        aggregate(TORINO, "division", grouping={"a": ["29"]})


def test_piemonte_technology_classes_on_sbs_2015():
    """Real data, Eurostat sbs_r_nuts06_r2 (2015, persons employed), Piemonte ITC1.
    Identity: HT + MHT + MLT + LT = section C = 351,972 (the file's own C row).
    MHT = C20 + C27 + C28 + C29 + C30 = 9,883 + 11,136 + 51,869 + 52,974 + 10,913 = 136,775."""
    from innesto.classifications import grouping
    from innesto.sources.generic import read_csv
    from tests.conftest import require_shared

    path = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    panel, _ = read_csv(path, region="geo", industry="nace_r2", value="n2015",
                        industry_classification="NACE_R2")
    piemonte = panel.filter(region="ITC1")
    out, report = aggregate_with_report(piemonte, grouping=grouping(["HT", "MHT", "MLT", "LT"]),
                                        from_level="division", on_unknown="report")
    v = {k: val for (_, k), (val, _) in _values(out).items()}
    assert v == {"HT": 9_103.0, "MHT": 136_775.0, "MLT": 106_889.0, "LT": 99_205.0}
    section_c = piemonte.filter(industry="C").to_pandas()["value"].item()
    assert sum(v.values()) == section_c == 351_972.0
    assert report.counts["dropped:other-level"] > 0


def test_eurostat_composites_on_the_torino_panel():
    """Real data, Eurostat nama_10r_3empers, Torino (ITC11) 2017, persons employed.
    The 9 composites (B-E, G-I, G-J, K-N, M_N, O-Q, O-U, R-U, TOTAL) are sums already and are
    left out. K + L = 34,600 + 8,000 = 42,600 (hand sum of the file's cells). A group asking
    for M and N (via M_N) cannot be built from sections the panel has: incomplete."""
    from innesto.sources.registry import read
    from tests.conftest import require_shared

    path = require_shared("eurostat-employment-piemonte-nuts3",
                          "Eurostats_NUTS3_Empers_piemonte_subset.csv")
    panel, _ = read(path)
    torino = panel.filter(region="ITC11", time="2017")
    out, report = aggregate_with_report(torino, grouping={"knowledge": ["J", "K", "M_N"],
                                                          "finance_property": ["K", "L"]})
    v = _values(out)
    assert v[("ITC11", "finance_property")] == (42_600.0, None)  # 34,600 + 8,000
    assert v[("ITC11", "knowledge")] == (None, "incomplete")  # M, N only as M_N
    assert report.counts["dropped:composite"] == 9
