"""Region-level specialisation indices (innesto.measures.specialisation_indices)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import entropy as scipy_entropy

from innesto.measures.specialisation_indices import (
    gini_specialisation,
    herfindahl_index,
    hoover_specialisation,
    krugman_index,
    theil_index,
)
from tests.measures._torino import A10, cell, torino_panel, torino_wide
from tests.measures.test_specialisation import ECONGEO_MAT, panel_from_matrix

# a matrix without all-zero rows, for the Theil and Gini checks
MAT = np.array([[10, 20, 30, 40], [5, 5, 5, 85], [25, 25, 25, 25], [0, 50, 30, 20]],
               dtype=float)


def econgeo_shares(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return mat / mat.sum(axis=1, keepdims=True), mat.sum(axis=0) / mat.sum()


def test_krugman_and_spec_coeff_match_econgeo() -> None:
    """EconGeo 2.0 ``krugman_index`` = rowSums(|share_city - share_total|) and
    ``spec_coeff`` = half of it, transcribed (peer library), on EconGeo's example."""
    s, b = econgeo_shares(ECONGEO_MAT)
    expected = np.abs(s - b).sum(axis=1)
    p = panel_from_matrix(ECONGEO_MAT)
    np.testing.assert_allclose(krugman_index(p)["krugman"], expected, rtol=1e-12)
    np.testing.assert_allclose(hoover_specialisation(p)["hoover_specialisation"],
                               expected / 2, rtol=1e-12)
    # hand check: R1 is all I1 (benchmark share 0.2): |1 - 0.2| + 0.8 = 1.6
    assert krugman_index(p)["krugman"].iloc[0] == pytest.approx(1.6)


def test_herfindahl_matches_econgeo() -> None:
    """EconGeo 2.0 ``herfindahl`` = rowSums(mat^2) / rowSums(mat)^2 (peer library)."""
    p = panel_from_matrix(ECONGEO_MAT)
    expected = (ECONGEO_MAT ** 2).sum(axis=1) / ECONGEO_MAT.sum(axis=1) ** 2
    np.testing.assert_allclose(herfindahl_index(p)["hhi"], expected, rtol=1e-12)
    assert herfindahl_index(p)["hhi"].iloc[0] == 1.0  # all in one industry


def test_theil_is_the_kullback_leibler_divergence() -> None:
    """Relative Theil = KL divergence of the region's shares from the benchmark's, checked
    against scipy.stats.entropy(pk, qk) (peer library); absolute Theil = ln N - H."""
    p = panel_from_matrix(MAT)
    s, b = econgeo_shares(MAT)
    rel = theil_index(p)["theil"].to_numpy()
    absolute = theil_index(p, relative=False)["theil"].to_numpy()
    for r in range(MAT.shape[0]):
        assert rel[r] == pytest.approx(scipy_entropy(s[r], b), rel=1e-12)
        assert absolute[r] == pytest.approx(np.log(4) - scipy_entropy(s[r]), abs=1e-12)
    assert absolute[2] == pytest.approx(0.0, abs=1e-15)  # an even spread


def test_theil_is_nan_where_the_benchmark_lacks_an_industry() -> None:
    """A share where the reference has none: infinite divergence, reported as NaN."""
    p = panel_from_matrix(np.array([[1.0, 1.0], [2.0, 0.0]]))
    out = theil_index(p, reference_region="R2")["theil"].tolist()
    assert np.isnan(out[0]) and out[1] == 0.0


def test_gini_specialisation_by_hand() -> None:
    """Independent computation: sort industries by LQ, integrate the curve with the
    trapezoid rule, G = 1 - 2 * area under it (hand formula, not the shoelace sum)."""
    p = panel_from_matrix(MAT)
    got = gini_specialisation(p)["gini_specialisation"].to_numpy()
    s, b = econgeo_shares(MAT)
    for r in range(MAT.shape[0]):
        order = np.argsort(s[r] / b)
        x = np.r_[0, np.cumsum(b[order])]
        y = np.r_[0, np.cumsum(s[r][order])]
        area = np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2)
        assert got[r] == pytest.approx(1 - 2 * area, abs=1e-12)
    assert (got >= 0).all() and (got < 1).all()


def test_torino_krugman_against_italy_2017() -> None:
    """Torino vs Italy over the ten NACE A10 sections, 2017 (Eurostat nama_10r_3empers).
    Regression value pinned; checked against a hand computation from the published
    cells."""
    p = torino_panel()
    out = krugman_index(p, reference_region="IT", total_industry="TOTAL", regions=["ITC11"],
                        industries=A10)
    got = out[out["time"] == "2017"]["krugman"].iloc[0]
    wide = torino_wide()
    by_hand = sum(abs(cell(wide, "ITC11", 2017, c) / cell(wide, "ITC11", 2017, "TOTAL")
                      - cell(wide, "IT", 2017, c) / cell(wide, "IT", 2017, "TOTAL"))
                  for c in A10)
    assert got == pytest.approx(by_hand, rel=1e-12)
    assert got == pytest.approx(0.1705425861276283, rel=1e-12)


