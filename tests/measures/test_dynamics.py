"""Entries and exits, and density as a predictor of entry on real world trade data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innesto.errors import MeasureError
from innesto.measures.dynamics import density_predicts_entry, entries_exits, fe_logit
from innesto.panel import Panel
from tests.conftest import require_shared


def _trade_1962_1980() -> Panel:
    """HS 4-digit exports in 1962 and 1980 (same classification: all 991 product codes of
    1962 are among the 1,106 of 1980; the 1998-2000 file is SITC and cannot be paired)."""
    a = pd.read_csv(require_shared("world-trade", "ec_trade_1962.csv"), dtype={"product": str})
    a["time"] = "1962"
    b = pd.read_csv(require_shared("world-trade", "world_trade_1980.csv"),
                    dtype={"product_code": str})
    b = b.rename(columns={"reporter_iso": "country", "product_code": "product",
                          "export_value_usd": "value"})
    b["time"] = "1980"
    return Panel.from_pandas(pd.concat([a, b]), region="country", industry="product")


@pytest.mark.slow
def test_density_predicts_entry_1962_1980() -> None:
    """Published finding (Hidalgo et al. 2007; Hidalgo et al. 2018): density predicts entry.
    On HS trade 1962 -> 1980 (RCA crossing 1) we get ROC AUC = 0.709 over 142,181 cells at
    risk with 11,581 entries, and a density coefficient of 11.1 (z = 25) in a logit with
    country and product fixed effects (regression values). With Hidalgo et al.'s
    RCA < 0.5 -> >= 1 definition the AUC is 0.682."""
    panel = _trade_1962_1980()
    res = density_predicts_entry(panel, 1962, 1980)
    assert res.auc > 0.65
    assert res.auc == pytest.approx(0.7094, abs=0.001)
    assert (res.n, res.n_entries) == (142181, 11581)
    assert res.coef == pytest.approx(11.12, abs=0.01)
    assert res.z > 10
    strict = density_predicts_entry(panel, 1962, 1980, low=0.5)
    assert strict.auc == pytest.approx(0.6818, abs=0.001)


def test_fe_logit_matches_statsmodels() -> None:
    """Peer library: statsmodels `Logit` with explicit region and industry dummies on a
    small seeded problem gives the same density coefficient and standard error."""
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    n_r, n_p = 12, 15
    r = np.repeat(np.arange(n_r), n_p)
    p = np.tile(np.arange(n_p), n_r)
    x = rng.random(n_r * n_p)
    eta = 2.0 * x + rng.normal(0, 0.5, n_r)[r] + rng.normal(0, 0.5, n_p)[p] - 1.0
    y = (rng.random(len(x)) < 1 / (1 + np.exp(-eta))).astype(float)
    coef, se = fe_logit(y, x, [r, p])
    dummies = pd.get_dummies(pd.DataFrame({"r": r.astype(str), "p": p.astype(str)}),
                             drop_first=False, dtype=float)
    design = pd.concat([pd.Series(x, name="x"), dummies.drop(columns="p_0")], axis=1)
    fit = sm.Logit(y, design).fit(disp=0)
    assert coef == pytest.approx(fit.params["x"], rel=1e-6)
    assert se == pytest.approx(fit.bse["x"], rel=1e-6)


def test_entries_and_exits_by_hand() -> None:
    """By hand: with low=0.5, high=1 a move from RCA 0.714 to 1.8 is not an entry (0.714
    is not < 0.5) and 0.333 -> 1.8 is one."""
    p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
                            ("B", "y", 1, 1), ("A", "x", 2, 9), ("A", "y", 2, 1),
                            ("B", "x", 2, 1), ("B", "y", 2, 9)])
    out = entries_exits(p, 1, 2, low=0.5, high=1.0).set_index(["region", "industry"])
    assert out.loc[("A", "x"), "rca_start"] == pytest.approx(0.5 / 0.7)
    assert pd.isna(out.loc[("A", "x"), "entry"])
    assert out.loc[("B", "y"), "entry"] == 1
    with pytest.raises(MeasureError, match="not in the panel"):
        entries_exits(p, 1, 3)
