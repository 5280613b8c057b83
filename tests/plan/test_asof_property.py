"""Property: a report as of a date D is unchanged by any value published after D (values
and statuses both), for every indicator and node of the tiny plan."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.plan.evaluate import compute_status
from innesto.plan.examples import tiny_planset
from innesto.plan.model import Observation, PlanSet

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
LATER = st.lists(st.tuples(st.integers(2000, 2030),
                           st.one_of(st.none(), st.floats(0.01, 10.0)),
                           st.integers(1, 4000), st.booleans()), max_size=6)


def _with(ps: PlanSet, extra: list[Observation]) -> PlanSet:
    plan = ps.editions[0]
    ind = plan.indicators[0]
    ind2 = ind.model_copy(update={"observations": [*ind.observations, *extra]})
    return ps.model_copy(update={"editions": [plan.model_copy(update={"indicators": [ind2]})]})


@settings(max_examples=60, deadline=None)
@given(day=DAYS, later=LATER)
def test_a_report_as_of_d_ignores_values_published_after_d(
        day: date, later: list[tuple[int, float | None, int, bool]]) -> None:
    ps = tiny_planset()
    extra = [Observation(period=str(year), value=value, published=day + timedelta(days=after),
                         illustrative=illustrative)
             for year, value, after, illustrative in later]
    before = compute_status(ps, as_of=day).to_dict()
    after = compute_status(_with(ps, extra), as_of=day).to_dict()
    assert after == before
