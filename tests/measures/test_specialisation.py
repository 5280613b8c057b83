"""Location quotients and the indices built on them (innesto.measures.specialisation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import MeasureError
from innesto.measures._kernels import rca
from innesto.measures.specialisation import (
    average_location_quotient,
    hachman_index,
    location_quotient,
    rca_binary,
    symmetric_location_quotient,
)
from innesto.panel import Panel
from tests.measures._torino import cell, torino_panel, torino_wide

# EconGeo's example matrix for location_quotient, locational_gini, location_quotient_avg
ECONGEO_MAT = np.array([
    [100, 0, 0, 0, 0],
    [0, 15, 5, 70, 10],
    [0, 20, 10, 20, 50],
    [0, 25, 30, 5, 40],
    [0, 40, 55, 5, 0],
], dtype=float)


def panel_from_matrix(mat: np.ndarray, time: str = "2017") -> Panel:
    """R1..Rn x I1..Im, as EconGeo names its example matrices."""
    rows = [(f"R{r + 1}", f"I{i + 1}", time, float(mat[r, i]))
            for r in range(mat.shape[0]) for i in range(mat.shape[1])]
    return Panel.from_records(rows)


def econgeo_lq(mat: np.ndarray) -> np.ndarray:
    """EconGeo 2.0 ``location_quotient(mat)`` transcribed: shares over shares, NaN -> 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share_city = mat / mat.sum(axis=1, keepdims=True)
        share_total = mat.sum(axis=0) / mat.sum()
        lq = share_city / share_total
    return np.nan_to_num(lq, nan=0.0)


def test_torino_lq_against_italy_2017() -> None:
    """Torino (ITC11) vs Italy (IT), 2017, total = Count_Person_Employed (Eurostat
    nama_10r_3empers). Regression values pinned here, checked against a hand computation
    from the published cells: LQ_J = (48,000 / 1,003,100) / (610,600 / 25,138,300)."""
    lq = location_quotient(torino_panel(), reference_region="IT", total_industry="TOTAL",
                           regions=["ITC11"])
    got = lq[lq["time"] == "2017"].set_index("industry")["lq"]
    assert got["J"] == pytest.approx(1.970044842645186, rel=1e-12)
    assert got["K"] == pytest.approx(1.3372874440868103, rel=1e-12)
    assert got["A"] == pytest.approx(0.25286285402309366, rel=1e-12)
    wide = torino_wide()
    for code in ("J", "K", "A", "C", "M-N"):
        by_hand = (cell(wide, "ITC11", 2017, code) / cell(wide, "ITC11", 2017, "TOTAL")) / (
            cell(wide, "IT", 2017, code) / cell(wide, "IT", 2017, "TOTAL"))
        assert got[code] == pytest.approx(by_hand, rel=1e-12)
    assert "TOTAL" not in got.index
    # the rounded figures
    assert round(got["J"], 2) == 1.97 and round(got["K"], 2) == 1.34


def test_torino_every_year_in_one_call() -> None:
    """Regions absent from some periods (provinces cover 2000-2017) are skipped there;
    Italy's 2018 sector cells are missing, so the 2018 LQs are NaN, not zero (identity)."""
    lq = location_quotient(torino_panel(), reference_region="IT", total_industry="TOTAL")
    itc11 = lq[lq["region"] == "ITC11"]
    assert sorted(itc11["time"].unique()) == [str(y) for y in range(2000, 2018)]
    assert lq[lq["time"] == "2018"]["lq"].isna().all()
    italy = lq[(lq["region"] == "IT") & (lq["time"] == "2017")]["lq"]
    np.testing.assert_allclose(italy, 1.0, rtol=1e-12)  # the benchmark against itself


def test_default_equals_the_shared_kernel_and_econgeo() -> None:
    """Default benchmark (all regions, sum over industries) against two independent
    implementations: the sparse kernel and EconGeo 2.0's R code transcribed (peer
    library)."""
    p = panel_from_matrix(ECONGEO_MAT)
    got = location_quotient(p)["lq"].to_numpy().reshape(ECONGEO_MAT.shape)
    np.testing.assert_allclose(got, econgeo_lq(ECONGEO_MAT), rtol=1e-12)
    np.testing.assert_allclose(got, rca(sp.csr_matrix(ECONGEO_MAT)).toarray(), rtol=1e-12)
    # hand check of one cell: R2/I4 = (70/100) / (100/500)
    assert got[1, 3] == pytest.approx(3.5)


