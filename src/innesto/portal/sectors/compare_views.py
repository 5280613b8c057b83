"""The compare page: a regional indicator ranked across regions (the plan's focus region
highlighted) and a line chart of the regions the reader picks, with their data tables.

Everything is in the query string, so the page's address is its permalink and a plain
HTML form (no JavaScript) picks the regions:
``?indicator=<edition>/<slug>`` (a plan indicator with a binding) or
``?sector=<slug>&measure=lq`` (a sector's measure in the focus region), plus
``regions=<code>`` once per region, and ``division=<NACE>`` for the European ranking.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError

from innesto.plan.model import Binding
from innesto.plan.model import Sector as PlanSector
from innesto.portal.plans.models import Indicator, PlanSetDocument, Sector
from innesto.portal.plans.presenters import lang
from innesto.portal.sectors import compare, opportunities, places
from innesto.portal.sectors.compare import Query
from innesto.portal.sectors.opportunity_chart import industry_name
from innesto.portal.site import freshness
from innesto.portal.site.cache import cached
from innesto.portal.site.charts import Chart, Column, download
from innesto.portal.site.middleware import allow_embedding
from innesto.portal.site.vega import lines_spec
from innesto.portal.site.vega_ranked import ranked_spec

MAX_REGIONS = 8


def _measure_label(measure: str) -> str:
    return {"employment": _("Persons employed"), "share": _("Share of employment, per cent"),
            "lq": _("Location quotient"), "shift_share": _("Shift-share")}[measure]


def _plan_sectors() -> tuple[PlanSector, ...]:
    doc = PlanSetDocument.objects.order_by("-loaded_at").values_list("document", flat=True).first()
    out = []
    for raw in (doc or {}).get("sectors", []):
        try:
            out.append(PlanSector.model_validate(raw))
        except ValidationError:
            continue
    if not out:  # sectors stored without a plan-set document: rebuild them from the rows
        out = [PlanSector.model_validate({
            "id": s.slug, "name": {"it": s.title_it, "en": s.title_en or s.title_it},
            "nace": list(s.nace), "data_codes": list(s.industries)})
            for s in Sector.objects.all()]
    return tuple(out)


def _query(params: Any) -> tuple[Query, str, str]:
    """(query, title, unit) from the request's parameters; 404 when they name nothing."""
    sectors = _plan_sectors()
    ref = params.get("indicator", "")
    if ref:
        edition, _sep, slug = ref.partition("/")
        ind = Indicator.objects.filter(edition__slug=edition, slug=slug).first()
        raw = (ind.document or {}).get("binding") if ind else None
        if ind is None or not raw:
            raise Http404("no regional indicator by that name")
        return Query(Binding.model_validate(raw), sectors), ind.title, ind.unit
    slug, measure = params.get("sector", ""), params.get("measure", "lq")
    sector = Sector.objects.filter(slug=slug).first()
    focus = places.focus_region()
    if sector is None or measure not in compare.MEASURES or not focus:
        raise Http404("name an indicator, or a sector and a measure")
    site = places.site_regions()
    binding = Binding(measure=measure, region=focus, sector=slug,
                      reference_region=places.benchmark(focus),
                      total_industry=site.total if site else "TOTAL", component="competitive",
                      dataset=site.dataset if site else "employment_italy")
    title = f"{_measure_label(measure)}: {sector.title}"
    return Query(binding, sectors), title, _measure_label(measure)


def _links(slug: str, query: str) -> dict[str, str]:
    links = {(fmt.split(".")[0] if fmt != "vl.json" else "vl"):
             reverse("sectors:compare-chart", args=[slug, fmt]) + "?" + query
             for fmt in ("csv", "json", "svg", "png", "vl.json")}
    links["embed"] = reverse("sectors:compare-embed", args=[slug]) + "?" + query
    return links


