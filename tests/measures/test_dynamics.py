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
    On HS trade 1962 -> 1980 (RCA crossing 1) we get ROC AUC = 0.653 over 90,558 cells at
    risk with 11,581 entries, and a density coefficient of 10.9 in a logit with country and
    product fixed effects, z = 24.5 model-based (regression values). The 51,623 cells the
    1980 file lists without a value are unknown, not at risk (counting them as non-entries
    gave 142,181 cells and AUC 0.709). With Hidalgo et al.'s RCA < 0.5 -> >= 1 definition
    the AUC is 0.625. Standard errors clustered by country are larger than model-based."""
    panel = _trade_1962_1980()
    res = density_predicts_entry(panel, 1962, 1980)
    assert res.auc > 0.6
    assert res.auc == pytest.approx(0.6528, abs=0.001)
    assert (res.n, res.n_entries) == (142181 - 51623, 11581)
    assert res.coef == pytest.approx(10.91, abs=0.01)
    assert res.coef / res.se_model == pytest.approx(24.5, abs=0.1)
    assert res.se > res.se_model and res.z > 3
    strict = density_predicts_entry(panel, 1962, 1980, low=0.5)
    assert strict.auc == pytest.approx(0.6251, abs=0.001)


def test_a_cell_published_without_value_is_not_at_risk() -> None:
    """A blank in the end period is unknown: neither an entry nor a stay. Hand example: A/y
    has RCA (1/6)/(6/12) = 0.33 in period 1, so it is at risk of entry; with a blank in
    period 2 it is NA, with a published zero it is a non-entry (0)."""
    recs = [("A", "x", 1, 5.0), ("A", "y", 1, 1.0), ("B", "x", 1, 1.0), ("B", "y", 1, 5.0),
            ("A", "x", 2, 5.0), ("A", "y", 2, None), ("B", "x", 2, 1.0), ("B", "y", 2, 5.0)]
    out = entries_exits(Panel.from_records(recs), 1, 2).set_index(["region", "industry"])
    assert out.loc[("A", "y"), "entry"] is pd.NA and out.loc[("A", "y"), "exit"] is pd.NA
    # the same table with a zero there: A/y is at risk and not an entry
    recs[5] = ("A", "y", 2, 0.0)
    out = entries_exits(Panel.from_records(recs), 1, 2).set_index(["region", "industry"])
    assert out.loc[("A", "y"), "entry"] == 0


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
    # clustered by region: statsmodels' sandwich without its own small-sample factor,
    # times G / (G - 1) (Stata's ``logit, vce(cluster)``)
    _, se_cl = fe_logit(y, x, [r, p], cluster=r)
    robust = sm.Logit(y, design).fit(disp=0, cov_type="cluster",
                                     cov_kwds={"groups": r, "use_correction": False})
    assert se_cl == pytest.approx(robust.bse["x"] * np.sqrt(n_r / (n_r - 1)), rel=1e-6)


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


def test_mann_whitney_auc_counts_pairs_by_hand() -> None:
    """AUC = share of (positive, negative) pairs the positive wins, ties half. By hand:
    positives 0.9, 0.5, 0.5 against negatives 0.5, 0.2: 0.9 wins 2; each 0.5 ties once
    (1/2) and wins once: 2 + 1.5 + 1.5 = 5 of 6 pairs."""
    from innesto.measures.dynamics import mann_whitney_auc

    y = np.array([1, 1, 1, 0, 0])
    assert mann_whitney_auc(y, np.array([0.9, 0.5, 0.5, 0.5, 0.2])) == pytest.approx(5 / 6)
    assert mann_whitney_auc(y, np.array([1.0, 2, 3, 4, 5])) == 0.0  # every negative higher
    with pytest.raises(MeasureError, match="both outcomes"):
        mann_whitney_auc(np.array([1, 1]), np.array([0.1, 0.2]))
