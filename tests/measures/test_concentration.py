"""Industry-level concentration: Hoover, locational Gini, Lorenz (innesto.measures.concentration).

Most numbers come from the examples in EconGeo 2.0's documentation (R package by
P.-A. Balland), whose comments state the expected shape ("perfectly proportional to
population", "max gini = (5-1)/5"); the values are computed by hand below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innesto.errors import MeasureError
from innesto.measures.concentration import (
    gini,
    hoover_curve,
    hoover_gini,
    hoover_index,
    locational_gini,
    locational_gini_curve,
    lorenz_curve,
)
from innesto.panel import Panel
from tests.measures._torino import cell, torino_panel, torino_wide
from tests.measures.test_specialisation import ECONGEO_MAT, panel_from_matrix

POP = {"R1": 10, "R2": 15, "R3": 20, "R4": 25, "R5": 30}
# EconGeo's hoover_index / hoover_gini example matrix (industries I1..I4)
HOOVER_MAT = np.array([[0, 10, 0, 0], [0, 15, 0, 0], [0, 20, 0, 0], [0, 25, 0, 1],
                       [0, 30, 1, 1]], dtype=float)
# EconGeo's gini / lorenz_curve example matrix
LORENZ_MAT = np.array([[0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 1],
                       [0, 1, 1, 1]], dtype=float)


def vector_panel(values: list[float]) -> Panel:
    return Panel.from_records([(f"R{k + 1}", "I1", "2017", v) for k, v in enumerate(values)])


def test_hoover_index_econgeo_example() -> None:
    """EconGeo ``hoover_index(ind, pop)`` with ind = (0, 10, 10, 30, 50): 25 (percent).
    By hand: 1/2 (|0-.1| + |.1-.15| + |.1-.2| + |.3-.25| + |.5-.3|) = 0.25."""
    assert hoover_index(vector_panel([0, 10, 10, 30, 50]), population=POP)["hoover"].iloc[0] \
        == pytest.approx(0.25)


def test_hoover_index_econgeo_matrix() -> None:
    """EconGeo's matrix example: I2 is proportional to population (0), I3 sits in R5
    only (1/2 (0.1 + 0.15 + 0.2 + 0.25 + 0.7) = 0.7), I1 is empty (NaN, as R's 0/0)."""
    got = hoover_index(panel_from_matrix(HOOVER_MAT), population=POP)["hoover"].tolist()
    assert np.isnan(got[0])
    assert got[1] == pytest.approx(0.0, abs=1e-15)
    assert got[2] == pytest.approx(0.7)
    assert got[3] == pytest.approx(0.5 * (0.1 + 0.15 + 0.2 + 0.25 + 0.2))


def test_hoover_index_equal_population_is_econgeo_default() -> None:
    """Without ``pop`` EconGeo assumes an even spread: for (0, 10, 10, 30, 50),
    1/2 (.2 + .1 + .1 + .1 + .3) = 0.4."""
    out = hoover_index(vector_panel([0, 10, 10, 30, 50]), population="equal")
    assert out["hoover"].iloc[0] == pytest.approx(0.4)


def test_hoover_gini_econgeo_examples() -> None:
    """Hand computation of EconGeo's ``hoover_gini`` examples (shoelace on the curve):
    the vector gives 0.31; I2 0 (proportional); I3 0.7 (30% of the population produces
    everything); I4 0.45*0.5 + (0.75 - 0.5) = 0.475."""
    assert hoover_gini(vector_panel([0, 10, 10, 30, 50]), population=POP)[
        "hoover_gini"].iloc[0] == pytest.approx(0.31)
    got = hoover_gini(panel_from_matrix(HOOVER_MAT), population=POP)["hoover_gini"].tolist()
    assert np.isnan(got[0])
    assert got[1:] == pytest.approx([0.0, 0.7, 0.475], abs=1e-12)


def test_gini_econgeo_examples() -> None:
    """EconGeo ``gini``: (0, 10, 10, 30, 50) -> 0.48 (mean-difference formula by hand:
    sum_r sum_s |x_r - x_s| = 480 over 2 n^2 mean = 1000); industry #2 perfect equality
    (0), #3 the maximum (5-1)/5 = 0.8, #4 (top 40% has all) 0.6."""
    assert gini(vector_panel([0, 10, 10, 30, 50]))["gini"].iloc[0] == pytest.approx(0.48)
    got = gini(panel_from_matrix(LORENZ_MAT))["gini"].tolist()
    assert got[1:] == pytest.approx([0.0, 0.8, 0.6], abs=1e-12)


def econgeo_locational_gini(mat: np.ndarray) -> np.ndarray:
    """EconGeo 2.0 ``locational_gini`` transcribed from its R source (peer library)."""
    out = []
    pop = mat.sum(axis=1) / mat.sum()
    for col in range(mat.shape[1]):
        ind = mat[:, col]
        o = np.argsort(ind / pop, kind="stable")
        cind = np.cumsum(ind[o]) / np.cumsum(ind[o]).max()
        cpop = np.cumsum(pop[o]) / np.cumsum(pop[o]).max()
        out.append((np.sum(cind[1:] * cpop[:-1]) - np.sum(cind[:-1] * cpop[1:])) / 2)
    return np.asarray(out)


def test_locational_gini_matches_econgeo() -> None:
    """On EconGeo's example matrix, against its R code transcribed (peer library); and
    the identity locational Gini = Hoover Gini against total activity / 2."""
    p = panel_from_matrix(ECONGEO_MAT)
    got = locational_gini(p)["locational_gini"].to_numpy()
    np.testing.assert_allclose(got, econgeo_locational_gini(ECONGEO_MAT), atol=1e-12)
    half = hoover_gini(p, population="total")["hoover_gini"].to_numpy() / 2
    np.testing.assert_allclose(got, half, atol=1e-15)
    assert (got >= 0).all() and (got < 0.5).all()


def test_curves_run_from_origin_to_one() -> None:
    """Curve coordinates (EconGeo ``hoover_curve``/``lorenz_curve`` with plot = FALSE):
    origin first, (1, 1) last, non-decreasing, regions ordered by ratio."""
    c = hoover_curve(vector_panel([0, 10, 10, 30, 50]), population=POP)
    assert c["cum_population"].round(4).tolist() == [0, 0.1, 0.3, 0.45, 0.7, 1.0]
    assert c["cum_value"].round(4).tolist() == [0, 0, 0.1, 0.2, 0.5, 1.0]
    lc = lorenz_curve(panel_from_matrix(LORENZ_MAT))
    i4 = lc[lc["industry"] == "I4"]
    assert i4["cum_regions"].round(4).tolist() == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert i4["cum_value"].tolist() == [0, 0, 0, 0, 0.5, 1.0]
    lg = locational_gini_curve(panel_from_matrix(ECONGEO_MAT))
    for _, one in lg.groupby("industry"):
        assert one["cum_value"].is_monotonic_increasing
        assert one["cum_population"].iloc[-1] == pytest.approx(1.0)


def test_missing_cell_leaves_the_region_out() -> None:
    """As EconGeo's complete.cases: a missing value drops that region from the curve."""
    with_gap = vector_panel([0, 10, 10, 30, 50])
    rows = with_gap.to_pandas()
    rows.loc[0, "value"] = None
    out = hoover_index(Panel.from_pandas(rows), population=POP)["hoover"].iloc[0]
    ind = np.array([10, 10, 30, 50]) / 100
    pop = np.array([15, 20, 25, 30]) / 90
    assert out == pytest.approx(0.5 * np.abs(ind - pop).sum())


def test_population_must_cover_every_region() -> None:
    with pytest.raises(MeasureError, match="no population for region.*'R5'"):
        hoover_index(vector_panel([1, 2, 3, 4, 5]), population={"R1": 1, "R2": 1})


def test_torino_locational_gini_2017() -> None:
    """Information and communication (J) across Piemonte's eight provinces, 2017 (Eurostat
    nama_10r_3empers): concentrated in Torino. Recomputed here from the published cells
    (Krugman 1991, as EconGeo's ``locational_gini``): order the provinces by LQ, cumulate
    their shares of total jobs (x) and of J's jobs (y), G = 1/2 - trapezoid area under the
    curve. No code shared with ``src/``; the literal is the same number."""
    provinces = [f"ITC1{k}" for k in range(1, 9)]
    wide = torino_wide()
    j = np.array([cell(wide, r, 2017, "J") for r in provinces])
    tot = np.array([cell(wide, r, 2017, "TOTAL") for r in provinces])
    order = np.argsort((j / j.sum()) / (tot / tot.sum()))
    x = np.r_[0, np.cumsum(tot[order]) / tot.sum()]
    y = np.r_[0, np.cumsum(j[order]) / j.sum()]
    by_hand = 0.5 - float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
    p = torino_panel().filter(time="2017")
    got = locational_gini(p, regions=provinces, total_industry="TOTAL", industries=["J"])
    value = got["locational_gini"].iloc[0]
    assert value == pytest.approx(by_hand, abs=1e-12)
    assert provinces[order[-1]] == "ITC11"  # the highest LQ comes last
    c = locational_gini_curve(p, regions=provinces, total_industry="TOTAL", industries=["J"])
    assert c["region"].iloc[-1] == "ITC11"
    np.testing.assert_allclose(c["cum_value"].to_numpy(), y, atol=1e-12)
    assert value == pytest.approx(0.1458661290695624, rel=1e-12)


def test_curve_coordinates_give_the_gini() -> None:
    """Identity: the shoelace sum over the coordinates ``hoover_curve`` returns equals
    ``hoover_gini``, industry by industry, also with a missing cell left out."""
    df = panel_from_matrix(ECONGEO_MAT).to_pandas()
    df.loc[(df["region"] == "R3") & (df["industry"] == "I4"), "value"] = None
    p = Panel.from_pandas(df)
    curves = hoover_curve(p, population="total")
    ginis = hoover_gini(p, population="total").set_index("industry")["hoover_gini"]
    for industry, c in curves.groupby("industry"):
        x, y = c["cum_population"].to_numpy(), c["cum_value"].to_numpy()
        assert c["step"].tolist() == list(range(len(c)))
        assert pd.isna(c["region"].iloc[0])  # the origin
        shoelace = np.sum(x[:-1] * y[1:]) - np.sum(x[1:] * y[:-1])
        assert shoelace == pytest.approx(ginis[industry], abs=1e-12)
    assert len(curves[curves["industry"] == "I4"]) == 5  # origin + 4 complete regions
    assert "R3" not in curves[curves["industry"] == "I4"]["region"].tolist()
