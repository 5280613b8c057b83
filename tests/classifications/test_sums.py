"""The one sector sum: values and what was missing, pinned on the Piemonte table.

Independent numbers: the Eurostat employment table (nama_10r_3empers, in the package) gives
Torino (ITC11) in 2017 J = 48,000 and M_N = 145,100 persons (read off line 91 of the shared
Piemonte CSV with grep, not with innesto); their sum is 193,100.
"""

from __future__ import annotations

import math

import pytest

from innesto.classifications import sector_sums
from innesto.errors import ClassificationError
from innesto.panel import Panel


def test_sum_and_rule_for_missing_rows():
    p = Panel.from_records([
        ("A", "x", 2020, 1.0), ("A", "y", 2020, 2.0),   # complete: 3
        ("A", "x", 2021, 5.0),                          # y absent
        ("B", "x", 2020, None), ("B", "y", 2020, 4.0),  # x null
        ("C", "z", 2020, 9.0),                          # no component: no sum
    ])
    s = sector_sums(p, {"s": ["x", "y"]})
    got = {(r, t): v for r, _, t, v in s.panel.to_pandas().values.tolist()}
    assert got[("A", "2020")] == 3.0
    assert math.isnan(got[("A", "2021")]) and math.isnan(got[("B", "2020")])
    assert ("C", "2020") not in got
    assert s.counts == {"absent": 1, "null": 1, "incomplete": 2}
    assert s.examples == ["A 2021 s: y absent", "B 2020 s: x null"]
    partial = sector_sums(p, {"s": ["x", "y"]}, missing="partial").panel.to_pandas()
    assert partial["value"].tolist() == [3.0, 5.0, 4.0]
    assert partial["flag"].fillna("").tolist() == ["", "partial", "partial"]


def test_torino_ict_services_2017():
    from innesto.datasets import employment_piemonte

    s = sector_sums(employment_piemonte().filter(region=["ITC11"]), {"jmn": ["J", "M_N"]})
    df = s.panel.to_pandas()
    assert df[df.time == "2017"]["value"].tolist() == [193100.0]
    assert s.counts["incomplete"] == 0


def test_bad_arguments():
    p = Panel.from_records([("A", "x", 2020, 1.0)])
    with pytest.raises(ClassificationError):
        sector_sums(p, {"s": []})
    with pytest.raises(ClassificationError):
        sector_sums(p, {"s": ["x"]}, missing="zero")  # type: ignore[arg-type]
