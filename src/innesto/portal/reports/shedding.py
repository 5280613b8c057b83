"""Load shedding for report URLs: a client told to wait is not served again before then.

A refused report request (429: the client already has a render running; 503: the report
is being prepared or the site's render places are taken) carries ``Retry-After``. A client
that comes back sooner, for any report URL, gets 429 from this middleware at once, with
the seconds still to wait, before sessions, the database or the view are touched. Eight
clients looping on report URLs then cost the serving workers almost nothing, and the rest
of the site keeps its speed (the report-flood benchmark, docs/security.md).

The memory is per worker process and only ever repeats a refusal the shared store decided
(it can make a client wait up to ``Retry-After`` seconds, never let one through), so it
needs no sharing. At most ``MAX_CLIENTS`` clients are remembered.

>>> pattern().match("/en/report/2006/report.pdf") is not None
True
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from innesto.portal.site.clientip import client_ip

MAX_CLIENTS = 10_000


@lru_cache(maxsize=1)
def pattern() -> re.Pattern[str]:
    """The report URLs of every language (``/it/rapporto/<edition>/``, its PDF, ...)."""
    marker = "EDITION0"
    alternatives = []
    for lang, _ in settings.LANGUAGES:
        with translation.override(lang):
            for name in ("reports:report", "reports:report-pdf"):
                url = re.escape(reverse(name, args=[marker]))
                alternatives.append(url.replace(marker, "[^/]+"))
    return re.compile("^(?:" + "|".join(alternatives) + ")$")


@lru_cache(maxsize=8)
def _page(language: str) -> str:
    from innesto.portal.reports.views import RETRY_AFTER

    with translation.override(language):
        return render_to_string("reports/busy.html", {"retry_after": RETRY_AFTER})


class ReportSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.until: dict[str, float] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not pattern().match(request.path_info):
            return self.get_response(request)
        client = client_ip(request) or "unknown"
        now = time.monotonic()
        wait = self.until.get(client, 0.0) - now
        if wait > 0:
            language = request.path_info.strip("/").split("/", 1)[0]
            known = {code for code, _ in settings.LANGUAGES}
            resp = HttpResponse(_page(language if language in known else
                                      settings.LANGUAGE_CODE), status=429)
            resp["Retry-After"] = str(max(1, round(wait)))
            return resp
        response = self.get_response(request)
        retry = response.get("Retry-After", "")
        if response.status_code in (429, 503) and retry.isdigit():
            if len(self.until) >= MAX_CLIENTS:
                self.until = {k: v for k, v in self.until.items() if v > now}
                if len(self.until) >= MAX_CLIENTS:
                    self.until.clear()
            self.until[client] = now + int(retry)
        return response
