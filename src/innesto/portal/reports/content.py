"""What a monitoring report contains, for one edition as of one date.

Values are those the portal knew at the report date (``Indicator.values_as_of``), with the
planned path and tolerance band from ``innesto.plan.status``; statuses and their
explanations are those ``innesto.plan`` computes from the values known on the report
date (the latest stored ones when no date is given). Each indicator carries its source
line (source, dataset, unit, licence, dates, flags).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from innesto.plan.evaluate import PlanStatus
from innesto.plan.provenance import Provenance
from innesto.portal.plans.asof import node_explanation, plan_status
from innesto.portal.plans.models import Edition, Indicator, Node
from innesto.portal.plans.presenters import (
    indicator_chart,
    indicator_rows,
    lang,
    status_label,
)
from innesto.portal.plans.provenance import of_stored_indicator, of_stored_value


@dataclass
class IndicatorSection:
    indicator: Indicator
    status: str
    rows: list[dict[str, Any]]
    chart_svg_uri: str
    chart_text: str
    explanation: str = ""
    provenance: Provenance | None = None


@dataclass
class NodeSection:
    node: Node
    depth: int
    status: str
    indicators: list[IndicatorSection] = field(default_factory=list)
    explanation: str = ""


def _pick(it: str, en: str) -> str:
    return en if lang() == "en" else it


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


def _section(ind: Indicator, when: dt.datetime, st: PlanStatus | None) -> IndicatorSection:
    rows = indicator_rows(ind, when)
    uri, text = _chart(ind, rows)
    status, expl = ind.status, ind.status_explanation
    if st is not None and ind.slug in st.indicators:
        i = st.indicators[ind.slug]
        status, expl = i.status, i.explanation.get(lang())
    # The table's rows also carry each value's own provenance (notes, disputed grades).
    provs = {v.period: of_stored_value(v) for v in ind.values_as_of(when)}
    table = [{**r, "prov": provs.get(r["period"])} for r in rows]
    return IndicatorSection(ind, status_label(status) if status else "", table, uri, text,
                            expl, of_stored_indicator(ind))


def report_context(edition: Edition, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the report template shows, in the active language."""
    when = as_of or timezone.now()
    # As of a date, statuses are the library's from the values known that day; the
    # stored ones are the latest.
    st = plan_status(edition.year, timezone.localdate(when)) if as_of is not None else None
    nodes = list(Node.objects.filter(edition=edition).order_by("path", "position"))
    by_node: dict[int, list[Indicator]] = {}
    for ind in Indicator.objects.filter(edition=edition).order_by("slug"):
        by_node.setdefault(ind.node_id or 0, []).append(ind)  # type: ignore[attr-defined]
    sections = []
    for node in sorted(nodes, key=lambda n: _order_key(n, nodes)):
        status, expl = node.status, node.status_explanation
        if st is not None and node.key in st.nodes:
            status, expl = st.nodes[node.key].outcome, _pick(*node_explanation(st.nodes[node.key]))
        section = NodeSection(node, node.path.count("/"),
                              status_label(status) if status else "", explanation=expl)
        section.indicators = [_section(i, when, st) for i in by_node.get(node.pk, [])]
        sections.append(section)
    loose = [_section(i, when, st) for i in by_node.get(0, [])]
    return {"edition": edition, "as_of": when, "sections": sections, "loose": loose,
            "title": _("Monitoring report: %(plan)s") % {"plan": edition.title}}


def _order_key(node: Node, nodes: list[Node]) -> tuple[int, ...]:
    """Depth-first plan order: the positions along the node's path."""
    by_key = {n.key: n for n in nodes}
    keys = node.path.split("/")
    return tuple(by_key[k].position if k in by_key else 0 for k in keys)
