"""The co-occurrence z-score (EconGeo ``z_score``; Kim et al. 2016).

Pinned against an independent computation: the mean and variance of the hypergeometric
distribution from ``scipy.stats.hypergeom`` (peer library), and a toy matrix by hand.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.stats import hypergeom

from innesto import Panel
from innesto.measures.zscore import z_score, z_score_matrix


def test_toy_matrix_by_hand() -> None:
    """Hand computation: P=4, n=(3,2,2), o_ab=2 -> mu=1.5, sigma=0.5, z=1 (and o_ac=1 -> -1)."""
    x = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]])
    z = z_score_matrix(x)
    assert np.isclose(z[0, 1], 1.0, rtol=1e-12)
    assert np.isclose(z[0, 2], -1.0, rtol=1e-12)
    assert np.isclose(z[1, 2], -np.sqrt(3), rtol=1e-12)  # o=0, mu=1, sigma^2 = 1 * 1/2 * 2/3


def test_matches_the_hypergeometric_distribution_of_scipy() -> None:
    """Peer library: z = (o - E) / sd with E and sd of scipy.stats.hypergeom(P, n_i, n_j)."""
    rng = np.random.default_rng(7)
    x = (rng.random((60, 8)) < 0.3).astype(float)
    z = z_score_matrix(sp.csr_matrix(x))
    o = x.T @ x
    n = x.sum(axis=0)
    for i in range(8):
        for j in range(8):
            if i == j:
                continue
            dist = hypergeom(M=60, n=n[i], N=n[j])
            assert np.isclose(z[i, j], (o[i, j] - dist.mean()) / dist.std(), rtol=1e-12)


def test_a_technology_in_every_unit_gives_nan_not_infinity() -> None:
    x = np.array([[1, 1], [1, 0], [1, 1]])
    z = z_score_matrix(x)
    assert np.isnan(z[0, 1]) and np.isnan(z[1, 0])


def test_panel_version_lists_every_off_diagonal_pair_per_period() -> None:
    p = Panel.from_records([("p1", "a", 1, 1), ("p1", "b", 1, 1), ("p2", "a", 1, 1),
                            ("p2", "b", 1, 1), ("p3", "c", 1, 1), ("p4", "a", 1, 1),
                            ("p4", "c", 1, 1), ("p1", "a", 2, 1), ("p2", "b", 2, 1),
                            ("p3", "a", 2, 1), ("p3", "b", 2, 1)])
    out = z_score(p)
    assert len(out[out.time == "1"]) == 6 and len(out[out.time == "2"]) == 2
    first = out[(out.time == "1") & (out.industry_i == "a") & (out.industry_j == "b")]
    assert np.isclose(first.z.item(), 1.0)
