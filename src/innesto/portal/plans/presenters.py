"""What plan pages show, assembled from the stored plan (no computation of our own:
statuses, explanations and the trajectory path come from ``innesto.plan.status``)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from innesto.plan.i18n import fmt_number
from innesto.plan.status import expected_value
from innesto.portal.plans import statuswords
from innesto.portal.plans.models import Edition, Indicator, IndicatorValue, Node, Sector
from innesto.portal.plans.provenance import of_stored_indicator, of_stored_value
from innesto.portal.site import freshness
from innesto.portal.site.charts import Chart, Column

TAB_LABELS = {"objective": gettext_lazy("Objectives"),
              "project": gettext_lazy("Opportunities and projects")}


def lang() -> str:
    return "en" if (get_language() or "it").startswith("en") else "it"


def status_label(status: str) -> str:
    """The outcome status in plain words (``statuswords``), in the active language."""
    return statuswords.outcome(status).words


def role_label(role: str) -> str:
    return {
        "lead": _("lead"), "partner": _("partner"), "funder": _("funder"),
        "data_provider": _("data provider"), "member": _("member"),
    }.get(role, role)


def edition_sectors(ed: Edition) -> list[Sector]:
    return list(Sector.objects.filter(nodes__edition=ed).distinct())


def node_context(node: Node, tab: str) -> dict[str, Any]:
    from innesto.portal.site.context import featured

    children, tabs, current = _tabs(node, tab)
    __, feat = featured()
    return {
        "node": node,
        "edition": node.edition,
        "ancestors": node.ancestors(),
        "tabs": tabs,
        "tab": current,
        "tab_children": [{"node": c, "label": status_label(c.status) if c.status else ""}
                         for c in children if c.kind == current],
        "status_label": status_label(node.status),
        "status_word": statuswords.outcome(node.status),
        "delivery_word": _node_delivery(node),
        "milestones": timeline(node),
        "roles": node.roles.select_related("actor"),
        "role_label": role_label,
        "budget_lines": _budget_lines(node),
        "budget_pct": (round(100 * node.budget_spent / node.budget_planned)
                       if node.budget_planned and node.budget_spent is not None else None),
        "indicators": node.indicators.all(),
        "fresh": (freshness.of_values(IndicatorValue.objects.filter(indicator__node=node))
                  if node.indicators.exists() else None),
        "sectors": node.sectors.all(),
        "media": node.media.all(),
        "lineage": _lineage(node),
        "successors": _successors(node),
        "is_featured": feat is not None and feat.pk == node.pk,
    }


def _tabs(node: Node, tab: str) -> tuple[list[Node], list[dict[str, str]], str]:
    """The nodes below ``node``, its tabs and the current one.

    The seed's axis page has two tabs, its objectives and its projects (which sit under the
    objectives): one tab per level found below the node, in plan order."""
    children = list(Node.objects.filter(edition=node.edition, path__startswith=node.path + "/")
                    .order_by("position"))
    levels: list[str] = []
    for c in children:
        if c.kind not in levels and c.kind != node.kind:
            levels.append(c.kind)
    tabs = [{"id": lv, "label": str(TAB_LABELS[lv]) if lv in TAB_LABELS
             else next(c.level for c in children if c.kind == lv)} for lv in levels]
    current = tab if tab in levels else (levels[0] if levels else "")
    return children, tabs, current


def _lineage(node: Node) -> list[dict[str, Any]]:
    """The nodes of earlier editions ``node`` continues, replaces or merges."""
    out = []
    for link in node.document.get("lineage", []):
        other = Node.objects.filter(edition__year=link.get("edition"), key=link.get("node")).first()
        out.append({"relation": link.get("relation"), "node": other,
                    "edition": link.get("edition"), "key": link.get("node")})
    return out


def _successors(node: Node) -> list[Node]:
    """The nodes of other editions whose lineage names ``node``.

    Only the ``lineage`` lists are read from the database to find them (a node's whole
    document, decoded for every node of every other edition, was 40% of a cold node
    page), then the nodes found are fetched in the usual order."""
    year, key = node.edition.year, node.key
    links = (Node.objects.filter(document__lineage__isnull=False).exclude(edition=node.edition)
             .values_list("pk", "document__lineage"))
    found = [pk for pk, lineage in links
             if any(li.get("edition") == year and li.get("node") == key for li in lineage or [])]
    return list(Node.objects.filter(pk__in=found).select_related("edition")) if found else []


def _budget_lines(node: Node) -> list[dict[str, Any]]:
    """The node's budget lines, each labelled in the page's language (else Italian, else
    its funder)."""
    out = []
    for b in node.document.get("budget", []):
        label = b.get("label") or {}
        out.append({**b, "label": label.get(lang()) or label.get("it") or b.get("funder")
                    or "–"})
    return out


def timeline(node: Node) -> list[Any]:
    """The node's milestones in date order: the date shown (done, else due), undated
    last."""
    return sorted(node.milestones.all(), key=lambda m: (m.done or m.due or date.max, m.key))


def _node_delivery(node: Node) -> statuswords.Word:
    from datetime import date

    from innesto.portal.plans.board import node_delivery

    below = list(Node.objects.filter(edition=node.edition, path__startswith=node.path + "/"))
    return node_delivery(node, below, date.today())


def indicator_rows(ind: Indicator, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Observed values known at ``as_of`` (default: now) with the planned path and its
    tolerance band: the rows of the site's indicator pages and of the PDF report."""
    doc = ind.document.get("trajectory", {}) or {}
    kind, tol = doc.get("kind", "linear"), float(doc.get("tolerance", 0.05))
    values = {v.period: v for v in ind.values_as_of(as_of)}
    periods = sorted(set(values) | ({ind.baseline_period} - {""}) | ({ind.target_period} - {""}))
    rows = []
    has_path = (ind.baseline_value is not None and ind.target_value is not None
                and ind.baseline_period[:4].isdigit() and ind.target_period[:4].isdigit()
                and int(ind.target_period[:4]) > int(ind.baseline_period[:4]))
    for p in periods:
        v = values.get(p)
        row: dict[str, Any] = {"period": p, "value": v.value if v else None,
                               "expected": None, "lower": None, "upper": None,
                               "provisional": bool(v and v.provisional)}
        if has_path and p[:4].isdigit():
            assert ind.baseline_value is not None and ind.target_value is not None
            exp = expected_value(kind, ind.baseline_value, int(ind.baseline_period[:4]),
                                 ind.target_value, int(ind.target_period[:4]), int(p[:4]))
            row.update(expected=exp, lower=exp - tol * abs(exp), upper=exp + tol * abs(exp))
        rows.append(row)
    return rows


