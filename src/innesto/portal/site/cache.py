"""Page caching that follows ``settings.CACHE_SECONDS`` at request time (0 disables it).

Pages are cached in the default cache (Redis when ``REDIS_URL`` is set) under a *content
version* kept in the database (:class:`~innesto.portal.site.models.ContentVersion`): any
save or delete of plan content (``load_plan``, the back office, ``innesto plan refresh``)
bumps the version in its own transaction (:func:`bump_content_version`, connected in
``PlansConfig.ready``), so no page shows stale content after an edit and nothing has to be
flushed.

In front of that shared cache, :class:`FrontCacheMiddleware` (first in ``MIDDLEWARE``)
and :func:`front_cached` (around the WSGI application) keep each worker's recent answers
to anonymous requests in its own memory and answer a repeated one before Django's handler
runs. The worker reads the shared content version at most once every
``settings.FRONT_CACHE_CHECK_MS`` (:data:`VERSION`), not at every request: an edit saved
by another process is served by every worker within that bound, and by the process that
saved it at its next request (:func:`bump_content_version` makes it read again).
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_max_age
from django.utils.http import parse_http_date_safe
from django.views.decorators.cache import cache_page

View = Callable[..., HttpResponse]
_COMMAS = re.compile(r"\s*,\s*")
#: Set on a response by :func:`cached`: it may be kept by :class:`FrontCacheMiddleware`.
CACHEABLE = "_innesto_cacheable"


def _fresh_version() -> int:
    """A version no earlier state held: the clock in microseconds. Counting on from the
    stored number could meet, after a rolled-back transaction or a restored database, a
    version whose pages some cache still keeps."""
    return time.time_ns() // 1000


def _table() -> str:
    from innesto.portal.site.models import ContentVersion

    return str(connection.ops.quote_name(ContentVersion._meta.db_table))


def content_version() -> int:
    """The current content version: one indexed read of its row (created when missing)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT version FROM {_table()} WHERE id = 1")  # noqa: S608
        row = cur.fetchone()
    return int(row[0]) if row is not None else _first_version()


def _first_version() -> int:
    from innesto.portal.site.models import ContentVersion

    try:
        with transaction.atomic():
            ContentVersion.objects.get_or_create(pk=1, defaults={"version": _fresh_version()})
    except IntegrityError:  # another process created it first
        pass
    return int(ContentVersion.objects.values_list("version", flat=True).get(pk=1))


class VersionCheck:
    """This process's last read of the content version, trusted for
    ``settings.FRONT_CACHE_CHECK_MS`` (0: read at every request).

    :meth:`expire` makes the next :meth:`current` read the row again; a read that began
    before an :meth:`expire` is not kept (a thread that read the old row while another one
    committed an edit must not hold it for a whole interval)."""

    def __init__(self) -> None:
        self.version = 0
        self.until = 0.0  # time.monotonic() until which ``version`` is trusted
        self.generation = 0  # counts expire() calls
        self.lock = threading.Lock()
        self.clock: Callable[[], float] = time.monotonic

    def current(self) -> int:
        now = self.clock()
        with self.lock:
            if now < self.until:
                return self.version
            generation = self.generation
        version = content_version()
        interval = int(getattr(settings, "FRONT_CACHE_CHECK_MS", 0)) / 1000
        with self.lock:
            if generation == self.generation and interval > 0:
                self.version, self.until = version, now + interval
        return version

    def expire(self) -> None:
        with self.lock:
            self.generation += 1
            self.until = 0.0


#: This process's content version as the front cache sees it.
VERSION = VersionCheck()


