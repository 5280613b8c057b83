"""Complexity outlook and outlook gain: by hand, and against the Growth Lab's Python port."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from innesto.measures.outlook import outlook, outlook_matrix
from tests.measures._stata import py_ecomplexity, stata_trade


def test_outlook_gain_by_hand() -> None:
    """By hand: region 0 has only industry 0; phi row sums are 0.7, 0.8, 0.5; PCI is
    (-1, .5, 1.5); density of region 0 is (0, .625, .4). COG_01 = sum_q (1 - M_0q) phi_q1
    PCI_q / rowsum_q = .3 * 1.5 / .5 = 0.9 (only q = 2 counts), minus density_01 * PCI_1 =
    .625 * .5. COG_00 = 0 (already specialised)."""
    m = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0]]))
    phi = sp.csr_matrix(np.array([[0, .5, .2], [.5, 0, .3], [.2, .3, 0]]))
    _, cog = outlook_matrix(m, phi, np.array([-1.0, 0.5, 1.5]))
    assert cog[0, 1] == pytest.approx(0.9 - 0.625 * 0.5)
    # COG_02 = .3*.5/.8 (q=1) - .4*1.5 (density_02 * PCI_2)
    assert cog[0, 2] == pytest.approx(0.3 * 0.5 / 0.8 - 0.4 * 1.5)
    assert cog[0, 0] == 0.0


def test_ecomplexity_mode_matches_py_ecomplexity() -> None:
    """Peer library: `ecomplexity` 0.5.3 computes COI/COG as Stata's coicog.ado, with a
    proximity diagonal of 1 and numpy's population sd. With diagonal=1 our "ecomplexity"
    mode gives the same COI after re-standardising, and the same COG up to the constant
    ratio of the two standard deviations, sqrt(N/(N-1)) with N = 10 x 30."""
    raw, panel = stata_trade()
    peer = py_ecomplexity(raw)
    regions, cells = outlook(panel, mode="ecomplexity", diagonal=1.0)
    c = cells.merge(peer, on=["region", "industry", "time"])
    assert len(c) == 600
    factor = np.sqrt(300 / 299)
    assert np.abs(c["cog_x"] * factor - c["cog_y"]).max() < 1e-9
    r = regions.merge(peer.groupby(["region", "time"], as_index=False)["coi"].first(),
                      on=["region", "time"])
    assert len(r) == 20
    for _, g in r.groupby("time"):
        z = (g["coi_x"] - g["coi_x"].mean()) / g["coi_x"].std(ddof=0)
        assert np.abs(z - g["coi_y"]).max() < 1e-9


def test_atlas_coi_rises_with_pci_of_missing_neighbours() -> None:
    """Identity: COI is linear in PCI, so doubling PCI doubles COI."""
    m = sp.csr_matrix(np.array([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 1]]))
    phi = sp.csr_matrix(np.array([[0, .2, .6, .1], [.2, 0, .4, .3], [.6, .4, 0, .2],
                                  [.1, .3, .2, 0]]))
    pci = np.array([-1.0, 0.3, 0.2, 1.4])
    coi1, cog1 = outlook_matrix(m, phi, pci)
    coi2, cog2 = outlook_matrix(m, phi, 2 * pci)
    assert np.allclose(coi2, 2 * coi1) and np.allclose(cog2, 2 * cog1)
