"""Weighted averages (innesto.measures.weighted), EconGeo's weighted_avg."""

from __future__ import annotations

import numpy as np
import pytest

from innesto.errors import MeasureError
from innesto.measures.weighted import weighted_average
from tests.measures.test_specialisation import ECONGEO_MAT, panel_from_matrix


def test_matches_econgeo_weighted_avg() -> None:
    """EconGeo 2.0 ``weighted_avg`` transcribed (peer library): reg = TRUE is
    vec %*% t(mat / rowSums(mat)); reg = FALSE weights by each industry's regions."""
    p = panel_from_matrix(ECONGEO_MAT)
    ind_vec = {"I1": 5.0, "I2": 10.0, "I3": 15.0, "I4": 25.0, "I5": 50.0}
    got = weighted_average(p, ind_vec)["weighted_average"].to_numpy()
    expected = (ECONGEO_MAT / ECONGEO_MAT.sum(axis=1, keepdims=True)) @ np.array(
        list(ind_vec.values()))
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    reg_vec = {f"R{k}": float(k) for k in range(1, 6)}
    got_i = weighted_average(p, reg_vec, by="industry")["weighted_average"].to_numpy()
    expected_i = np.array(list(reg_vec.values())) @ (ECONGEO_MAT / ECONGEO_MAT.sum(axis=0))
    np.testing.assert_allclose(got_i, expected_i, rtol=1e-12)
    assert got[0] == pytest.approx(5.0)  # R1 is all I1


def test_every_key_needs_a_value() -> None:
    with pytest.raises(MeasureError, match="no value for industry 'I5'"):
        weighted_average(panel_from_matrix(ECONGEO_MAT), {"I1": 1, "I2": 1, "I3": 1, "I4": 1})
