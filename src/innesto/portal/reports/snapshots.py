"""Reports computed once: the as-of date snapped to the days the data changed, and the
rendered HTML/PDF kept in the shared cache per (edition, day, language, content version).

A report "as of" day *D* shows the values recorded by the end of *D* and not yet superseded
then. Those change only on the days a value was recorded or superseded, so every *D* gives
the same report as the latest such *change day* on or before it: :func:`snap_day` maps
*D* there, and the views redirect to that canonical date. Days before the first change give
the empty report; they all snap to the day before the first change. The number of distinct
reports is thus bounded by the number of change days, however many dates are asked for.

Rendering (10-20 s of CPU for a PDF) happens once per key under a lock in the shared store,
in a background process at low priority (:mod:`innesto.portal.reports.background`), at
most ``REPORT_RENDERS_PER_CLIENT`` at a time per client and ``REPORT_RENDERS_TOTAL`` at a
time for the whole site; requests get "being prepared, retry shortly" (503) or "too many"
(429) at once, so that gunicorn workers stay free for the rest of the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from innesto.portal.plans.models import Edition, IndicatorValue
from innesto.portal.reports import background
from innesto.portal.site import throttle
from innesto.portal.site.cache import content_version


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def change_days(edition: Edition) -> list[dt.date]:
    """The local days on which a value of ``edition`` was recorded or superseded, sorted."""
    key = f"innesto:report:days:{edition.pk}:v{content_version()}"
    found = cache.get(key)
    if found is not None:
        return list(found)
    values = IndicatorValue.objects.filter(indicator__edition=edition)
    days = {timezone.localdate(t) for t in values.values_list("recorded_at", flat=True)}
    days |= {timezone.localdate(t) for t in values.filter(superseded_at__isnull=False)
             .values_list("superseded_at", flat=True)}
    result = sorted(days)
    cache.set(key, result, timeout=_setting("REPORT_CACHE_SECONDS", 86400))
    return result


def snap_day(edition: Edition, day: dt.date | None) -> dt.date:
    """The canonical as-of day giving the same report as ``day`` (today when None).

    >>> import datetime as dt
    >>> _snap([dt.date(2024, 3, 1), dt.date(2024, 6, 1)], dt.date(2024, 5, 31))
    datetime.date(2024, 3, 1)
    >>> _snap([dt.date(2024, 3, 1)], dt.date(1990, 1, 1))
    datetime.date(2024, 2, 29)
    """
    return _snap(change_days(edition), day or timezone.localdate())


def _snap(days: list[dt.date], day: dt.date) -> dt.date:
    if not days:
        return timezone.localdate()  # no value at all: every day gives the same report
    earlier = [d for d in days if d <= day]
    return earlier[-1] if earlier else days[0] - dt.timedelta(days=1)


def end_of(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in the site's time zone (values known "as of" it)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def client_key(ip: str | None) -> str:
    return ip or "unknown"


def rendered(kind: str, edition: Edition, day: dt.date, language: str, client: str,
             render: Callable[[], bytes], *, place: tuple[str, str, bool]) -> bytes:
    """The report's bytes from the shared cache, or prepared now within the limits.

    ``place`` is the request's (path, host, secure). With ``REPORT_RENDER_BACKGROUND``
    (the default) a miss starts a background job (:mod:`innesto.portal.reports.background`)
    and raises :class:`~innesto.portal.site.throttle.Busy`; otherwise ``render`` runs here.
    Raises :class:`Busy` too when the same report is being prepared by another request, or
    a concurrency limit is reached (``Busy("report-client")``: this client's own).
    """
    key = (f"innesto:report:{kind}:{edition.pk}:{day.isoformat()}:{language}"
           f":v{content_version()}")
    found = cache.get(key)
    if found is not None:
        return bytes(found)
    ttl = _setting("REPORT_RENDER_TIMEOUT", 300)
    if getattr(settings, "REPORT_RENDER_BACKGROUND", True):
        path, host, secure = place
        _start(background.Job(
            key=key, kind=kind, edition=int(edition.pk), day=day.isoformat(),
            language=language, path=path, host=host, secure=secure,
            timeout=_setting("REPORT_CACHE_SECONDS", 86400), cpu_seconds=ttl,
            nice=_setting("REPORT_RENDER_NICE", 19)), client, ttl)
        raise throttle.Busy(key)
    with throttle.slot("report-client", client,
                       limit=_setting("REPORT_RENDERS_PER_CLIENT", 1), ttl=ttl), \
            throttle.slot("report-site", "all",
                          limit=_setting("REPORT_RENDERS_TOTAL", 1), ttl=ttl):
        return throttle.compute_once(key, render, lock_ttl=ttl,
                                     timeout=_setting("REPORT_CACHE_SECONDS", 86400))


def _start(job: background.Job, client: str, ttl: int) -> None:
    """Take the report's lock and the render places, and hand them over to a new job.

    A flood of requests must cost the serving worker next to nothing, so what can be seen
    by reading alone (the report is being prepared; no render place is free) is answered
    before anything is written to the shared store."""
    per_client = _setting("REPORT_RENDERS_PER_CLIENT", 1)
    total = _setting("REPORT_RENDERS_TOTAL", 1)
    if cache.get(job.lock) is not None:
        raise throttle.Busy(job.key)
    if throttle.full("report-client", client, limit=per_client):
        raise throttle.Busy("report-client")
    if throttle.full("report-site", "all", limit=total):
        raise throttle.Busy("report-site")
    if not cache.add(job.lock, 1, timeout=ttl):
        raise throttle.Busy(job.key)  # already being prepared
    slots: list[str] = []
    try:
        slots.append(throttle.acquire("report-client", client, limit=per_client, ttl=ttl))
        slots.append(throttle.acquire("report-site", "all", limit=total, ttl=ttl))
        background.start(dataclasses.replace(job, slots=slots))
    except BaseException:
        for held in slots:
            throttle.release(held)
        cache.delete(job.lock)
        raise
