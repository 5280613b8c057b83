"""Growth tables (innesto.measures.growth), EconGeo's growth_* equivalents."""

from __future__ import annotations

import numpy as np
import pytest

from innesto.errors import MeasureError
from innesto.measures.growth import growth
from innesto.panel import Panel, concat
from tests.measures._torino import cell, torino_panel, torino_wide
from tests.measures.test_specialisation import ECONGEO_MAT, panel_from_matrix

MAT2 = ECONGEO_MAT.copy()
MAT2[2, 0] = 8  # as EconGeo's examples: mat2 <- mat1; mat2[3, 1] <- 8
MAT2[1, 3] = 35


def two_periods() -> Panel:
    return concat([panel_from_matrix(ECONGEO_MAT, "1"), panel_from_matrix(MAT2, "2")])


def test_growth_matches_econgeo() -> None:
    """EconGeo 2.0 ``growth_ind`` (colSums), ``growth_reg`` (rowSums) and ``growth_mat``
    (cells), ((x2 - x1) / x1) * 100, transcribed (peer library); where EconGeo gives 0
    for 0/0 or Inf for x/0, innesto gives NaN."""
    p = two_periods()
    ind = growth(p, by="industry")["growth"].to_numpy()
    np.testing.assert_allclose(ind, (MAT2.sum(0) - ECONGEO_MAT.sum(0)) / ECONGEO_MAT.sum(0)
                               * 100, rtol=1e-12)
    reg = growth(p, by="region")["growth"].to_numpy()
    np.testing.assert_allclose(reg, (MAT2.sum(1) - ECONGEO_MAT.sum(1)) / ECONGEO_MAT.sum(1)
                               * 100, rtol=1e-12)
    cells = growth(p, by="cell").set_index(["region", "industry"])["growth"]
    assert cells[("R2", "I4")] == pytest.approx(-50.0)  # 70 -> 35
    assert np.isnan(cells[("R3", "I1")])  # 0 -> 8: EconGeo Inf
    assert np.isnan(cells[("R1", "I2")])  # 0 -> 0: EconGeo 0
    assert ind[0] == pytest.approx(8.0)  # 100 -> 108


def test_consecutive_periods_like_growth_list() -> None:
    """Without start/end: one table per pair of consecutive periods (growth_list_*)."""
    p = concat([two_periods(), panel_from_matrix(ECONGEO_MAT, "3")])
    out = growth(p, by="industry")
    assert out[["base", "time"]].drop_duplicates().values.tolist() == [["1", "2"], ["2", "3"]]
    both = growth(p, by="industry", start=1, end=3)["growth"]
    np.testing.assert_allclose(both, 0.0, atol=1e-12)  # period 3 = period 1


def test_torino_total_employment_growth() -> None:
    """Torino's total employment 2008-2017 (Eurostat nama_10r_3empers): -4,200 of
    1,007,300 = -0.41696...%, by hand from the published cells."""
    wide = torino_wide()
    out = growth(torino_panel(), by="region", start=2008, end=2017, total_industry="TOTAL")
    got = out.set_index("region").loc["ITC11", "growth"]
    by_hand = 100 * (cell(wide, "ITC11", 2017, "TOTAL") / cell(wide, "ITC11", 2008, "TOTAL")
                     - 1)
    assert got == pytest.approx(by_hand, rel=1e-12)
    assert got == pytest.approx(-0.41695621959694234, rel=1e-12)


def test_bad_arguments() -> None:
    p = two_periods()
    with pytest.raises(MeasureError, match="both start and end"):
        growth(p, start=1)
    with pytest.raises(MeasureError, match="period '9' not in the panel"):
        growth(p, start=1, end=9)
    with pytest.raises(MeasureError, match="by must be"):
        growth(p, by="sector")  # type: ignore[arg-type]
