"""The monitoring report of an edition, as HTML and as a tagged PDF (``?date=YYYY-MM-DD``)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from innesto.portal.plans.models import Edition
from innesto.portal.reports.content import report_context
from innesto.portal.reports.pdf import html_to_pdf
from innesto.portal.site import identity


def _as_of(request: HttpRequest) -> dt.datetime | None:
    raw = request.GET.get("date", "")
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise Http404("date must be YYYY-MM-DD") from None
    # The whole day counts: values recorded that day are known "as of" it.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def render_report(request: HttpRequest | None, edition: Edition,
                  as_of: dt.datetime | None = None, *, for_pdf: bool = False) -> str:
    ctx = report_context(edition, as_of)
    ctx["for_pdf"] = for_pdf
    ctx["site"] = identity.view()  # also without a request (PDF, archive)
    return render_to_string("reports/report.html", ctx, request=request)


def report_html(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    return HttpResponse(render_report(request, ed, _as_of(request)))


def report_pdf(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    as_of = _as_of(request)
    html = render_report(request, ed, as_of, for_pdf=True)
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    resp = HttpResponse(pdf, content_type="application/pdf")
    day = (as_of or timezone.now()).date().isoformat()
    lang = getattr(request, "LANGUAGE_CODE", "it")
    resp["Content-Disposition"] = f'inline; filename="report-{ed.slug}-{day}-{lang}.pdf"'
    return resp


def node_history(request: HttpRequest, edition: str, key: str) -> HttpResponse:
    """The public version history of one plan page: every published version, newest first,
    with what changed from the one before."""
    from django.shortcuts import render

    from innesto.portal.backoffice.models import NodeVersion
    from innesto.portal.plans.models import Node

    node = get_object_or_404(Node.objects.select_related("edition"), edition__slug=edition,
                             key=key)
    lang = "en" if (getattr(request, "LANGUAGE_CODE", "it") or "it").startswith("en") else "it"
    versions = list(NodeVersion.objects.filter(node=node).order_by("number"))
    rows = []
    for i, v in enumerate(versions):
        prev = versions[i - 1].data if i else {}
        changed = sorted({f[:-3] for f in v.data if i and v.data.get(f) != prev.get(f)})
        rows.append({"version": v, "title": v.data.get(f"title_{lang}") or v.data.get("title_it"),
                     "body": v.data.get(f"body_{lang}", ""), "changed": changed})
    return render(request, "reports/history.html",
                  {"node": node, "edition": node.edition, "rows": list(reversed(rows))})
