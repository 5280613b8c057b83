"""Node status: roll-up rules, explicit 'not available', delivery kept apart from outcome."""

from __future__ import annotations

from datetime import date

import pytest

from innesto.plan.delivery import delivery
from innesto.plan.evaluate import compute_all, compute_status
from innesto.plan.examples import tiny_planset
from innesto.plan.i18n import Text
from innesto.plan.model import Milestone
from innesto.plan.rollup import Part, combine


def _parts() -> list[Part]:
    return [Part("indicator", "a", Text(it="A", en="A"), 1.0, "target_achieved", 5.0),
            Part("indicator", "b", Text(it="B", en="B"), 1.0, "limited_progress", -1.0),
            Part("indicator", "c", Text(it="C", en="C"), 2.0, "substantial_progress", 3.0),
            Part("indicator", "d", Text(it="D", en="D"), 1.0, "not_available", None)]


def test_weighted_mean_worst_and_share() -> None:
    """Hand-computed: (5 + -1 + 2*3) / 4 = 2.5 -> substantial; worst = limited; share on
    track (5 and 3 count, weights 1 + 2 of 4) = 0.75 -> score 2.5 -> substantial."""
    score, status, text = combine(_parts(), "weighted_mean")
    assert (score, status) == (2.5, "substantial_progress")
    assert "(1 not available)" in text.en and "(1 non disponibile)" in text.it
    score, status, text = combine(_parts(), "worst_of")
    assert (score, status) == (-1.0, "limited_progress")
    assert "'B'" in text.en
    score, status, text = combine(_parts(), "share_on_track")
    assert score == pytest.approx(2.5) and status == "substantial_progress"
    assert text.en.startswith("2 assessed parts on track out of 3 (75% weighted)")


def test_all_not_available_and_zero_weight() -> None:
    parts = [Part("indicator", "x", Text(en="X"), 1.0, "not_available", None),
             Part("indicator", "y", Text(en="Y"), 0.0, "deterioration", -5.0)]
    score, status, text = combine(parts, "weighted_mean")
    assert (score, status) == (None, "not_available")
    assert text.en == "the only part has no data: not available"


def test_plan_status_tree_and_delivery() -> None:
    st = compute_status(tiny_planset(), as_of=date(2021, 1, 1))
    assert [n.id for n in st.tree()] == ["axis", "obj", "proj"]
    assert st.nodes["obj"].outcome == "limited_progress"
    assert st.nodes["proj"].outcome == "not_available"
    assert st.nodes["axis"].delivery.status == "on_schedule"
    assert st.nodes["axis"].delivery.budget["EUR"].spent == 1e6
    assert compute_status(tiny_planset(), as_of=date(2031, 1, 1)).nodes["proj"].delivery.status == "delayed"
    d = st.to_dict()
    assert d["nodes"][0]["url"] == "2006/axis"
    assert d["indicators"][0]["explanation"]["it"].startswith("obiettivo 1,5 entro il 2015")


def test_compute_all_skips_editions_not_yet_approved() -> None:
    ps = tiny_planset()
    plan = ps.edition(2006).model_copy(update={"approved": date(2006, 7, 1)})
    ps = ps.model_copy(update={"editions": [plan]})
    assert compute_all(ps, as_of=date(2005, 1, 1)) == []
    assert len(compute_all(ps)) == 1


def test_delivery_states() -> None:
    """Hand-computed: a milestone done after the report date was not done then."""
    m = Milestone(id="m", title=Text(it="M", en="M"), due=date(2010, 1, 1),
                  done=date(2012, 1, 1), status="done")
    assert delivery([m], [], as_of=date(2011, 1, 1)).status == "delayed"
    assert delivery([m], [], as_of=date(2013, 1, 1)).status == "completed"
    assert delivery([m], [], as_of=date(2009, 1, 1)).status == "not_started"
    assert delivery([], [], as_of=date(2009, 1, 1)).status == "not_available"