def bump_content_version(**_: Any) -> None:
    """Invalidate every cached page (a signal receiver: accepts any keyword arguments).

    The new version is the later of the next number and the clock (:func:`_fresh_version`);
    it is written in the transaction of the change that caused it. This process reads the
    version again at its next request, and again once the change is committed (other
    processes within ``settings.FRONT_CACHE_CHECK_MS``)."""
    now = _fresh_version()
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {_table()} SET version = CASE WHEN version + 1 > %s "  # noqa: S608
                    "THEN version + 1 ELSE %s END WHERE id = 1", [now, now])
        updated = cur.rowcount
    if not updated:
        _first_version()
    VERSION.expire()
    transaction.on_commit(VERSION.expire)


def cached(view: View) -> View:
    """Cache a GET view's response for ``settings.CACHE_SECONDS``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = int(getattr(settings, "CACHE_SECONDS", 0))
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        prefix = f"innesto-v{content_version()}"
        response = cache_page(seconds, key_prefix=prefix)(view)(request, *args, **kwargs)
        setattr(response, CACHEABLE, True)
        return response

    return wrapper


#: Requests with any of these are never answered from a worker's memory.
BYPASS = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


@dataclass(frozen=True)
class Entry:
    """A stored answer: everything the client received but the ``Date`` and ``Age``."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    stored: float  # time.time() when stored
    age: int  # its Age header then (it may have come from the shared cache)
    expires: float  # time.time() after which it is not served

    def age_now(self, now: float) -> str:
        return str(self.age + int(now - self.stored))

    def response(self, now: float) -> HttpResponse:
        out = HttpResponse(self.body, status=self.status, reason=self.reason)
        for name, value in self.headers:
            out.headers[name] = value
        out.headers["Age"] = self.age_now(now)
        return out


def storable(response: HttpResponse) -> float | None:
    """When ``response`` (the answer to an anonymous GET) stops being servable from memory,
    or None if it must not be kept: only what :func:`cached` let the shared cache keep (a
    200 with no cookie, not private, with its ``Expires``)."""
    if (not getattr(response, CACHEABLE, False) or response.status_code != 200
            or response.streaming or response.cookies):
        return None
    control = response.get("Cache-Control", "").lower()
    if any(d in control for d in ("private", "no-cache", "no-store")) or not get_max_age(
            response):
        return None
    vary = {v.strip().lower() for v in _COMMAS.split(response.get("Vary", ""))}
    expires = parse_http_date_safe(response.get("Expires", ""))
    if "*" in vary or expires is None:
        return None
    return float(min(expires, time.time() + int(getattr(settings, "CACHE_SECONDS", 0))))


def request_base(meta: dict[str, Any]) -> tuple[Any, ...] | None:
    """The part of a request's key read before its ``Vary`` headers, from the WSGI
    environment (``request.META``): scheme, the proxy's scheme header, host, path and
    query string exactly as received; None when the request must go through the stack.

    The raw values are enough: an answer is only kept after the same raw request passed
    the whole stack (host validation, input guard, HTTPS redirect) with a 200."""
    if meta.get("REQUEST_METHOD") != "GET" or any(meta.get(h) for h in BYPASS):
        return None
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    return (meta.get("wsgi.url_scheme"), meta.get(proxy[0]) if proxy else None,
            meta.get("HTTP_HOST"), meta.get("HTTP_X_FORWARDED_HOST"),
            meta.get("SERVER_NAME"), meta.get("SERVER_PORT"), meta.get("SCRIPT_NAME", ""),
            meta.get("PATH_INFO", ""), meta.get("QUERY_STRING", ""))


