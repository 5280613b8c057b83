"""Ease of recombination and modular complexity, computed by hand (EconGeo's definitions)."""

from __future__ import annotations

import pytest

from innesto.measures.modular import (
    ease_of_recombination,
    modular_complexity,
    modular_complexity_avg,
)
from innesto.panel import Panel

# patents p1..p4 x technology classes a..d; a zero value is not a use, a null is missing.
P = Panel.from_records([
    ("p1", "a", 1, 1), ("p1", "b", 1, 2), ("p2", "a", 1, 1), ("p2", "c", 1, 1),
    ("p2", "d", 1, 1), ("p3", "a", 1, 3), ("p4", "d", 1, 1), ("p4", "b", 1, 0),
    ("p4", "c", 1, None)])


def test_by_hand() -> None:
    """By hand: a is used by p1, p2, p3 with partners b, c, d -> E_a = 3/3 = 1; b by p1 with
    a -> 1; c by p2 with a, d -> 2; d by p2, p4 with a, c -> 2/2 = 1. K: p1 = 2/(1+1) = 1,
    p2 = 3/(1+2+1) = 0.75, p3 = 1/1, p4 = 1/1. Average over users: a = (1+.75+1)/3."""
    ease = ease_of_recombination(P).set_index("industry")["ease"]
    assert ease.to_dict() == pytest.approx({"a": 1.0, "b": 1.0, "c": 2.0, "d": 1.0})
    mod = modular_complexity(P).set_index("region")["modular_complexity"]
    assert mod.to_dict() == pytest.approx({"p1": 1.0, "p2": 0.75, "p3": 1.0, "p4": 1.0})
    avg = modular_complexity_avg(P).set_index("industry")["modular_complexity_avg"]
    assert avg["a"] == pytest.approx(2.75 / 3)
    assert avg["d"] == pytest.approx((0.75 + 1.0) / 2)