def indicator_chart(ind: Indicator, as_of: datetime | None = None) -> Chart:
    from innesto.portal.site.vega import indicator_spec

    rows = indicator_rows(ind, as_of)
    unit = ind.unit
    observed = [r for r in rows if r["value"] is not None]
    desc = _("%(name)s (%(unit)s): %(n)d observed values") % {
        "name": ind.title, "unit": unit, "n": len(observed)}
    if observed:
        desc += "; " + _("latest %(value)s in %(period)s") % {
            "value": fmt_number(observed[-1]["value"], lang()), "period": observed[-1]["period"]}
    if ind.baseline_value is not None:
        desc += "; " + _("baseline %(value)s in %(period)s") % {
            "value": fmt_number(ind.baseline_value, lang()), "period": ind.baseline_period}
    if ind.target_value is not None:
        desc += "; " + _("target %(value)s by %(period)s") % {
            "value": fmt_number(ind.target_value, lang()), "period": ind.target_period}
    columns = [Column("period", _("Period")), Column("value", _("Value"), 2),
               Column("expected", _("Planned path"), 2), Column("lower", _("Band, low"), 2),
               Column("upper", _("Band, high"), 2)]
    spec = indicator_spec(rows, ind.baseline_value, ind.baseline_period, ind.target_value,
                          ind.target_period, title=ind.title, unit=unit,
                          labels={**{c.name: c.label for c in columns},
                                  "baseline": _("Baseline"), "target": _("Target")})
    return Chart("trend", ind.title, desc + ".", columns, rows, spec, source=ind.source,
                 provenance=of_stored_indicator(ind))


def parse_as_of(raw: str) -> tuple[date | None, datetime | None]:
    """``?as_of=YYYY-MM-DD`` as a date and the end of that day (None when absent or bad)."""
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None, None
    if day is None:
        return None, None
    return day, timezone.make_aware(datetime.combine(day, time.max),
                                    timezone.get_default_timezone())


def indicator_context(ind: Indicator, as_of_raw: str = "") -> dict[str, Any]:
    day, when = parse_as_of(as_of_raw)
    if when is not None:
        ctx = _indicator_context(ind, indicator_chart(ind, when))
        ctx["chart"].links = {k: f"{v}?as_of={day}" for k, v in ctx["chart"].links.items()}
        return {**ctx, "as_of": day}
    return _indicator_context(ind, indicator_chart(ind))


def _indicator_context(ind: Indicator, chart: Chart) -> dict[str, Any]:
    chart = chart.link("plans:indicator-chart", "plans:indicator-chart-embed",
                                      ind.edition.slug, ind.slug)
    history = ind.values.order_by("period", "recorded_at")
    revised = history.filter(superseded_at__isnull=False).exists()
    rows = list(history)
    for v in rows:
        v.prov = of_stored_value(v)  # type: ignore[attr-defined]
    return {
        "indicator": ind,
        "edition": ind.edition,
        "chart": chart,
        "status_label": status_label(ind.status),
        "status_word": statuswords.outcome(ind.status),
        "fresh": freshness.of_values(ind.values.all()),
        "history": rows,
        "revised": revised,
        "nav": "edition",
    }