class FrontStore:
    """Answers of one content version, least recently used dropped past ``max_bytes``.

    The key of an answer is :func:`request_base` plus the request headers its ``Vary``
    names (learnt from the first answer, as Django's cache does). One per process
    (:data:`STORE`); a lock keeps it whole under threaded workers."""

    def __init__(self, max_bytes: int = 0) -> None:
        self.max_bytes = max_bytes
        self.version = 0
        self.size = 0
        self.entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self.vary: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self.lock = threading.Lock()

    def active(self) -> bool:
        return self.max_bytes > 0 and int(getattr(settings, "CACHE_SECONDS", 0)) > 0

    def get(self, meta: dict[str, Any], base: tuple[Any, ...], version: int,
            now: float) -> Entry | None:
        with self.lock:
            if version != self.version:
                self.clear(version)
                return None
            names = self.vary.get(base)
            if names is None:
                return None
            key = (*base, *(meta.get(n) or "" for n in names))
            entry = self.entries.get(key)
            if entry is None:
                return None
            if now >= entry.expires:
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, meta: dict[str, Any], base: tuple[Any, ...], version: int,
            response: HttpResponse, expires: float) -> None:
        body = response.content
        if len(body) > self.max_bytes // 8:
            return
        names = tuple(sorted(
            "HTTP_" + v.strip().upper().replace("-", "_")
            for v in _COMMAS.split(response.get("Vary", "")) if v.strip()))
        key = (*base, *(meta.get(n) or "" for n in names))
        headers = tuple((k, v) for k, v in response.items() if k.lower() != "age")
        entry = Entry(response.status_code, response.reason_phrase, headers, body,
                      time.time(), int(response.get("Age", "0") or 0), expires)
        with self.lock:
            if version != self.version:
                self.clear(version)
            self.vary[base] = names
            self._drop(key)
            self.entries[key] = entry
            self.size += len(body)
            while self.size > self.max_bytes and self.entries:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple[Any, ...]) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= len(entry.body)

    def clear(self, version: int = 0) -> None:
        self.version, self.size = version, 0
        self.entries.clear()
        self.vary.clear()


#: This process's store (sized by the middleware from ``settings.FRONT_CACHE_MB``).
STORE = FrontStore()


class FrontCacheMiddleware:
    """Keep each worker's answers to anonymous GETs of cached pages and API calls in its
    memory (:data:`STORE`), and serve a repeated one before the other middleware
    (sessions, CSRF, authentication) do any work; :func:`front_cached` serves them even
    before Django when the portal runs under gunicorn.

    Only requests without cookies, ``Authorization`` or conditional headers are served
    from memory, and only answers :func:`cached` produced and :func:`storable` accepts are
    kept: a visitor's own pages, forms that set a CSRF cookie, errors and streamed
    downloads always go through the whole stack. The content version (one indexed row) is
    read at most every ``INNESTO_FRONT_CACHE_CHECK_MS`` (:data:`VERSION`), so a publish or
    refresh in any process empties every worker's store within that bound (in the process
    that saved it, at its next request); an answer is never served past the ``Expires`` the
    shared cache gave it. ``INNESTO_FRONT_CACHE_MB`` bounds each worker's store (default
    64; 0: off).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        STORE.max_bytes = int(getattr(settings, "FRONT_CACHE_MB", 64)) * 2 ** 20

    def __call__(self, request: HttpRequest) -> HttpResponse:
        base = request_base(request.META) if STORE.active() else None
        if base is None:
            return self.get_response(request)
        version, now = VERSION.current(), time.time()
        entry = STORE.get(request.META, base, version, now)
        if entry is not None:
            return entry.response(now)
        response = self.get_response(request)
        expires = storable(response)
        if expires is not None:
            STORE.put(request.META, base, version, response, expires)
        return response


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def front_cached(app: WSGIApp) -> WSGIApp:
    """Wrap Django's WSGI application: answer from :data:`STORE` what
    :class:`FrontCacheMiddleware` would, without building a request or running Django's
    handler (a database error while reading the version hands the request to Django)."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any],
                    ) -> Iterable[bytes]:
        base = request_base(environ) if STORE.active() else None
        if base is not None:
            try:
                version = VERSION.current()
            except DatabaseError:  # Django's handler reconnects and answers
                return app(environ, start_response)
            now = time.time()
            entry = STORE.get(environ, base, version, now)
            if entry is not None:
                start_response(f"{entry.status} {entry.reason}",
                               [*entry.headers, ("Age", entry.age_now(now))])
                return [entry.body]
        return app(environ, start_response)

    return application