def test_docs_worked_example_torino_2017() -> None:
    """The numbers quoted in docs/measures/specialisation.md for Torino against Italy,
    2017, ten A10 sections. Each is recomputed here from the published cells with the
    textbook formula, in a few lines that share no code with ``src/``:

    - relative Theil (Theil 1967; KL divergence) ``sum_i s_i ln(s_i / b_i)``;
    - Gini of specialisation: 1 - 2 x the trapezoid area under the LQ-ordered curve;
    - Hachman (Mack et al. 2007) ``1 / sum_i s_i^2 / b_i``;
    - Hoover specialisation: half the Krugman index;
    - Hoover localisation (Hoover 1936) ``1/2 sum_r |x_ri / x_i - P_r / P|`` over the eight
      provinces, with P = total employment.
    The literal values are the same numbers, kept so that the docs page cannot drift."""
    from innesto.measures.concentration import hoover_index
    from innesto.measures.specialisation import hachman_index

    wide = torino_wide()
    s = np.array([cell(wide, "ITC11", 2017, c) for c in A10])
    s = s / cell(wide, "ITC11", 2017, "TOTAL")
    b = np.array([cell(wide, "IT", 2017, c) for c in A10]) / cell(wide, "IT", 2017, "TOTAL")
    theil = float(np.sum(s * np.log(s / b)))
    order = np.argsort(s / b)
    x, y = np.r_[0, np.cumsum(b[order])], np.r_[0, np.cumsum(s[order])]
    gini = 1 - 2 * float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
    hachman = 1 / float(np.sum(s ** 2 / b))
    hoover_spec = float(np.abs(s - b).sum()) / 2

    p = torino_panel().filter(time="2017")
    o = dict(reference_region="IT", total_industry="TOTAL", industries=A10, regions=["ITC11"])
    got_theil = theil_index(p, **o)["theil"].iloc[0]
    assert got_theil == pytest.approx(theil, rel=1e-12)
    assert got_theil == pytest.approx(0.03237343803728178, rel=1e-12)
    got_gini = gini_specialisation(p, **o)["gini_specialisation"].iloc[0]
    assert got_gini == pytest.approx(gini, rel=1e-12)
    assert got_gini == pytest.approx(0.11274868024248041, rel=1e-12)
    got_hachman = hachman_index(p, **o)["hachman"].iloc[0]
    assert got_hachman == pytest.approx(hachman, rel=1e-12)
    assert got_hachman == pytest.approx(0.9419785434191524, rel=1e-12)
    got_hoover = hoover_specialisation(p, **o)["hoover_specialisation"].iloc[0]
    assert got_hoover == pytest.approx(hoover_spec, rel=1e-12)
    assert got_hoover == pytest.approx(0.1705425861276283 / 2, rel=1e-12)

    provinces = [f"ITC1{k}" for k in range(1, 9)]
    pop = np.array([cell(wide, r, 2017, "TOTAL") for r in provinces])
    by_hand = []
    for industry in ["G-I", "J"]:
        xi = np.array([cell(wide, r, 2017, industry) for r in provinces])
        by_hand.append(0.5 * float(np.abs(xi / xi.sum() - pop / pop.sum()).sum()))
    hoover = hoover_index(p, regions=provinces, total_industry="TOTAL",
                          industries=["G-I", "J"])["hoover"].tolist()
    assert hoover == pytest.approx(by_hand, rel=1e-12)
    assert hoover == pytest.approx([0.021649202816223807, 0.2834429777010677], rel=1e-12)


def test_relative_theil_has_no_upper_bound_of_ln_n() -> None:
    """docs/measures/specialisation.md: the relative Theil index is not bounded by ln N.
    Two industries (ln 2 = 0.69): a region all in B, where B holds 1% of the benchmark's
    jobs, scores 1 * ln(1 / 0.01) = ln 100 = 4.605 (hand computation)."""
    p = panel_from_matrix(np.array([[0.0, 10.0], [990.0, 0.0]]))
    out = theil_index(p, reference_region="R2")
    # the benchmark R2 alone has no B: NaN; use the total of both regions instead
    assert np.isnan(out["theil"].iloc[0])
    both = theil_index(p)["theil"].iloc[0]  # benchmark: the sum of the regions, B = 10/1000
    assert both == pytest.approx(np.log(100), rel=1e-12)
    assert both > np.log(2)
