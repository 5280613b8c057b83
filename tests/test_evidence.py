"""Finer sector evidence: Piemonte's motor vehicles (C29) and other transport equipment
(C30) from Eurostat's regional SBS 2015 (``../shared/data/eurostat-sbs-nuts2-2015``)."""

from __future__ import annotations

import pytest

from innesto.evidence import divisions, read_divisions
from tests.conftest import require_shared

SBS = ("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")


def test_piemonte_c29_and_c30_location_quotients_by_hand() -> None:
    """Hand computation from the SBS cells (2015, persons employed; the business economy
    total is the sum of sections B, C, D, E, F, G, H, I, J, L, M, N and division S95, as
    the table publishes no total row):

    ITC1 (Piemonte): B 1,323 + C 351,972 + D 7,347 + E 13,198 + F 103,355 + G 241,754
    + H 72,653 + I 81,521 + J 54,883 + L 26,198 + M 95,658 + N 90,669 + S95 3,890
    = 1,144,421; C29 = 52,974; C30 = 10,913.
    IT (Italy): 21,588 + 3,618,487 + 90,103 + 188,268 + 1,323,788 + 3,304,942
    + 1,091,817 + 1,325,086 + 542,103 + 298,561 + 1,215,819 + 1,160,230 + 43,907
    = 14,224,699; C29 = 159,836; C30 = 79,651.
    LQ(C29) = (52,974 / 1,144,421) / (159,836 / 14,224,699) = 0.0462889 / 0.0112365
    = 4.11951; LQ(C30) = (10,913 / 1,144,421) / (79,651 / 14,224,699) = 0.00953583
    / 0.00559949 = 1.70298.
    """
    panel = read_divisions(require_shared(*SBS))
    c29 = divisions(panel, "C29", "ITC1", "IT")
    c30 = divisions(panel, "C30", "ITC1", "IT")
    assert (c29["employment"], c30["employment"]) == (52974.0, 10913.0)
    assert c29["lq_country"] == pytest.approx(4.11951, abs=1e-5)
    assert c30["lq_country"] == pytest.approx(1.70298, abs=1e-5)
    # Against Europe, Piemonte is still specialised in both, and ranked among every
    # comparable NUTS 2 region of the table.
    assert c29["lq_europe"] > 1 and c30["lq_europe"] > 1
    assert 1 <= c29["rank_europe"] <= c29["regions_europe"] > 200
    assert c29["lq_country"] != c30["lq_country"]
