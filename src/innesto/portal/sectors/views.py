"""Sector pages: the list of the plan's sectors and one dashboard per sector."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from innesto.portal.plans.models import Sector
from innesto.portal.sectors import dashboards, finer, headline
from innesto.portal.sectors.evidence import EvidenceUnavailable
from innesto.portal.site import freshness
from innesto.portal.site.cache import cached
from innesto.portal.site.charts import Chart, download
from innesto.portal.site.middleware import allow_embedding


@cached
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "sectors/index.html", {"sectors": Sector.objects.all(),
                                                  "nav": "sectors"})


@cached
def sector(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Sector, slug=slug)
    try:
        charts = [c.link("sectors:chart", "sectors:chart-embed", obj.slug)
                  for c in dashboards.charts(obj)]
        cards, fresh = headline.cards(obj), freshness.of_evidence(headline.latest_year(obj))
        error = ""
    except EvidenceUnavailable as exc:
        charts, cards, fresh, error = [], [], None, str(exc)
    same = [s for s in Sector.objects.exclude(pk=obj.pk) if s.industries == obj.industries]
    ctx = {"sector": obj, "charts": charts, "error": error, "cards": cards, "fresh": fresh,
           "nodes": obj.nodes.select_related("edition"), "divisions": finer.rows(obj),
           "same_proxy": same}
    return render(request, "sectors/sector.html", ctx)


def _chart(slug: str, chart: str) -> Chart:
    obj = get_object_or_404(Sector, slug=slug)
    try:
        if chart not in dashboards.available():
            raise Http404("no such chart")
        return dashboards.chart(obj, chart)
    except EvidenceUnavailable as exc:
        raise Http404(str(exc)) from None


@cached
def chart_file(request: HttpRequest, slug: str, chart: str, fmt: str) -> HttpResponse:
    resp = download(_chart(slug, chart), fmt, f"{slug}-{chart}")
    return allow_embedding(resp) if fmt == "svg" else resp


@cached
def chart_embed(request: HttpRequest, slug: str, chart: str) -> HttpResponse:
    c = _chart(slug, chart).link("sectors:chart", "sectors:chart-embed", slug)
    page = reverse("sectors:sector", args=[slug])
    resp = render(request, "site/chart_embed.html", {"chart": c, "page_url": page})
    return allow_embedding(resp)