def _ranking_chart(q: Query, title: str, unit: str) -> Chart | None:
    when, rows = compare.ranking(q)
    if not rows:
        return None
    focus = next((r for r in rows if r["focus"]), None)
    heading = _("%(indicator)s: every region ranked, %(year)s") % {"indicator": title,
                                                                  "year": when}
    desc = _("%(n)d regions at the same level as %(focus)s, highest first.") % {
        "n": len(rows), "focus": places.name(q.binding.region)}
    if focus:
        desc += " " + _("%(name)s ranks %(rank)d of %(n)d.") % {
            "name": focus["name"], "rank": focus["rank"], "n": len(rows)}
    spec = ranked_spec([{**r, "label": f"{r['rank']}. {r['name']}"} for r in rows],
                       value="value", label="label", highlight="focus", title=heading,
                       value_title=unit, label_title=_("Region"))
    columns = [Column("rank", _("Rank")), Column("name", _("Region")),
               Column("region", _("Region code")), Column("value", unit, 2)]
    return Chart("ranking", heading, desc, columns, rows, spec)


def _lines_chart(q: Query, regions: list[str], title: str, unit: str) -> Chart | None:
    rows = compare.lines(q, regions)
    if not rows:
        return None
    heading = _("%(indicator)s: the regions you picked") % {"indicator": title}
    desc = _("One line per region: %(list)s.") % {
        "list": ", ".join(map(places.namer(), regions))}
    spec = lines_spec(rows, x="time", y="value", series="name", title=heading,
                      x_title=_("Year"), y_title=unit, series_title=_("Region"))
    columns = [Column("time", _("Year")), Column("name", _("Region")),
               Column("region", _("Region code")), Column("value", unit, 2)]
    return Chart("lines", heading, desc, columns, rows, spec)


def _european_chart(division: str, focus: str) -> Chart | None:
    year, rows = compare.european_ranking(division, focus)
    if not rows:
        return None
    name = f"{industry_name(division, lang())} ({division})"
    heading = _("Specialisation in %(industry)s, European NUTS 2 regions, %(year)s") % {
        "industry": name, "year": year}
    me = next((r for r in rows if r["focus"]), None)
    desc = _("Revealed comparative advantage (RCA: the region's share of employment in the "
             "industry over the share across all regions; 1 = as specialised as Europe) of "
             "%(n)d regions, highest first.") % {"n": len(rows)}
    if me:
        desc += " " + _("%(name)s ranks %(rank)d of %(n)d.") % {
            "name": me["name"], "rank": me["rank"], "n": len(rows)}
    spec = ranked_spec([{**r, "label": f"{r['rank']}. {r['name']}"} for r in rows],
                       value="value", label="label", highlight="focus", title=heading,
                       value_title="RCA", label_title=_("Region"), rule=1.0)
    columns = [Column("rank", _("Rank")), Column("name", _("Region")),
               Column("region", _("Region code")), Column("value", "RCA", 2)]
    return Chart("europe", heading, desc, columns, rows, spec,
                 source=opportunities.SBS_SOURCE)


def _picked(request: HttpRequest, q: Query, known: dict[str, str]) -> list[str]:
    """The regions the reader picked (known ones, at most :data:`MAX_REGIONS`), else the
    focus region's default companions."""
    picked = [r for r in request.GET.getlist("regions") if r in known][:MAX_REGIONS]
    return picked or [r for r in places.defaults(q.binding.region) if r in known]


def _european(request: HttpRequest, q: Query) -> tuple[list[tuple[str, str]], Chart | None]:
    """The NACE divisions of the query's sector that the European table holds, and the
    ranking of the one asked for (the first by default); none without that table."""
    sector = next((s for s in q.sectors if s.id == q.binding.sector), None)
    if sector is None or opportunities.table().level != "nuts2-divisions":
        return [], None
    codes = opportunities.anchors(list(sector.nace), list(opportunities.table().panel.industries))
    divisions = [(c, f"{industry_name(c, lang())} ({c})") for c in codes]
    division = request.GET.get("division") or (codes[0] if codes else "")
    chart = _european_chart(division, q.binding.region) if division in codes else None
    return divisions, chart


