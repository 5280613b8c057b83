"""Data out: the plan as JSON (valid against ``innesto.plan``'s JSON Schema), tables as
CSV, Frictionless Data Packages for an edition and for an indicator, chart files."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from innesto.plan.provenance import COLUMNS
from innesto.portal.plans.models import (
    Edition,
    Indicator,
    IndicatorValue,
    Node,
    PlanSetDocument,
)
from innesto.portal.plans.presenters import indicator_chart as build_chart
from innesto.portal.plans.presenters import lang
from innesto.portal.plans.provenance import of_stored_value
from innesto.portal.site.cache import cached
from innesto.portal.site.charts import Chart, chart_fields, chart_sources, download
from innesto.portal.site.middleware import allow_embedding

TABLES: dict[str, list[tuple[str, str]]] = {
    "nodes": [("id", "string"), ("path", "string"), ("parent", "string"), ("level", "string"),
              ("title_it", "string"), ("title_en", "string"), ("status", "string"),
              ("budget_planned", "number"), ("budget_spent", "number")],
    "indicators": [("id", "string"), ("node", "string"), ("name_it", "string"),
                   ("name_en", "string"), ("unit_en", "string"), ("direction", "string"),
                   ("baseline_period", "string"), ("baseline_value", "number"),
                   ("target_period", "string"), ("target_value", "number"),
                   ("status", "string")],
    "values": [("indicator", "string"), ("period", "string"), ("value", "number"),
               ("published", "date"), ("superseded", "date"), ("provisional", "boolean"),
               *((c, {"retrieved": "date", "proxy": "boolean", "illustrative": "boolean"}
                  .get(c, "string")) for c in COLUMNS if c != "released")],
}


def _rows(edition: Edition, table: str) -> list[list[Any]]:
    if table == "nodes":
        return [[n.key, n.path, n.parent.key if n.parent else "", n.kind, n.title_it,
                 n.title_en, n.status, n.budget_planned, n.budget_spent]
                for n in Node.objects.filter(edition=edition).select_related("parent")]
    if table == "indicators":
        return [[i.slug, i.node.key if i.node else "", i.title_it, i.title_en, i.unit_en,
                 i.direction, i.baseline_period, i.baseline_value, i.target_period,
                 i.target_value, i.status]
                for i in Indicator.objects.filter(edition=edition).select_related("node")]
    rows = []
    for v in IndicatorValue.objects.filter(indicator__edition=edition).select_related(
            "indicator").order_by("indicator__slug", "period", "recorded_at"):
        prov = of_stored_value(v).row(lang())
        rows.append([v.indicator.slug, v.period, v.value, v.published_on.isoformat(),
                     timezone.localdate(v.superseded_at).isoformat() if v.superseded_at else "",
                     "true" if v.provisional else "false",
                     *(prov[c] for c in COLUMNS if c != "released")])
    return rows


def _csv(header: list[str], rows: list[list[Any]], filename: str) -> HttpResponse:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([["" if c is None else c for c in r] for r in rows])
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp["Access-Control-Allow-Origin"] = "*"
    return resp


@cached
def plan_table_csv(request: HttpRequest, edition: str, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404("no such table")
    ed = get_object_or_404(Edition, slug=edition)
    return _csv([c for c, _ in TABLES[table]], _rows(ed, table), f"plan-{ed.slug}-{table}.csv")


@cached
def planset_json(request: HttpRequest) -> HttpResponse:
    """Every plan set loaded (normally one) as JSON valid against ``plan_json_schema()``."""
    doc = PlanSetDocument.objects.order_by("-loaded_at").first()
    if doc is None:
        raise Http404("no plan loaded")
    resp = JsonResponse(doc.document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    resp["Access-Control-Allow-Origin"] = "*"
    return resp


@cached
def plan_json(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    resp = JsonResponse(ed.document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    resp["Access-Control-Allow-Origin"] = "*"
    return resp


def _package(name: str, title: str, resources: list[dict[str, Any]]) -> JsonResponse:
    resp = JsonResponse({
        "profile": "data-package",
        "name": name,
        "title": title,
        # No package-wide licence: every value keeps its source's own licence or rights
        # statement (the ``licence`` column, the resources' ``sources``); press figures
        # are quoted, never relicensed.
        "description": "Each value carries its source, unit and licence or rights statement.",
        "resources": resources,
    }, json_dumps_params={"ensure_ascii": False, "indent": 1})
    resp["Access-Control-Allow-Origin"] = "*"
    return resp


@cached
def plan_datapackage(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    resources = [{
        "name": f"plan-{ed.slug}-{t}",
        "path": request.build_absolute_uri(reverse("plans:plan-table-csv", args=[ed.slug, t])),
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": [{"name": c, "type": ty} for c, ty in cols]},
    } for t, cols in TABLES.items()]
    resources.append({
        "name": f"plan-{ed.slug}-document", "format": "json", "mediatype": "application/json",
        "path": request.build_absolute_uri(reverse("plans:plan-json", args=[ed.slug])),
    })
    return _package(f"innesto-plan-{ed.slug}", ed.title, resources)


def _indicator(edition: str, slug: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("edition"),
                             edition__slug=edition, slug=slug)


@cached
def indicator_datapackage(request: HttpRequest, edition: str, slug: str) -> HttpResponse:
    ind = _indicator(edition, slug)
    chart = build_chart(ind)
    url = reverse("plans:indicator-chart", args=[edition, slug, chart.slug, "csv"])
    return _package(f"innesto-indicator-{edition}-{slug}", ind.title, [{
        "name": f"{slug}-values", "path": request.build_absolute_uri(url),
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "description": chart.description,
        "sources": chart_sources(chart),
        "schema": {"fields": chart_fields(chart)},
    }])


@cached
def indicator_chart(request: HttpRequest, edition: str, slug: str, chart: str,
                    fmt: str) -> HttpResponse:
    ind = _indicator(edition, slug)
    c = indicator_chart_of(ind, chart, request.GET.get("as_of", ""))
    resp = download(c, fmt, f"{edition}-{slug}-{chart}")
    return allow_embedding(resp) if fmt == "svg" else resp


def indicator_chart_of(ind: Indicator, chart: str, as_of: str = "") -> Chart:
    from innesto.portal.plans.presenters import parse_as_of

    c = build_chart(ind, parse_as_of(as_of)[1])
    if c.slug != chart:
        raise Http404("no such chart")
    return c


@cached
def indicator_chart_embed(request: HttpRequest, edition: str, slug: str,
                          chart: str) -> HttpResponse:
    ind = _indicator(edition, slug)
    c = indicator_chart_of(ind, chart, request.GET.get("as_of", "")).link("plans:indicator-chart",
                                            "plans:indicator-chart-embed", edition, slug)
    page = reverse("plans:indicator", args=[edition, slug])
    resp = render(request, "site/chart_embed.html", {"chart": c, "page_url": page})
    return allow_embedding(resp)
