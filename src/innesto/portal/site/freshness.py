"""How fresh a page's data are: the latest period they cover, when they were last
refreshed, and whether they are older than ``settings.INNESTO_DATA_MAX_AGE_YEARS``.

*Refreshed* is the publication date of the newest value the portal holds (what
``innesto plan refresh`` records as an observation's ``published`` date, stored as
``IndicatorValue.recorded_at``), or the time the plan was loaded when no value carries one.
A period's year is its first four digits (``2017``, ``2017-Q3``, ``2017-09``).

>>> f = Freshness(period="2017", refreshed=None, today_year=2026, max_age=3)
>>> f.age, f.stale
(9, True)
>>> Freshness(period="2024", refreshed=None, today_year=2026, max_age=3).stale
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max, QuerySet

DEFAULT_MAX_AGE = 3


def max_age() -> int:
    """Years after which data are flagged as old (``INNESTO_DATA_MAX_AGE_YEARS``)."""
    return int(getattr(settings, "INNESTO_DATA_MAX_AGE_YEARS", DEFAULT_MAX_AGE))


@dataclass(frozen=True)
class Freshness:
    period: str
    refreshed: datetime | date | None
    today_year: int
    max_age: int

    @property
    def age(self) -> int | None:
        """Whole years between the latest period and this year (None: no year in it)."""
        year = self.period[:4]
        return self.today_year - int(year) if year.isdigit() else None

    @property
    def stale(self) -> bool:
        return self.age is not None and self.age > self.max_age


def latest_period(periods: Iterable[str]) -> str:
    """The latest of ``periods`` (ISO-like strings sort in time order); ``""`` if none."""
    return max((p for p in periods if p), default="")


def freshness(period: str, refreshed: datetime | date | None,
              today: date | None = None) -> Freshness | None:
    """A :class:`Freshness`, or ``None`` when there is no data period at all."""
    if not period:
        return None
    return Freshness(period, refreshed, (today or date.today()).year, max_age())


def of_values(values: QuerySet, today: date | None = None) -> Freshness | None:
    """The freshness of a set of ``IndicatorValue`` rows (current values only)."""
    current = values.filter(superseded_at__isnull=True, value__isnull=False)
    agg = current.aggregate(period=Max("period"), refreshed=Max("recorded_at"))
    return freshness(agg["period"] or "", agg["refreshed"], today)


def of_evidence(period: str, today: date | None = None) -> Freshness | None:
    """The freshness of the evidence panel's pages: its latest period, refreshed when the
    plan's bound indicators were last refreshed from it (else when the plan was loaded)."""
    from innesto.portal.plans.models import IndicatorValue, PlanSetDocument

    bound = IndicatorValue.objects.filter(indicator__document__has_key="binding",
                                          superseded_at__isnull=True)
    refreshed = bound.aggregate(r=Max("recorded_at"))["r"]
    if refreshed is None:
        refreshed = PlanSetDocument.objects.aggregate(r=Max("loaded_at"))["r"]
    return freshness(period, refreshed, today)