def _fresh(q: Query, regions: list[str]) -> freshness.Freshness | None:
    """The freshness of the regional data drawn (the ranking's period and the picked
    regions' latest), refreshed as the evidence panel is; the European ranking's year is
    in its own title."""
    when, _rows = compare.ranking(q)
    periods = [when, *(str(r["time"]) for r in compare.lines(q, regions))]
    return freshness.of_evidence(freshness.latest_period(periods))


def _charts(request: HttpRequest, q: Query, picked: list[str], title: str, unit: str,
            only: str | None) -> tuple[dict[str, Chart], list[tuple[str, str]]]:
    """The page's charts by slug (ranking, lines, europe), or only the one named ``only``
    (a chart's file or embed page draws one: the others are not computed); and the
    European ranking's divisions (only with the European chart)."""
    source = compare.panel(q.binding.dataset).meta.attribution.removeprefix("Source: ")
    charts: dict[str, Chart] = {}
    makers = {"ranking": lambda: _ranking_chart(q, title, unit),
              "lines": lambda: _lines_chart(q, picked, title, unit)}
    for slug, make in makers.items():
        chart = make() if only in (None, slug) else None
        if chart is not None:
            chart.source = source
            charts[chart.slug] = chart
    divisions: list[tuple[str, str]] = []
    if only in (None, "europe"):
        divisions, europe = _european(request, q)
        if europe is not None:
            charts[europe.slug] = europe
    return charts, divisions


def _build(request: HttpRequest, only: str | None = None) -> dict[str, Any]:
    """The page's context; with ``only``, just the chart of that slug (in ``charts``)."""
    q, title, unit = _query(request.GET)
    known = dict(compare.choices(q))
    picked = _picked(request, q, known)
    base = {k: request.GET[k] for k in ("indicator", "sector", "measure", "division")
            if request.GET.get(k)}
    query = urlencode([*base.items(), *[("regions", r) for r in picked]])
    charts, divisions = _charts(request, q, picked, title, unit, only)
    for chart in charts.values():
        chart.links = _links(chart.slug, query)
    if only is not None:
        return {"charts": charts}
    return {"title": title, "charts": charts, "choices": list(known.items()),
            "picked": picked, "base": base, "divisions": divisions,
            "max_regions": MAX_REGIONS, "fresh": _fresh(q, picked)}


def _regional_indicators() -> list[Indicator]:
    return [i for i in Indicator.objects.select_related("edition").order_by("edition__year", "slug")
            if (i.document or {}).get("binding")]


@cached
def compare_page(request: HttpRequest) -> HttpResponse:
    if not any(request.GET.get(k) for k in ("indicator", "sector")):
        return render(request, "sectors/compare_index.html", {
            "indicators": _regional_indicators(), "sectors": Sector.objects.all(),
            "measures": [(m, _measure_label(m)) for m in compare.MEASURES]})
    ctx = _build(request)
    ctx["nav"] = "sectors"
    return render(request, "sectors/compare.html", ctx)


def _chart(request: HttpRequest, slug: str) -> Chart:
    chart = _build(request, only=slug)["charts"].get(slug)
    if chart is None:
        raise Http404("no such chart")
    return chart


@cached
def compare_chart(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    resp = download(_chart(request, slug), fmt, f"compare-{slug}")
    return allow_embedding(resp) if fmt in ("svg", "png") else resp


@cached
def compare_embed(request: HttpRequest, slug: str) -> HttpResponse:
    chart = _chart(request, slug)
    page = reverse("sectors:compare") + "?" + request.GET.urlencode()
    return allow_embedding(render(request, "site/chart_embed.html",
                                  {"chart": chart, "page_url": page}))
