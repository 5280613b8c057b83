"""Bitemporal indicator values: the value *for* a period *as published on* a date.

An indicator keeps every value it was ever given (:class:`~innesto.plan.model.Observation`),
never overwriting one: a revision is a new observation for the same period with a later
``published`` date and a ``revision_note``. A report "as of" a date uses, for each period,
the latest value published on or before that date, so it can be reproduced exactly after
later revisions.

Examples
--------
>>> from datetime import date
>>> from innesto.plan.model import Observation
>>> obs = [Observation(period="2010", value=124000, published=date(2011, 1, 10)),
...        Observation(period="2010", value=120000, published=date(2023, 1, 5))]
>>> as_of(obs, date(2015, 1, 1))["2010"].value
124000.0
>>> as_of(obs, None)["2010"].value
120000.0
>>> [o.value for o in revisions(obs, "2010")]
[124000.0, 120000.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from innesto.plan.model import Observation


def as_of(observations: Iterable[Observation], when: date | None) -> dict[str, Observation]:
    """For each period, the latest observation published on or before ``when`` (all: None)."""
    out: dict[str, Observation] = {}
    for obs in observations:
        if when is not None and obs.published > when:
            continue
        held = out.get(obs.period)
        if held is None or obs.published >= held.published:
            out[obs.period] = obs
    return dict(sorted(out.items()))


def revisions(observations: Iterable[Observation], period: str) -> list[Observation]:
    """Every published value for ``period``, oldest first."""
    return sorted((o for o in observations if o.period == period), key=lambda o: o.published)


def yearly(observations: dict[str, Observation]) -> dict[int, float]:
    """The non-missing values by year (the first four characters of the period)."""
    out: dict[int, float] = {}
    for period, obs in observations.items():
        if obs.value is None:
            continue
        try:
            out[int(period[:4])] = float(obs.value)
        except ValueError:
            continue
    return out


def revise(
    observations: list[Observation], new: Iterable[Observation]
) -> tuple[list[Observation], list[Observation]]:
    """Add the observations of ``new`` whose value differs from the one held for their
    period (or whose period is new); return (all observations, the ones added)."""
    held = as_of(observations, None)
    added = []
    for obs in new:
        old = held.get(obs.period)
        if old is not None and old.value == obs.value:
            continue
        if old is not None and obs.published <= old.published:
            continue
        added.append(obs)
    return [*observations, *added], added
