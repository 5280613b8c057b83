"""Fitness and Complexity (innesto.measures.fitness) against an independent implementation
and the behaviour Tacchella et al. (2012) and Pugliese et al. (2016) report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.stats import spearmanr

from innesto.measures.fitness import fitness_complexity
from tests.conftest import require_shared
from tests.measures.test_complexity import _world


def _tacchella(m: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """Tacchella et al. (2012), eq. 1, written out on a dense array (no code shared with
    ``src/``): F~ = M Q, Q~ = 1 / (M^T (1 / F)), each divided by its mean."""
    f, q = np.ones(m.shape[0]), np.ones(m.shape[1])
    for _ in range(iterations):
        f_t = m @ q
        q_t = 1.0 / (m.T @ (1.0 / f))
        f, q = f_t / f_t.mean(), q_t / q_t.mean()
    return f, q


def _world_m() -> np.ndarray:
    """M = [RCA >= 1] of world exports 1998-2000, computed here with NumPy (Balassa)."""
    x = np.nan_to_num(_world().matrix().matrix.toarray())
    x = x[x.sum(axis=1) > 0][:, x.sum(axis=0) > 0]
    rca = (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0) / x.sum())
    m = (rca >= 1).astype(float)
    return m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]


def test_equals_an_independent_implementation_on_world_trade() -> None:
    """World exports 1998-2000 (226 countries x 785 SITC products, M = RCA >= 1): the
    sparse kernel and the dense transcription of eq. 1 agree after 200 iterations."""
    m = _world_m()
    f, q = fitness_complexity(sp.csr_matrix(m), iterations=200)
    f_ref, q_ref = _tacchella(m, 200)
    np.testing.assert_allclose(f, f_ref, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(q, q_ref, rtol=1e-9, atol=1e-300)


def test_nested_matrix_ranks_by_diversity_and_ubiquity() -> None:
    """Tacchella et al. (2012): on a perfectly nested matrix (country k makes products
    0..k), fitness orders countries as diversity does, and complexity orders products
    inversely to ubiquity (the rarest product, made only by the fittest, is the most
    complex)."""
    n = 8
    m = np.tril(np.ones((n, n)))  # row k has k + 1 products
    f, q = fitness_complexity(sp.csr_matrix(m), iterations=30)
    assert (np.diff(f) > 0).all()  # more diverse, fitter
    assert (np.diff(q) > 0).all()  # made by fewer countries, more complex


def test_fitness_ranks_like_diversity_eci_and_income_on_world_trade() -> None:
    """Tacchella et al. (2012), Fig. 2-4: fitness is a non-linear refinement of diversity,
    ranks countries much like the ECI and rises with income. On 1998-2000 trade, over the
    185 countries with GDP data (as in test_complexity's Hidalgo-Hausmann check), the
    Spearman correlations are 0.984 with diversity, 0.713 with the eigenvector ECI and
    0.342 with GDP per capita (regression values; asserted with a margin)."""
    from innesto.measures.complexity import complexity

    gdp = pd.read_csv(require_shared("world-trade", "world_gdp_avg_1998_to_2000.csv"))
    gdp = gdp[gdp["value"] > 0].set_index("country")["value"]
    panel = _world().filter(region=gdp.index.tolist())
    fit = complexity(panel, method="fitness").regions.set_index("region")
    eci = complexity(panel, method="eigen").regions.set_index("region")["eci"]
    both = fit.join(eci.rename("eci_eigen")).join(gdp.rename("gdp")).dropna()
    assert len(both) == 185
    assert spearmanr(both["eci"], both["diversity"]).statistic == pytest.approx(0.984, abs=0.01)
    assert spearmanr(both["eci"], both["eci_eigen"]).statistic == pytest.approx(0.713, abs=0.01)
    assert spearmanr(both["eci"], both["gdp"]).statistic == pytest.approx(0.342, abs=0.01)


def test_tiny_fitness_values_are_an_artefact_of_the_iteration_count() -> None:
    """Pugliese, Zaccaria & Pietronero (2016): on a nested matrix the map has no interior
    fixed point: the least fit country's F keeps shrinking towards 0 as iterations are
    added (here 3.7e-4 after 20, 3.7e-9 after 200), while the ranking is fixed from the
    start. So a fitness of 1e-9 says "last", not "a billion times less fit";
    docs/measures/complexity.md says so. On world trade (not nested) the map settles:
    200 and 400 iterations give the same values."""
    m = sp.csr_matrix(np.tril(np.ones((8, 8))))
    f20, _ = fitness_complexity(m, iterations=20)
    f200, _ = fitness_complexity(m, iterations=200)
    assert f200[0] < f20[0] / 1000
    assert f20[0] == pytest.approx(_tacchella(m.toarray(), 20)[0][0], rel=1e-9)
    assert (np.argsort(f20) == np.argsort(f200)).all()
    world = sp.csr_matrix(_world_m())
    np.testing.assert_allclose(fitness_complexity(world, iterations=200)[0],
                               fitness_complexity(world, iterations=400)[0], rtol=1e-6)


def test_two_iterations_by_hand() -> None:
    """Hand computation on M = [[1,1,1],[1,1,0],[1,0,0]] from F = Q = 1: F~ = (3, 2, 1),
    mean 2, F = (1.5, 1, 0.5); Q~ = 1 / (3, 2, 1) ... after the second step F = (1.8333,
    0.8333, 0.3333) (the doctest's numbers, derived here step by step)."""
    m = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float)
    f1 = m @ np.ones(3)
    q1 = 1 / (m.T @ np.ones(3))
    f1, q1 = f1 / f1.mean(), q1 / q1.mean()
    assert f1.tolist() == [1.5, 1.0, 0.5]
    f2 = m @ q1
    f2 = f2 / f2.mean()
    f, _ = fitness_complexity(sp.csr_matrix(m), iterations=2)
    np.testing.assert_allclose(f, f2, rtol=1e-12)
    assert f.round(4).tolist() == pytest.approx([1.8333, 0.8333, 0.3333])