def test_binary_and_symmetric_variants() -> None:
    """EconGeo's binary LQ: above 1 -> 1, below 1 -> 0 (1 itself stays 1); symmetric LQ
    is (LQ - 1) / (LQ + 1) (Dalum et al. 1998): identities on the EconGeo example."""
    p = panel_from_matrix(ECONGEO_MAT)
    lq = econgeo_lq(ECONGEO_MAT).ravel()
    m = rca_binary(p)["m"].to_numpy(dtype=int)
    np.testing.assert_array_equal(m, (lq >= 1).astype(int))
    slq = symmetric_location_quotient(p)["slq"].to_numpy()
    np.testing.assert_allclose(slq, (lq - 1) / (lq + 1), rtol=1e-12)
    assert rca_binary(p, threshold=3.0)["m"].sum() == int((lq >= 3).sum())


def test_average_lq_and_hachman_match_econgeo() -> None:
    """EconGeo 2.0 ``location_quotient_avg`` = rowSums(lq * share) and ``hachman`` =
    1 / that, transcribed (peer library), on EconGeo's example matrix."""
    p = panel_from_matrix(ECONGEO_MAT)
    share = ECONGEO_MAT / ECONGEO_MAT.sum(axis=1, keepdims=True)
    expected = (econgeo_lq(ECONGEO_MAT) * share).sum(axis=1)
    np.testing.assert_allclose(average_location_quotient(p)["average_lq"], expected,
                               rtol=1e-12)
    np.testing.assert_allclose(hachman_index(p)["hachman"], 1 / expected, rtol=1e-12)
    # R1 does only I1, whose share of the total is 100/500: average LQ 5, Hachman 0.2
    assert hachman_index(p)["hachman"].iloc[0] == pytest.approx(0.2)


def test_missing_values_are_nan_not_zero() -> None:
    """A null cell gives a NaN LQ and is left out of its region's total (identity)."""
    p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, None),
                            ("R1", "C", 2017, 2), ("R2", "A", 2017, 1),
                            ("R2", "B", 2017, 3), ("R2", "C", 2017, 4)])
    lq = location_quotient(p).set_index(["region", "industry"])["lq"]
    assert np.isnan(lq[("R1", "B")])
    # R1 total = 4 (B left out); benchmark A = 3 of 12
    assert lq[("R1", "A")] == pytest.approx((2 / 4) / (3 / 12))


def test_unknown_reference_region_names_the_regions() -> None:
    """Bad input raises innesto's own error naming what exists."""
    p = panel_from_matrix(ECONGEO_MAT)
    with pytest.raises(MeasureError, match="reference region 'IT' not in the panel.*'R1'"):
        location_quotient(p, reference_region="IT")
    with pytest.raises(MeasureError, match="total industry 'TOTAL'"):
        location_quotient(p, total_industry="TOTAL")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(0, 1000), min_size=4, max_size=4), min_size=3,
                max_size=6))
def test_lq_weighted_mean_is_one(rows: list[list[int]]) -> None:
    """Identity: a region's LQs averaged with the benchmark's industry shares equal 1,
    sum_i s_Ri LQ_ri = sum_i s_ri = 1, for any region with activity."""
    mat = np.asarray(rows, dtype=float)
    if mat.sum() == 0:
        return
    lq = location_quotient(panel_from_matrix(mat))["lq"].to_numpy().reshape(mat.shape)
    bench = mat.sum(axis=0) / mat.sum()
    for r in range(mat.shape[0]):
        if mat[r].sum() > 0:
            assert np.nansum(np.where(bench > 0, bench * lq[r], 0)) == pytest.approx(1.0)


def test_output_columns() -> None:
    """The tidy contract: input keys plus one named column."""
    out = location_quotient(panel_from_matrix(ECONGEO_MAT))
    assert list(out.columns) == ["region", "industry", "time", "lq"]
    assert isinstance(out, pd.DataFrame) and len(out) == ECONGEO_MAT.size
