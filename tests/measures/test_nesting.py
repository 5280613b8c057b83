"""Summing codes that contain each other is warned about, never silently done.

The nesting facts are from the classifications themselves: NUTS codes nest by prefix
(IT > ITC > ITC1 > ITC11), and Eurostat's A*10 composites contain their members
(B-E contains C, G-J contains G-I and J, TOTAL contains everything).
"""

from __future__ import annotations

import warnings

import pytest

from innesto import Panel, PanelMeta
from innesto.errors import DoubleCountingWarning
from innesto.measures._nesting import nested_industries, nested_regions
from innesto.measures.shift_share import shift_share
from innesto.measures.specialisation import location_quotient


def test_eurostat_a10_codes_nest_as_eurostat_defines_them() -> None:
    codes = ["A", "B-E", "C", "F", "G-I", "G-J", "J", "K", "K-N", "L", "M_N", "O-Q", "O-U",
             "R-U", "TOTAL"]
    pairs = set(nested_industries(codes))
    assert {("B-E", "C"), ("G-J", "G-I"), ("G-J", "J"), ("K-N", "M_N"), ("K-N", "K"),
            ("O-U", "O-Q"), ("O-U", "R-U"), ("TOTAL", "A")} <= pairs
    assert ("A", "F") not in pairs and ("G-I", "J") not in pairs
    # a partition of TOTAL has no overlaps
    assert nested_industries(["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]) == []


def test_nace_levels_nest_and_non_nace_codes_are_ignored() -> None:
    assert nested_industries(["C", "26.1", "26", "J"]) == [("26", "26.1"), ("C", "26"),
                                                           ("C", "26.1")]
    assert nested_industries(["x", "y"]) == []


def test_nuts_regions_nest_by_prefix() -> None:
    assert nested_regions(["ITC11", "ITC12", "ITC1"]) == [("ITC1", "ITC11"), ("ITC1", "ITC12")]
    assert nested_regions(["ITC11", "FR101"]) == []


def _mixed() -> Panel:
    rows = []
    for t, scale in (("2008", 1.0), ("2017", 1.1)):
        for region, k in (("IT", 10.0), ("ITC11", 1.0)):
            rows += [(region, "B-E", t, 4 * k * scale), (region, "C", t, 3 * k * scale),
                     (region, "F", t, 2 * k), (region, "TOTAL", t, 6 * k * scale + 2 * k)]
    return Panel.from_records(rows, meta=PanelMeta("NUTS2016", "NACE_R2"))


def test_lq_warns_when_it_would_sum_nested_regions_or_industries() -> None:
    with pytest.warns(DoubleCountingWarning, match="IT contains ITC11"):
        location_quotient(_mixed(), total_industry="TOTAL")
    with pytest.warns(DoubleCountingWarning, match="B-E contains C"):
        location_quotient(_mixed(), reference_region="IT")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        location_quotient(_mixed(), reference_region="IT", total_industry="TOTAL")


def test_shift_share_warns_on_overlapping_industries_without_a_total() -> None:
    with pytest.warns(DoubleCountingWarning, match="shift-share"):
        shift_share(_mixed().filter(industry=["B-E", "C", "F"]), focus="ITC11",
                    reference_region="IT", start="2008", end="2017")
