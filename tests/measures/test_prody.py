"""PRODY and EXPY: by hand, and EXPY against income on world trade (Hausmann, Hwang &
Rodrik 2007)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innesto.errors import MeasureError
from innesto.measures.prody import expy, prody
from innesto.panel import Panel
from tests.conftest import require_shared


def test_by_hand_with_a_region_without_income() -> None:
    """By hand: shares A (.5, .5), B (.9, .1); C has no GDP so it is left out of PRODY:
    PRODY_x = (.5*1000 + .9*3000)/1.4, PRODY_y = (.5*1000 + .1*3000)/.6; EXPY of C (only
    y) = PRODY_y. A (region, time) index selects each period's income."""
    p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
                            ("B", "y", 1, 1), ("C", "y", 1, 7)])
    gdp = pd.Series({"A": 1000.0, "B": 3000.0})
    pr = prody(p, gdp).set_index("industry")["prody"]
    assert pr["x"] == pytest.approx(3200 / 1.4)
    assert pr["y"] == pytest.approx(800 / 0.6)
    ex = expy(p, gdp).set_index("region")["expy"]
    assert ex["C"] == pytest.approx(800 / 0.6)
    by_time = pd.Series([1000.0, 3000.0],
                        index=pd.MultiIndex.from_tuples([("A", "1"), ("B", "1")]))
    assert prody(p, by_time)["prody"].tolist() == pytest.approx(pr.tolist())
    with pytest.raises(MeasureError, match="no region"):
        prody(p, pd.Series({"Z": 1.0}))


def test_expy_tracks_income_on_world_trade() -> None:
    """Published finding (Hausmann, Hwang & Rodrik 2007, Fig. 1): EXPY is strongly
    correlated with GDP per capita. On 1998-2000 SITC trade, log EXPY vs log GDP per capita
    over the 185 countries with income data: r = 0.756 (regression value)."""
    df = pd.read_csv(require_shared("world-trade", "world_trade_avg_1998_to_2000.csv"),
                     dtype={"product": str})
    gdp = pd.read_csv(require_shared("world-trade", "world_gdp_avg_1998_to_2000.csv"))
    panel = Panel.from_pandas(df, region="country", industry="product", time=None)
    e = expy(panel, gdp.set_index("country")["value"]).merge(
        gdp, left_on="region", right_on="country")
    e = e[e["value"] > 0]
    assert len(e) == 185
    r = np.corrcoef(np.log(e["expy"]), np.log(e["value"]))[0, 1]
    assert r == pytest.approx(0.756, abs=0.002)
