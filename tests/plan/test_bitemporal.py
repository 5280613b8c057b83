"""Bitemporal values: a report as of an earlier date is unchanged by later revisions."""

from __future__ import annotations

from datetime import date

from innesto.plan.bitemporal import as_of, revise, revisions
from innesto.plan.evaluate import compute_status
from innesto.plan.examples import tiny_planset
from innesto.plan.model import Observation


def _with_revision(ps, value: float, published: date):  # type: ignore[no-untyped-def]
    plan = ps.edition(2006)
    ind = plan.indicator("share")
    new = Observation(period="2017", value=value, published=published)
    ind = ind.model_copy(update={"observations": [*ind.observations, new]})
    plan = plan.model_copy(update={"indicators": [ind]})
    return ps.model_copy(update={"editions": [plan]})


def test_report_as_of_an_earlier_date_is_unchanged_after_revisions() -> None:
    ps = tiny_planset()
    day = date(2019, 6, 1)
    before = compute_status(ps, as_of=day).to_dict()
    revised = _with_revision(ps, 1.6, date(2024, 1, 1))
    assert compute_status(revised, as_of=day).to_dict() == before
    now = compute_status(revised).indicators["share"]
    assert now.status == "target_achieved"
    assert compute_status(ps, as_of=day).indicators["share"].progress.current_value == 1.3


def test_latest_vintage_wins_for_each_period() -> None:
    obs = tiny_planset().edition(2006).indicator("share").observations
    assert as_of(obs, date(2019, 12, 31))["2017"].value == 1.3
    assert as_of(obs, date(2020, 3, 1))["2017"].value == 1.25
    assert list(as_of(obs, date(2011, 1, 1))) == []
    assert [o.published for o in revisions(obs, "2017")] == [date(2019, 3, 1), date(2020, 3, 1)]


def test_revise_adds_only_changed_values() -> None:
    obs = tiny_planset().edition(2006).indicator("share").observations
    same = Observation(period="2017", value=1.25, published=date(2025, 1, 1))
    changed = Observation(period="2010", value=1.21, published=date(2025, 1, 1))
    new = Observation(period="2018", value=1.3, published=date(2025, 1, 1))
    out, added = revise(list(obs), [same, changed, new])
    assert added == [changed, new]
    assert len(out) == len(obs) + 2
