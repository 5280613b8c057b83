"""Reports computed once: the as-of date snapped to the days the data changed, and the
rendered HTML/PDF kept in the shared cache per (edition, day, language, content version).

A report "as of" day *D* shows the values recorded by the end of *D* and not yet superseded
then. Those change only on the days a value was recorded or superseded, so every *D* gives
the same report as the latest such *change day* on or before it: :func:`snap_day` maps
*D* there, and the views redirect to that canonical date. Days before the first change give
the empty report; they all snap to the day before the first change. The number of distinct
reports is thus bounded by the number of change days, however many dates are asked for.

Rendering (10-20 s of CPU for a PDF) happens once per key under a lock in the shared store
(:func:`innesto.portal.site.throttle.compute_once`), at most ``REPORT_RENDERS_PER_CLIENT``
at a time per client and ``REPORT_RENDERS_TOTAL`` at a time for the whole site; the other
requests get "being prepared, retry shortly" (503) or "too many" (429) at once, so that
gunicorn workers stay free for the rest of the site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from innesto.portal.plans.models import Edition, IndicatorValue
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
             render: Callable[[], bytes]) -> bytes:
    """The report's bytes from the shared cache, or rendered now within the limits.

    Raises :class:`~innesto.portal.site.throttle.Busy` when the same report is being
    rendered by another request, or a concurrency limit is reached.
    """
    key = (f"innesto:report:{kind}:{edition.pk}:{day.isoformat()}:{language}"
           f":v{content_version()}")
    found = cache.get(key)
    if found is not None:
        return bytes(found)
    ttl = _setting("REPORT_RENDER_TIMEOUT", 300)
    with throttle.slot("report-client", client,
                       limit=_setting("REPORT_RENDERS_PER_CLIENT", 1), ttl=ttl), \
            throttle.slot("report-site", "all",
                          limit=_setting("REPORT_RENDERS_TOTAL", 1), ttl=ttl):
        return throttle.compute_once(key, render, lock_ttl=ttl,
                                     timeout=_setting("REPORT_CACHE_SECONDS", 86400))

