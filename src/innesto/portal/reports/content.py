"""What a monitoring report contains, for one edition as of one date.

Values are those the portal knew at the report date (``Indicator.values_as_of``), with the
planned path and tolerance band from ``innesto.plan.status``; statuses and their
explanations are the ones ``innesto.plan`` computed when the plan was last loaded.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from innesto.portal.plans.models import Edition, Indicator, Node
from innesto.portal.plans.presenters import indicator_chart, indicator_rows, status_label


@dataclass
class IndicatorSection:
    indicator: Indicator
    status: str
    rows: list[dict[str, Any]]
    chart_svg_uri: str
    chart_text: str


@dataclass
class NodeSection:
    node: Node
    depth: int
    status: str
    indicators: list[IndicatorSection] = field(default_factory=list)


def _chart(ind: Indicator, rows: list[dict[str, Any]]) -> tuple[str, str]:
    """The site's chart for this indicator, drawn from the as-of rows, as a data: URI."""
    from innesto.portal.site.vega import indicator_spec

    chart = indicator_chart(ind)
    labels = {c.name: c.label for c in chart.columns}
    chart.rows = rows
    chart.spec = indicator_spec(rows, ind.baseline_value, ind.baseline_period,
                                ind.target_value, ind.target_period, title=ind.title,
                                unit=ind.unit, labels=labels)
    svg = chart.svg().encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"), \
        chart.description


def _section(ind: Indicator, when: dt.datetime) -> IndicatorSection:
    rows = indicator_rows(ind, when)
    uri, text = _chart(ind, rows)
    return IndicatorSection(ind, status_label(ind.status) if ind.status else "", rows, uri,
                            text)


def report_context(edition: Edition, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the report template shows, in the active language."""
    when = as_of or timezone.now()
    nodes = list(Node.objects.filter(edition=edition).order_by("path", "position"))
    by_node: dict[int, list[Indicator]] = {}
    for ind in Indicator.objects.filter(edition=edition).order_by("slug"):
        by_node.setdefault(ind.node_id or 0, []).append(ind)  # type: ignore[attr-defined]
    sections = []
    for node in sorted(nodes, key=lambda n: _order_key(n, nodes)):
        section = NodeSection(node, node.path.count("/"),
                              status_label(node.status) if node.status else "")
        section.indicators = [_section(i, when) for i in by_node.get(node.pk, [])]
        sections.append(section)
    loose = [_section(i, when) for i in by_node.get(0, [])]
    return {"edition": edition, "as_of": when, "sections": sections, "loose": loose,
            "title": _("Monitoring report: %(plan)s") % {"plan": edition.title}}


def _order_key(node: Node, nodes: list[Node]) -> tuple[int, ...]:
    """Depth-first plan order: the positions along the node's path."""
    by_key = {n.key: n for n in nodes}
    keys = node.path.split("/")
    return tuple(by_key[k].position if k in by_key else 0 for k in keys)
