"""Load shedding for report URLs: a client told to wait is not served again before then.

A refused report request (429: the client already has a render running; 503: the report
is being prepared or the site's render places are taken) carries ``Retry-After``. A client
that comes back sooner, for any report URL, gets 429 at once, with the seconds still to
wait, before sessions, the database or the view are touched: from this middleware and,
under gunicorn, from :func:`shed_early` around Django's WSGI application, which answers
without building a request or running Django's handler at all (a few tens of
microseconds). Eight clients looping on report URLs then cost the serving workers almost
nothing, and the rest of the site keeps its speed (the report-flood benchmark,
docs/security.md).

The memory (:class:`Refusals`) is per worker process and only ever repeats a refusal the
shared store decided (it can make a client wait up to ``Retry-After`` seconds, never let
one through), so it needs no sharing. At most ``MAX_CLIENTS`` clients are remembered.

>>> pattern().match("/en/report/2006/report.pdf") is not None
True
>>> r = Refusals(); r.remember("192.0.2.1", 10, now=100.0)
>>> r.wait("192.0.2.1", now=104.0), r.wait("192.0.2.2", now=104.0)
(6.0, 0.0)
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from innesto.portal.site.cache import WSGIApp
from innesto.portal.site.clientip import client_ip_of

MAX_CLIENTS = 10_000
#: the WSGI environ key under which :func:`shed_early` hands its memory to the middleware
ENVIRON_KEY = "innesto.report_refusals"
#: headers of a refusal that belong to one answer only, not to the stored template
_PER_ANSWER = {"retry-after", "content-length", "set-cookie", "date"}


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


def _language(path: str) -> str:
    """The site language a report URL is in (the default for anything else)."""
    language = path.strip("/").split("/", 1)[0]
    known = {code for code, _ in settings.LANGUAGES}
    return language if language in known else str(settings.LANGUAGE_CODE)


def _retry_after(wait: float) -> str:
    """The ``Retry-After`` of a repeated refusal: the whole seconds left, at least one."""
    return str(max(1, round(wait)))


class Refusals:
    """When each client may ask for a report again (monotonic seconds), in one process."""

    def __init__(self) -> None:
        self.until: dict[str, float] = {}

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds ``client`` must still wait (0 if none)."""
        left = self.until.get(client, 0.0) - (time.monotonic() if now is None else now)
        return max(0.0, left)

    def remember(self, client: str, seconds: int, now: float | None = None) -> None:
        """``client`` was told to come back in ``seconds``."""
        now = time.monotonic() if now is None else now
        if len(self.until) >= MAX_CLIENTS:
            self.until = {k: v for k, v in self.until.items() if v > now}
            if len(self.until) >= MAX_CLIENTS:
                self.until.clear()
        self.until[client] = now + seconds


class ReportSheddingMiddleware:
    """Answer a waiting client's report request with 429, and remember every refusal.

    The memory is :func:`shed_early`'s when the request came through it (one per worker),
    else this middleware's own (one per handler: each test client is another worker)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.refusals = Refusals()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not pattern().match(request.path_info):
            return self.get_response(request)
        refusals: Refusals = request.META.get(ENVIRON_KEY, self.refusals)
        client = client_ip_of(request.META) or "unknown"
        wait = refusals.wait(client)
        if wait > 0:
            resp = HttpResponse(_page(_language(request.path_info)), status=429)
            resp["Retry-After"] = _retry_after(wait)
            return resp
        response = self.get_response(request)
        retry = response.get("Retry-After", "")
        if response.status_code in (429, 503) and retry.isdigit():
            refusals.remember(client, int(retry))
        return response


def shed_early(app: WSGIApp) -> WSGIApp:
    """Wrap Django's WSGI application: a client that must still wait gets the very 429
    the middleware would give (its headers are taken from the first one Django answered in
    that language), without Django's handler; every other request goes to ``app`` with
    this worker's memory in the environ, where the middleware reads and fills it."""
    refusals = Refusals()
    #: per language, the middleware's first 429: its lasting headers and its body
    templates: dict[str, tuple[list[tuple[str, str]], bytes]] = {}

    def application(environ: dict[str, Any], start_response: Callable[..., Any],
                    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not pattern().match(path):
            return app(environ, start_response)
        environ[ENVIRON_KEY] = refusals
        wait = refusals.wait(client_ip_of(environ) or "unknown")
        if wait <= 0:
            return app(environ, start_response)
        language = _language(path)
        template = templates.get(language)
        if template is None:  # the middleware answers; its headers are kept for the next
            def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None,
                     ) -> Any:
                if status.startswith("429"):
                    templates[language] = ([(k, v) for k, v in headers
                                            if k.lower() not in _PER_ANSWER],
                                           _page(language).encode("utf-8"))
                return start_response(status, headers, exc_info)

            return app(environ, keep)
        headers, body = template
        start_response("429 Too Many Requests", [
            *headers, ("Retry-After", _retry_after(wait)), ("Content-Length", str(len(body)))])
        return [body]

    return application
