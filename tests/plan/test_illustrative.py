"""Illustrative figures never pass as fact: every status resting on one says so, in both
languages, up the tree; a plan setting keeps them out of the statuses altogether."""

from __future__ import annotations

from datetime import date

from innesto.plan.evaluate import compute_status
from innesto.plan.examples import tiny_planset
from innesto.plan.model import PlanSet, StatusSettings


def _illustrative_value() -> PlanSet:
    """The tiny plan with its 2010 value marked illustrative."""
    ps = tiny_planset()
    ind = ps.editions[0].indicators[0]
    obs = [o.model_copy(update={"illustrative": o.period == "2010"}) for o in ind.observations]
    ind2 = ind.model_copy(update={"observations": obs})
    plan = ps.editions[0].model_copy(update={"indicators": [ind2]})
    return ps.model_copy(update={"editions": [plan]})


def test_a_status_on_an_illustrative_value_says_so_up_to_the_root() -> None:
    # As of 2015 the only value after the 2006 baseline is the illustrative 2010 one.
    st = compute_status(_illustrative_value(), as_of=date(2015, 1, 1))
    ind = st.indicators["share"]
    assert ind.illustrative and ind.status != "not_available"
    assert "illustrativi" in ind.explanation.it and "illustrative" in ind.explanation.en
    for node in ("obj", "axis"):
        n = st.nodes[node]
        assert n.illustrative_outcome and n.illustrative, node
        assert "illustrativi" in n.explanation.it and "illustrative" in n.explanation.en
        assert n.to_dict()["illustrative_outcome"] is True
    # With every value known, the illustrative 2010 value is still among those read.
    assert compute_status(_illustrative_value()).indicators["share"].illustrative


def test_exclude_setting_keeps_illustrative_figures_out() -> None:
    ps = _illustrative_value().model_copy(update={"status": StatusSettings(illustrative="exclude")})
    st = compute_status(ps, as_of=date(2015, 1, 1))
    # Without the illustrative 2010 value only the baseline is left: one period.
    assert st.indicators["share"].status == "not_available"
    assert not st.indicators["share"].illustrative
    assert not st.nodes["axis"].illustrative


def test_illustrative_milestone_flags_delivery_in_both_languages() -> None:
    ps = tiny_planset()
    plan = ps.editions[0]
    proj = plan.nodes[0].children[0].children[0]
    ms = [m.model_copy(update={"illustrative": m.id == "end"}) for m in proj.milestones]
    proj2 = proj.model_copy(update={"milestones": ms})
    obj = plan.nodes[0].children[0].model_copy(update={"children": [proj2]})
    axis = plan.nodes[0].model_copy(update={"children": [obj]})
    ps = ps.model_copy(update={"editions": [plan.model_copy(update={"nodes": [axis]})]})
    st = compute_status(ps, as_of=date(2031, 1, 1))
    d = st.nodes["axis"].delivery
    assert d.status == "delayed" and d.illustrative and st.nodes["axis"].illustrative
    assert "illustrativi" in d.explanation.it and "illustrative" in d.explanation.en
    excl = compute_status(ps.model_copy(update={"status": StatusSettings(illustrative="exclude")}),
                          as_of=date(2031, 1, 1))
    assert excl.nodes["axis"].delivery.status == "completed"
    assert not excl.nodes["axis"].delivery.illustrative
