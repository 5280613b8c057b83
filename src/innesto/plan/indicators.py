"""One indicator's status as of a date: its values, Open SDG progress, trajectory band.

Examples
--------
>>> from datetime import date
>>> from innesto.plan.model import Indicator, Observation, Point
>>> from innesto.plan.i18n import Text
>>> ind = Indicator(id="x", name=Text(it="x", en="x"), unit=Text(it="quota", en="share"),
...     baseline=Point(value=1.1, period="2006"), target=Point(value=1.5, period="2015"),
...     observations=[Observation(period="2017", value=1.25, published=date(2019, 3, 1))])
>>> st = evaluate_indicator(ind)
>>> st.status, st.trajectory.status
('limited_progress', 'behind')
>>> evaluate_indicator(ind, as_of=date(2018, 1, 1)).status   # not yet published then
'not_available'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from innesto.plan.bitemporal import as_of as values_as_of
from innesto.plan.bitemporal import yearly
from innesto.plan.i18n import Text, both
from innesto.plan.model import Indicator, Observation
from innesto.plan.status import (
    LABELS,
    Progress,
    Status,
    TrajectoryCheck,
    explain,
    opensdg_progress,
    trajectory_check,
)


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator's outcome status, with every component of the calculation."""

    id: str
    name: Text
    unit: Text
    progress: Progress
    trajectory: TrajectoryCheck
    explanation: Text
    values: dict[str, Observation] = field(default_factory=dict)
    provisional: bool = False
    illustrative: bool = False

    @property
    def status(self) -> Status:
        return self.progress.status

    @property
    def score(self) -> float | None:
        return self.progress.score

    @property
    def label(self) -> Text:
        return LABELS[self.status]

    def to_dict(self) -> dict[str, Any]:
        p, t = self.progress, self.trajectory
        return {
            "id": self.id, "name": self.name.model_dump(), "unit": self.unit.model_dump(),
            "status": self.status, "label": self.label.model_dump(), "score": p.score,
            "explanation": self.explanation.model_dump(),
            "components": {
                "base_year": p.base_year, "base_value": p.base_value,
                "current_year": p.current_year, "current_value": p.current_value,
                "target": p.target, "target_year": p.target_year, "direction": p.direction,
                "limit": p.limit, "cagr_observed": p.cagr_observed,
                "cagr_required": p.cagr_required, "progress_value": p.progress_value,
                "reason": p.reason,
            },
            "trajectory": {"status": t.status, "kind": t.kind, "tolerance": t.tolerance,
                           "year": t.year, "expected": t.expected, "lower": t.lower,
                           "upper": t.upper},
            "values": {k: {"value": o.value, "published": o.published.isoformat(),
                           "confidence": o.confidence, "illustrative": o.illustrative}
                       for k, o in self.values.items()},
            "provisional": self.provisional, "illustrative": self.illustrative,
        }


def evaluate_indicator(
    ind: Indicator, as_of: date | None = None, extra: Iterable[Observation] = (),
    *, illustrative: str = "include",
) -> IndicatorStatus:
    """The indicator's status from the values published by ``as_of`` (all when None).

    ``extra`` adds observations from a binding (see :mod:`innesto.plan.binding`). The
    baseline value is used for the base year when no observation covers it. With
    ``illustrative="exclude"`` illustrative values are left out, and an indicator that is
    itself illustrative (its target, say) is not assessed; otherwise a status resting on
    an illustrative figure says so in its explanation.
    """
    excluded = illustrative == "exclude"
    observations = [*ind.observations, *extra]
    if excluded:
        observations = [] if ind.illustrative else [o for o in observations if not o.illustrative]
    values = values_as_of(observations, as_of)
    progress = _progress(ind, yearly(values), use_baseline=not (excluded and ind.illustrative))
    traj = trajectory_check(progress, ind.trajectory.kind, ind.trajectory.tolerance)
    provisional, rests = _caveats(values)
    rests = rests or ind.illustrative
    text = explain(progress, traj)
    if excluded and ind.illustrative:
        text = EXCLUDED
    elif rests:
        text = flag_illustrative(text)
    return IndicatorStatus(ind.id, ind.name, ind.unit, progress, traj, text, values,
                           provisional, rests and not excluded)


def _caveats(values: dict[str, Observation]) -> tuple[bool, bool]:
    """Whether a value used is provisional (confidence C or disputed), and illustrative."""
    used = [o for o in values.values() if o.value is not None]
    return (any(o.confidence in ("C", "disputed") for o in used),
            any(o.illustrative for o in used))


def _progress(ind: Indicator, series: dict[int, float], *, use_baseline: bool) -> Progress:
    """Open SDG's progress of ``series``, the baseline filling its year when no value does."""
    base_year = None
    if ind.baseline is not None and use_baseline:
        base_year = int(ind.baseline.period[:4])
        series.setdefault(base_year, ind.baseline.value)
    if base_year is None:
        base_year = min(series) if series else 0
    return opensdg_progress(series, base_year=base_year,
                            direction=1 if ind.direction == "increase" else -1,
                            target=ind.target.value if ind.target else None,
                            target_year=int(ind.target.period[:4]) if ind.target else None,
                            limit=ind.limit)


#: What a status resting on an illustrative figure says (appended to its explanation).
RESTS_ON_ILLUSTRATIVE = both("CAUTION: rests on illustrative figures, not on sources")
EXCLUDED = both("not assessed: the plan keeps illustrative figures out of public statuses")


def flag_illustrative(text: Text) -> Text:
    """``text`` followed by the illustrative warning, in each language."""
    return both("%(text)s (%(caution)s)", text=text, caution=RESTS_ON_ILLUSTRATIVE)
