"""The monitoring report of an edition, as HTML and as a tagged PDF (``?date=YYYY-MM-DD``)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from innesto.portal.plans.models import Edition
from innesto.portal.reports import snapshots
from innesto.portal.reports.content import report_context
from innesto.portal.reports.pdf import html_to_pdf
from innesto.portal.site import identity, throttle
from innesto.portal.site.clientip import client_ip


def _requested_day(request: HttpRequest) -> dt.date | None:
    raw = request.GET.get("date", "")
    if not raw:
        return None
    if len(raw) != 10:
        raise Http404("date must be YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Http404("date must be YYYY-MM-DD") from None


def _canonical(request: HttpRequest, edition: Edition) -> tuple[dt.date, HttpResponse | None]:
    """The snapped as-of day, and a redirect to it when another date was asked for."""
    asked = _requested_day(request)
    day = snapshots.snap_day(edition, asked)
    if asked is not None and asked != day:
        return day, redirect(f"{request.path}?{urlencode({'date': day.isoformat()})}")
    return day, None


def render_report(request: HttpRequest | None, edition: Edition,
                  as_of: dt.datetime | None = None, *, for_pdf: bool = False) -> str:
    ctx = report_context(edition, as_of)
    ctx["for_pdf"] = for_pdf
    ctx["site"] = identity.view()  # also without a request (PDF, archive)
    return render_to_string("reports/report.html", ctx, request=request)


#: seconds after which a client told "being prepared" should ask again
RETRY_AFTER = 10


def _busy(request: HttpRequest, exc: throttle.Busy) -> HttpResponse:
    """A client over its own limit gets 429; a report being prepared elsewhere, 503."""
    status = 429 if exc.args and exc.args[0] == "report-client" else 503
    resp = HttpResponse(render_to_string("reports/busy.html", {"retry_after": RETRY_AFTER}),
                        status=status)
    resp["Retry-After"] = str(RETRY_AFTER)
    return resp


def make_report(kind: str, request: HttpRequest, ed: Edition, day: dt.date) -> bytes:
    """The report's bytes: HTML, or the PDF made from its print version."""
    if kind == "pdf":
        html = render_report(request, ed, snapshots.end_of(day), for_pdf=True)
        return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    return render_report(request, ed, snapshots.end_of(day)).encode("utf-8")


def _cached(request: HttpRequest, kind: str, ed: Edition, day: dt.date) -> bytes | HttpResponse:
    lang = getattr(request, "LANGUAGE_CODE", "it")
    try:
        return snapshots.rendered(
            kind, ed, day, lang, snapshots.client_key(client_ip(request)),
            lambda: make_report(kind, request, ed, day),
            place=(request.path, request.get_host(), request.is_secure()))
    except throttle.Busy as exc:
        return _busy(request, exc)


def report_html(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    day, moved = _canonical(request, ed)
    if moved is not None:
        return moved
    body = _cached(request, "html", ed, day)
    return body if isinstance(body, HttpResponse) else HttpResponse(body)


def report_pdf(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    day, moved = _canonical(request, ed)
    if moved is not None:
        return moved
    body = _cached(request, "pdf", ed, day)
    if isinstance(body, HttpResponse):
        return body
    resp = HttpResponse(body, content_type="application/pdf")
    lang = getattr(request, "LANGUAGE_CODE", "it")
    resp["Content-Disposition"] = f'inline; filename="report-{ed.slug}-{day}-{lang}.pdf"'
    return resp


def node_history(request: HttpRequest, edition: str, key: str) -> HttpResponse:
    """The public version history of one plan page: every published version, newest first,
    with what changed from the one before."""
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
