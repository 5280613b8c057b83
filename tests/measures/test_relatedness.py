"""Proximity, co-occurrence and relatedness density: a toy by hand and two peer libraries."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from innesto.errors import MeasureError
from innesto.measures.relatedness import (
    cooccurrence,
    density_inside_outside,
    proximity,
    relatedness_density,
)
from innesto.panel import Panel
from tests.conftest import require_shared
from tests.measures._stata import py_ecomplexity, stata_trade

# r1: a b / r2: a c / r3: a b c / r4: b. Every present cell has RCA >= 0.5 (the lowest is
# r3's (1/3)/(3/8) = 0.889), so with threshold 0.5 M is this incidence matrix: ubiquity
# a=3, b=3, c=2; co-occurrence ab=2, ac=2, bc=1.
TOY = Panel.from_records([
    ("r1", "a", 1, 1), ("r1", "b", 1, 1), ("r2", "a", 1, 1), ("r2", "c", 1, 1),
    ("r3", "a", 1, 1), ("r3", "b", 1, 1), ("r3", "c", 1, 1), ("r4", "b", 1, 1)])


def _cell(df: pd.DataFrame, col: str, **keys: str) -> float:
    sel = np.logical_and.reduce([df[k] == v for k, v in keys.items()])
    assert sel.sum() == 1
    return float(df.loc[sel, col].iloc[0])


def test_proximity_by_hand() -> None:
    """By hand: phi_ab = 2/max(3,3), phi_ac = 2/max(3,2), phi_bc = 1/max(3,2)."""
    phi = proximity(TOY, threshold=0.5)
    assert _cell(phi, "proximity", industry_i="a", industry_j="b") == pytest.approx(2 / 3)
    assert _cell(phi, "proximity", industry_i="c", industry_j="a") == pytest.approx(2 / 3)
    assert _cell(phi, "proximity", industry_i="b", industry_j="c") == pytest.approx(1 / 3)
    assert len(phi) == 6  # no diagonal by default
    assert len(proximity(TOY, threshold=0.5, diagonal=1.0)) == 9


def test_density_by_hand_with_both_diagonals() -> None:
    """By hand for r4 (only b): density of a = phi_ba / (phi_ba + phi_ca) = (2/3)/(4/3) = 0.5,
    of c = phi_bc / (phi_ac + phi_bc) = 1/3, of b = 0 (diagonal 0). With diagonal 1:
    b = 1 / (2/3 + 1/3 + 1) = 0.5 and a = (2/3) / (4/3 + 1) = 2/7."""
    d = relatedness_density(TOY, threshold=0.5)
    assert (d["m"] == np.array([1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0])).all()
    assert _cell(d, "density", region="r4", industry="a") == pytest.approx(0.5)
    assert _cell(d, "density", region="r4", industry="c") == pytest.approx(1 / 3)
    assert _cell(d, "density", region="r4", industry="b") == 0.0
    d1 = relatedness_density(TOY, threshold=0.5, diagonal=1.0)
    assert _cell(d1, "density", region="r4", industry="b") == pytest.approx(0.5)
    assert _cell(d1, "density", region="r4", industry="a") == pytest.approx(2 / 7)
    io = density_inside_outside(TOY, threshold=0.5).set_index("region")
    assert io.loc["r4", "density_int_avg"] == 0.0
    assert io.loc["r4", "density_ext_avg"] == pytest.approx((0.5 + 1 / 3) / 2)


def test_cooccurrence_by_hand() -> None:
    """By hand: C_ab=2, C_ac=2, C_bc=1, S_a=4, S_b=3, S_c=3, T=10: cosine ab = 2/sqrt(12),
    association ab = 2*10/12, Jaccard bc = 1/(3+3-1)."""
    cos = cooccurrence(TOY, measure="cosine")
    assert _cell(cos, "cosine", industry_i="a", industry_j="b") == pytest.approx(2 / np.sqrt(12))
    ass = cooccurrence(TOY, measure="association")
    assert _cell(ass, "association", industry_i="b", industry_j="a") == pytest.approx(20 / 12)
    jac = cooccurrence(TOY, measure="jaccard")
    assert _cell(jac, "jaccard", industry_i="b", industry_j="c") == pytest.approx(1 / 5)
    with pytest.raises(MeasureError, match="unknown co-occurrence"):
        cooccurrence(TOY, measure="dice")  # type: ignore[arg-type]


def test_density_matches_economic_complexity_peer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Peer library: `economic-complexity` 0.3.0 `relatedness` (proximity "max", zero
    diagonal, M = RCA >= 1) on 1998-2000 world trade (first 80 countries): same density to
    1e-10. Shim: under pandas 3 (copy-on-write) its `proximity` fails in
    `np.fill_diagonal(phi.values, 0)` (read-only view), so the test skips that call and
    zeroes the diagonal of a copy before handing the proximities back to the peer."""
    from economic_complexity import proximity as ec_proximity
    from economic_complexity import rca as ec_rca
    from economic_complexity import relatedness as ec_relatedness

    path = require_shared("world-trade", "world_trade_avg_1998_to_2000.csv")
    df = pd.read_csv(path, dtype={"product": str})
    df = df[df["country"].isin(sorted(df["country"].unique())[:80])]
    panel = Panel.from_pandas(df, region="country", industry="product", time=None)
    ours = relatedness_density(panel).pivot(index="region", columns="industry", values="density")
    wide = df.pivot_table(index="country", columns="product", values="value", aggfunc="sum")
    rcas = ec_rca(wide)
    with monkeypatch.context() as mp:
        mp.setattr(np, "fill_diagonal", lambda a, v, wrap=False: None)
        phi = ec_proximity(rcas)
    arr = phi.to_numpy(copy=True)
    np.fill_diagonal(arr, 0)
    phi = pd.DataFrame(arr, index=phi.index, columns=phi.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = ec_relatedness(rcas, proximities=phi)
    peer = peer.reindex(index=ours.index, columns=ours.columns).to_numpy(dtype=float)
    ok = np.isfinite(peer) & np.isfinite(ours.to_numpy())
    assert ok.sum() > 50_000
    assert np.abs(ours.to_numpy()[ok] - peer[ok]).max() < 1e-10


def test_density_with_diagonal_one_matches_py_ecomplexity() -> None:
    """Peer library: `ecomplexity` 0.5.3 (Python port; proximity diagonal 1, M = RCA >= 1)
    on the Stata sample: same density to 1e-10 with diagonal=1."""
    raw, panel = stata_trade()
    peer = py_ecomplexity(raw)
    ours = relatedness_density(panel, diagonal=1.0).merge(
        peer[["region", "industry", "time", "density"]], on=["region", "industry", "time"])
    assert len(ours) == 600
    assert np.abs(ours["density_x"] - ours["density_y"]).max() < 1e-10
