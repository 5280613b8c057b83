"""The status board that opens each edition: every axis, objective and project with its
outcome and delivery status, its headline indicator's latest value and trend, filterable by
status, sector and actor.

Nothing is computed here that the plan library does not compute: the outcome is the stored
status (``innesto.plan.evaluate.compute_status``), the delivery is
``innesto.plan.delivery.delivery`` over the node's milestones and budget lines and those of
its descendants (as the library defines it), and the trend compares the indicator's last
two published values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from innesto.plan.delivery import delivery
from innesto.plan.model import BudgetLine, Milestone
from innesto.portal.plans import statuswords
from innesto.portal.plans.models import Edition, Indicator, IndicatorValue, Node


@dataclass
class Trend:
    """The direction of the last change of a series: ``up``, ``down`` or ``flat``."""

    direction: str
    icon: str
    words: str


@dataclass
class Row:
    node: Node
    depth: int
    outcome: statuswords.Word
    delivery: statuswords.Word
    indicator: Indicator | None = None
    latest: IndicatorValue | None = None
    trend: Trend | None = None
    sectors: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)


def trend(values: list[IndicatorValue]) -> Trend | None:
    """From the last two values with a number (``None`` with fewer than two).

    A change of less than 0.5% of the earlier value counts as flat.

    >>> v = lambda p, x: IndicatorValue(period=p, value=x)
    >>> trend([v("2014", 12.9), v("2015", 11.9)]).direction
    'down'
    >>> trend([v("2014", 100.0), v("2015", 100.2)]).direction
    'flat'
    """
    nums = [(v.period, v.value) for v in values if v.value is not None]
    return last_change(nums)


def last_change(series: list[tuple[str, float]]) -> Trend | None:
    """The trend of the last two (period, value) pairs of ``series`` (``None`` with fewer):
    a change of less than 0.5% of the earlier value counts as flat. Shared by the board
    and the sector pages' headline cards."""
    if len(series) < 2:
        return None
    (period, a), (_later, b) = series[-2], series[-1]
    if abs(b - a) <= 0.005 * abs(a):
        return Trend("flat", "→", _("stable since %(period)s") % {"period": period})
    if b > a:
        return Trend("up", "↗", _("rising since %(period)s") % {"period": period})
    return Trend("down", "↘", _("falling since %(period)s") % {"period": period})


def node_delivery(node: Node, below: list[Node], today: date) -> statuswords.Word:
    docs = [node.document, *(n.document for n in below)]
    ms = [Milestone.model_validate(m) for d in docs for m in d.get("milestones", [])]
    lines = [BudgetLine.model_validate(b) for d in docs for b in d.get("budget", [])]
    return statuswords.delivery(delivery(ms, lines, as_of=today).status)


def rows(edition: Edition, today: date | None = None) -> list[Row]:
    """Every node of ``edition`` in plan order, with its statuses and headline value."""
    today = today or date.today()
    nodes = list(Node.objects.filter(edition=edition).order_by("position")
                 .prefetch_related("sectors", "roles__actor"))
    indicators = {i.slug: i for i in Indicator.objects.filter(edition=edition)}
    values = {i.pk: list(i.values_as_of()) for i in indicators.values()}
    by_path = {n.path: n for n in nodes}
    out = []
    for n in nodes:
        below = [m for m in nodes if m.path.startswith(n.path + "/")]
        row = Row(n, n.path.count("/"), statuswords.outcome(n.status),
                  node_delivery(n, below, today))
        row.sectors = _sectors(n, by_path)
        row.actors = {r.actor.slug for r in n.roles.all()}
        _headline(row, indicators, values)
        out.append(row)
    return out


def _sectors(node: Node, by_path: dict[str, Node]) -> set[str]:
    """The sectors of ``node`` and of its ancestors (a sector holds for everything below)."""
    parts = node.path.split("/")
    found: set[str] = set()
    for k in range(1, len(parts) + 1):
        anc = by_path.get("/".join(parts[:k]))
        if anc is not None:
            found |= {s.slug for s in anc.sectors.all()}
    return found


def _headline(row: Row, indicators: dict[str, Indicator],
              values: dict[int, list[IndicatorValue]]) -> None:
    """Set ``row``'s headline: its first linked indicator with a number, its latest value
    and trend."""
    for link in row.node.document.get("indicators", []):
        ind = indicators.get(str(link.get("indicator", "")))
        series = values.get(ind.pk, []) if ind is not None else []
        numbered = [v for v in series if v.value is not None]
        if ind is not None and numbered:
            row.indicator, row.latest, row.trend = ind, numbered[-1], trend(series)
            return


def filtered(all_rows: list[Row], query: dict[str, str]) -> list[Row]:
    """The rows matching ``status``, ``delivery``, ``sector`` and ``actor`` (blank: any)."""
    want = {k: query.get(k, "") for k in ("status", "delivery", "sector", "actor")}
    return [r for r in all_rows
            if (not want["status"] or r.outcome.code == want["status"])
            and (not want["delivery"] or r.delivery.code == want["delivery"])
            and (not want["sector"] or want["sector"] in r.sectors)
            and (not want["actor"] or want["actor"] in r.actors)]


def context(edition: Edition, query: dict[str, Any]) -> dict[str, Any]:
    """The board's template context: rows (filtered), the filter choices and counts."""
    from innesto.portal.plans.models import Actor, Sector

    all_rows = rows(edition)
    chosen = {k: str(query.get(k, ""))[:80] for k in ("status", "delivery", "sector", "actor")}
    shown = filtered(all_rows, chosen)
    sector_slugs = set().union(*(r.sectors for r in all_rows)) if all_rows else set()
    actor_slugs = set().union(*(r.actors for r in all_rows)) if all_rows else set()
    return {
        "board_rows": shown,
        "board_total": len(all_rows),
        "board_filter": chosen,
        "board_filtered": any(chosen.values()),
        "board_choices": {
            "status": [statuswords.outcome(c) for c in statuswords.OUTCOMES],
            "delivery": [statuswords.delivery(c) for c in statuswords.DELIVERIES],
            "sector": list(Sector.objects.filter(slug__in=sector_slugs)),
            "actor": sorted(Actor.objects.filter(slug__in=actor_slugs), key=lambda a: a.name),
        },
        "board_counts": _counts(all_rows),
    }


def _counts(all_rows: list[Row]) -> list[tuple[statuswords.Word, int]]:
    """How many nodes have each outcome (the board's summary line), best first."""
    counts = {c: 0 for c in statuswords.OUTCOMES}
    for r in all_rows:
        counts[r.outcome.code] = counts.get(r.outcome.code, 0) + 1
    return [(statuswords.outcome(c), n) for c, n in counts.items() if n]
