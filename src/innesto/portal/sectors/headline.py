"""The headline cards that open a sector page: is the sector growing here?

Two cards, from the same rows as the dashboard's charts (``evidence.employment_rows`` and
``evidence.lq_rows``, so nothing is computed twice): the sector's quantity (e.g. persons
employed) in the focus region and its location quotient against the benchmark. Each card
gives the latest value and its year, the change since the plan's start (the first edition
that names the sector; the first year with data when the series starts later), the same
change for the benchmark, the trend of the last two years and the source.

The change is ``latest / start - 1`` for the quantity and ``latest - start`` (points) for
the location quotient, an index whose level matters more than its ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from innesto.plan.i18n import fmt_number, fmt_pct
from innesto.portal.plans.models import Sector
from innesto.portal.plans.presenters import lang
from innesto.portal.sectors import evidence


@dataclass(frozen=True)
class Card:
    slug: str
    title: str
    value: str
    year: str
    since: str  # the start year the changes are measured from
    change: str
    benchmark_change: str
    benchmark: str
    trend_icon: str
    trend: str
    source: str


def plan_start(sector: Sector) -> str:
    """The year of the first edition that names ``sector`` (``""`` if none)."""
    years = sorted(e.year for e in sector.editions)
    return str(years[0]) if years else ""


def _series(rows: list[dict[str, Any]], region: str, key: str) -> list[tuple[str, float]]:
    return [(r["time"], float(r[key])) for r in rows
            if r["region"] == region and r[key] is not None]


def _start(series: list[tuple[str, float]], year: str) -> tuple[str, float] | None:
    """The value in ``year``, or the first after it (the series may start later)."""
    after = [p for p in series if p[0] >= year] if year else series
    return after[0] if after else None


def _trend(series: list[tuple[str, float]]) -> tuple[str, str]:
    from innesto.portal.plans.board import last_change

    t = last_change(series)
    return (t.icon, t.words) if t is not None else ("", _("not enough years for a trend"))


def _card(slug: str, title: str, mine: list[tuple[str, float]],
          bench: list[tuple[str, float]], start_year: str, *, ratio: bool,
          digits: int | None, source: str, benchmark: str) -> Card | None:
    if not mine:
        return None
    lg = lang()
    year, latest = mine[-1]
    start = _start(mine, start_year)
    b_start = _start(bench, start[0]) if start else None
    b_end = bench[-1] if bench else None

    def change(first: float, last: float) -> str:
        if ratio:
            return fmt_pct(last / first - 1.0, lg, signed=True) if first else "–"
        diff = last - first
        return ("+" if diff >= 0 else "") + fmt_number(diff, lg, digits=2)

    icon, words = _trend(mine)
    return Card(
        slug=slug, title=title, value=fmt_number(latest, lg, digits=digits), year=year,
        since=start[0] if start else "",
        change=change(start[1], latest) if start and start[0] != year else "–",
        benchmark_change=(change(b_start[1], b_end[1])
                          if ratio and b_start and b_end and b_start[0] != b_end[0] else ""),
        benchmark=benchmark, trend_icon=icon, trend=words, source=source)


def cards(sector: Sector) -> list[Card]:
    """The sector's headline cards (none when the evidence has no rows for it)."""
    from innesto.portal.sectors.dashboards import _names, _source

    words = _names()
    start = plan_start(sector)
    focus, bench = evidence.focus(), evidence.benchmark()
    emp = evidence.employment_rows(sector.industries)
    lq = evidence.lq_rows(sector.industries)
    out = [
        _card("quantity", _("%(quantity)s in %(sector)s, %(place)s") % {
            **words, "sector": sector.title},
            _series(emp, focus, "employment"), _series(emp, bench, "employment"), start,
            ratio=True, digits=0, source=_source(), benchmark=words["benchmark"]),
        _card("lq", _("Specialisation of %(place)s against %(benchmark)s") % words,
              _series(lq, focus, "lq"), [], start, ratio=False, digits=2, source=_source(),
              benchmark=words["benchmark"]),
    ]
    return [c for c in out if c is not None]


def latest_year(sector: Sector) -> str:
    """The latest year with a value for the focus region (the page's data period)."""
    rows = evidence.employment_rows(sector.industries)
    years = [r["time"] for r in rows if r["region"] == evidence.focus()
             and r["employment"] is not None]
    return max(years, default="")
