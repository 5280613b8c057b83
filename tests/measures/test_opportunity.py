"""The opportunity matrix of one region: by hand, and consistent with the family's tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innesto.errors import MeasureError
from innesto.measures.complexity import complexity
from innesto.measures.opportunity import opportunity_matrix
from innesto.measures.relatedness import relatedness_density
from innesto.panel import Panel
from tests.conftest import require_shared

TOY = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
                          ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10),
                          ("D", "x", 1, 4), ("D", "z", 1, 4)])


def test_toy_by_hand() -> None:
    """By hand: M is A{x,y}, B{x}, C{z}, D{x,z}; phi_xy = phi_xz = 1/3, phi_yz = 0, so A's
    density is x: (1/3)/(2/3) = 0.5, y: 1, z: 1 (its only neighbour x is present)."""
    out = opportunity_matrix(TOY, "A")
    assert out["density"].tolist() == pytest.approx([0.5, 1.0, 1.0])
    assert out["m"].tolist() == [1, 1, 0]
    assert out.loc[out.m == 1, "cog"].eq(0).all()
    with pytest.raises(MeasureError, match="has no data"):
        opportunity_matrix(TOY, "Z")


def test_italy_in_world_trade_matches_the_family_tables() -> None:
    """Identity: Italy's opportunity matrix on 1998-2000 trade is its rows of
    relatedness_density and the PCI of complexity(); density is higher inside its portfolio
    than outside (the premise of relatedness; regression values 0.58 vs 0.52)."""
    df = pd.read_csv(require_shared("world-trade", "world_trade_avg_1998_to_2000.csv"),
                     dtype={"product": str})
    panel = Panel.from_pandas(df, region="country", industry="product", time=None)
    opp = opportunity_matrix(panel, "ita")
    dens = relatedness_density(panel)
    dens = dens[dens.region == "ita"].reset_index(drop=True)
    assert np.allclose(opp["density"], dens["density"], equal_nan=True)
    assert (opp["m"] == dens["m"]).all()
    pci = complexity(panel).industries
    assert np.allclose(opp["pci"], pci["pci"], equal_nan=True)
    inside = opp.loc[opp.m == 1, "density"].mean()
    outside = opp.loc[opp.m == 0, "density"].mean()
    assert inside > outside
    assert (round(inside, 2), round(outside, 2)) == (0.58, 0.52)
