"""Co-occurrence relatedness from hand-made microdata with hand-computed counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from innesto.engines import cooccurrence
from innesto.engines.base import connect


def _patents() -> pd.DataFrame:
    # 2019: p1 {A, B, C}, p2 {A, B}, p3 {B, C} (C listed twice), p4 {A}
    # 2020: p5 {A, C}, p6 {A, C}
    rows = [("p1", "A", 2019), ("p1", "B", 2019), ("p1", "C", 2019), ("p2", "A", 2019),
            ("p2", "B", 2019), ("p3", "B", 2019), ("p3", "C", 2019), ("p3", "C", 2019),
            ("p4", "A", 2019), ("p5", "A", 2020), ("p5", "C", 2020), ("p6", "A", 2020),
            ("p6", "C", 2020), ("p7", None, 2020)]
    return pd.DataFrame(rows, columns=["patent", "cpc", "year"])


def test_hand_computed_counts_and_measures() -> None:
    """Hand-computed: 2019 pairs AB 2 (p1, p2), AC 1 (p1), BC 2 (p1, p3); n_A = 3, n_B = 3,
    n_C = 2, N = 4 patents; 2020 pair AC 2, n_A = n_C = 2, N = 2 (p7 has no code)."""
    eng = connect()
    try:
        t = eng.table(_patents())
        df = cooccurrence.relatedness(t, unit="patent", item="cpc", time="year").to_pandas()
    finally:
        eng.close()
    got = {(r.time, r.item_a, r.item_b): r for r in df.itertuples()}
    assert sorted(got) == [("2019", "A", "B"), ("2019", "A", "C"), ("2019", "B", "C"),
                           ("2020", "A", "C")]
    ab, ac, bc, ac20 = (got[k] for k in sorted(got))
    assert (ab.n_units, ac.n_units, bc.n_units, ac20.n_units) == (2, 1, 2, 2)
    assert (ab.n_a, ab.n_b, bc.n_b, ab.n_total, ac20.n_total) == (3, 3, 2, 4, 2)
    assert ab.proximity == pytest.approx(2 / 3) and ac.proximity == pytest.approx(1 / 3)
    assert bc.proximity == pytest.approx(2 / 3) and ac20.proximity == 1.0
    assert ab.cosine == pytest.approx(2 / 3) and ac.cosine == pytest.approx(1 / math.sqrt(6))
    assert ac.jaccard == pytest.approx(1 / 4) and bc.jaccard == pytest.approx(2 / 3)
    assert ab.association == pytest.approx(2 * 4 / 9) and ac20.association == 1.0


def test_pair_counts_without_time() -> None:
    """Hand-computed: without a time column all patents pool: AC = 1 + 2 = 3."""
    eng = connect()
    try:
        t = eng.table(_patents())
        df = cooccurrence.pair_counts(t, unit="patent", item="cpc").to_pandas()
    finally:
        eng.close()
    counts = {(r.item_a, r.item_b): r.n_units for r in df.itertuples()}
    assert counts == {("A", "B"): 2, ("A", "C"): 3, ("B", "C"): 2}
