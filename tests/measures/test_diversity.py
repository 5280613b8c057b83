"""Diversity, ubiquity, entropy and variety (innesto.measures.diversity)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import entropy as scipy_entropy

from innesto.errors import MeasureError
from innesto.measures.diversity import (
    diversity,
    inverse_normalised_ubiquity,
    normalised_ubiquity,
    shannon_entropy,
    ubiquity,
    variety,
)
from innesto.panel import Panel
from tests.conftest import require_shared
from tests.measures.test_specialisation import ECONGEO_MAT, econgeo_lq, panel_from_matrix

STATA = "ecomplexity-stata-ground-truth"


def test_diversity_and_ubiquity_equal_stata_ecomplexity() -> None:
    """Peer library: the Stata ``ecomplexity`` output (Harvard Growth Lab) on its trade
    sample, 10 countries x 30 HS92 products, 1995-1996: diversity and ubiquity exactly."""
    trade = pd.read_csv(require_shared(STATA, "trade_data_sample.csv"), dtype=str)
    truth = pd.read_csv(require_shared(STATA, "stata_ground_truth_eci_pci_compact.csv"),
                        dtype={"code": str, "year": str})
    panel = Panel.from_pandas(trade, region="origin", industry="hs92", time="year",
                              value="export_val")
    div = diversity(panel).set_index(["region", "time"])["diversity"]
    ubi = ubiquity(panel).set_index(["industry", "time"])["ubiquity"]
    countries = truth[truth["kind"] == "eci"]
    products = truth[truth["kind"] == "pci"]
    assert len(countries) == 20 and len(products) == 60
    for _, row in countries.iterrows():
        assert div[(row["code"], row["year"])] == row["diversity_or_ubiquity"]
    for _, row in products.iterrows():
        assert ubi[(row["code"], row["year"])] == row["diversity_or_ubiquity"]


def test_diversity_and_ubiquity_match_econgeo() -> None:
    """EconGeo 2.0 ``diversity(mat, rca = TRUE)`` / ``ubiquity(mat, rca = TRUE)``
    transcribed (row and column sums of the binary LQ), and the ``rca = FALSE`` reading of
    an incidence matrix."""
    p = panel_from_matrix(ECONGEO_MAT)
    m = (econgeo_lq(ECONGEO_MAT) >= 1).astype(int)
    assert diversity(p)["diversity"].tolist() == m.sum(axis=1).tolist()
    assert ubiquity(p)["ubiquity"].tolist() == m.sum(axis=0).tolist()
    assert diversity(p, incidence=True)["diversity"].tolist() == \
        (ECONGEO_MAT > 0).sum(axis=1).tolist()
    # hand check: R1 holds only I1 (LQ 5): diversity 1
    assert diversity(p)["diversity"].iloc[0] == 1


def test_shannon_entropy_matches_scipy_and_econgeo() -> None:
    """Peer libraries: scipy.stats.entropy(base=2), and EconGeo's ``entropy`` (which adds
    1e-9 inside log2 and rounds to 3 decimals) to its 3 decimals."""
    p = panel_from_matrix(ECONGEO_MAT)
    got = shannon_entropy(p)["entropy"].to_numpy()
    freqs = ECONGEO_MAT / ECONGEO_MAT.sum(axis=1, keepdims=True)
    for r in range(len(freqs)):
        assert got[r] == pytest.approx(scipy_entropy(freqs[r], base=2), abs=1e-12)
    econgeo = np.round(-(freqs * np.log2(freqs + 1e-9)).sum(axis=1), 3)
    np.testing.assert_array_equal(np.round(got, 3), econgeo)
    assert got[0] == 0.0  # one industry only
    nats = shannon_entropy(p, base=np.e)["entropy"].to_numpy()
    np.testing.assert_allclose(nats, got * np.log(2), rtol=1e-12)


def frenken(shares: np.ndarray, groups: list[str]) -> tuple[float, float]:
    """Frenken, Van Oort and Verburg (2007), written out: UV = sum_g P_g log2(1/P_g),
    RV = sum_g P_g H_g with H_g = sum_{i in g} (p_i/P_g) log2(P_g/p_i)."""
    uv = rv = 0.0
    for g in sorted(set(groups)):
        p = np.array([s for s, gg in zip(shares, groups, strict=True) if gg == g])
        big = p.sum()
        if big == 0:
            continue
        uv += big * np.log2(1 / big)
        q = p[p > 0] / big
        rv += big * np.sum(q * np.log2(1 / q))
    return uv, rv


def test_related_and_unrelated_variety_by_the_formulas() -> None:
    """Hand example: C10 and C11 (group C) and J62 (group J) with shares 1/4, 1/4, 1/2:
    UV = 1 bit between C and J, RV = 1/2 * 1 bit within C; and EconGeo's example matrix
    against the formulas written out, with I1-I2 and I3-I5 as groups."""
    p = Panel.from_records([("R1", "C10", 2017, 1), ("R1", "C11", 2017, 1),
                            ("R1", "J62", 2017, 2)])
    v = variety(p, groups={"C10": "C", "C11": "C", "J62": "J"}).iloc[0]
    assert (v["entropy"], v["unrelated_variety"], v["related_variety"]) == \
        pytest.approx((1.5, 1.0, 0.5))
    groups = {"I1": "a", "I2": "a", "I3": "b", "I4": "b", "I5": "b"}
    got = variety(panel_from_matrix(ECONGEO_MAT), groups=groups)
    freqs = ECONGEO_MAT / ECONGEO_MAT.sum(axis=1, keepdims=True)
    for r in range(len(freqs)):
        uv, rv = frenken(freqs[r], list(groups.values()))
        assert got["unrelated_variety"].iloc[r] == pytest.approx(uv, abs=1e-12)
        assert got["related_variety"].iloc[r] == pytest.approx(rv, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=6, max_size=6).filter(lambda v: sum(v) > 0))
def test_variety_decomposes_entropy(values: list[int]) -> None:
    """Identity (Theil's decomposition): UV + RV = entropy, and RV equals the within-group
    sum written out."""
    codes = ["A01", "A02", "B10", "B11", "B12", "C20"]
    p = Panel.from_records([("R", c, 2017, v) for c, v in zip(codes, values, strict=True)])
    out = variety(p, groups=lambda code: code[0]).iloc[0]
    assert out["unrelated_variety"] + out["related_variety"] == pytest.approx(
        out["entropy"], abs=1e-12)
    shares = np.asarray(values, float) / sum(values)
    uv, rv = frenken(shares, [c[0] for c in codes])
    assert out["related_variety"] == pytest.approx(rv, abs=1e-12)
    assert out["unrelated_variety"] == pytest.approx(uv, abs=1e-12)


def test_variety_needs_a_group_for_every_code() -> None:
    p = Panel.from_records([("R", "C10", 2017, 1), ("R", "J62", 2017, 1)])
    with pytest.raises(MeasureError, match="no group for industry 'J62'"):
        variety(p, groups={"C10": "C"})


def test_normalised_ubiquities_match_econgeo() -> None:
    """EconGeo 2.0 ``norm_ubiquity`` (share of the total over share of RCA presences) and
    ``inv_norm_ubiquity`` (log(colSums + 0.001) / ubiquity * 100), both rounded to 2
    decimals, transcribed (peer library)."""
    p = panel_from_matrix(ECONGEO_MAT)
    m = (econgeo_lq(ECONGEO_MAT) >= 1).astype(float)
    col = ECONGEO_MAT.sum(axis=0)
    norm = np.round((col / col.sum()) / (m.sum(axis=0) / m.sum()), 2)
    inv = np.round(np.log(col + 0.001) / m.sum(axis=0) * 100, 2)
    np.testing.assert_array_equal(
        normalised_ubiquity(p)["normalised_ubiquity"].round(2).to_numpy(), norm)
    np.testing.assert_array_equal(
        inverse_normalised_ubiquity(p)["inverse_normalised_ubiquity"].round(2).to_numpy(),
        inv)


def test_piemonte_variety_sbs_2015() -> None:
    """Piemonte (ITC1), Eurostat SBS 2015 (sbs_r_nuts06_r2): employment in the 68 NACE
    divisions of the business economy, grouped by section. Read with pandas here (flags
    such as '219 d' kept as numbers, blanks and corrupt cells missing). Regression values
    pinned; checked against the Frenken et al. formulas written out."""
    raw = pd.read_csv(require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv"),
                      sep=";", dtype=str, keep_default_na=False)
    number = raw["n2015"].str.extract(r"^\s*(\d+(?:\.\d+)?)\s*[a-z]*\s*$")[0]
    raw["value"] = pd.to_numeric(number)
    div = raw[(raw["geo"] == "ITC1") & (raw["nace_r2"].str.len() == 3)]
    assert len(div) == 68 and div["value"].isna().sum() == 2  # two confidential cells
    panel = Panel.from_pandas(div.assign(time="2015"), region="geo", industry="nace_r2")
    got = variety(panel, groups=lambda code: code[0]).iloc[0]
    ok = div.dropna(subset=["value"])
    shares = (ok["value"] / ok["value"].sum()).to_numpy()
    uv, rv = frenken(shares, [c[0] for c in ok["nace_r2"]])
    assert got["unrelated_variety"] == pytest.approx(uv, abs=1e-12)
    assert got["related_variety"] == pytest.approx(rv, abs=1e-12)
    assert got["entropy"] == pytest.approx(5.078876684322476, rel=1e-12)
    assert got["unrelated_variety"] == pytest.approx(2.910212402639556, rel=1e-12)
    assert got["related_variety"] == pytest.approx(5.078876684322476 - 2.910212402639556,
                                                   rel=1e-9)
