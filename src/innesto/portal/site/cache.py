"""Page caching that follows ``settings.CACHE_SECONDS`` at request time (0 disables it).

Pages are cached in the default cache (Redis when ``REDIS_URL`` is set) under a *content
version*: any save or delete of plan content (``load_plan``, the back office) bumps the
version (:func:`bump_content_version`, connected in ``PlansConfig.ready``), so no page
shows stale content after an edit and nothing has to be flushed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_page

View = Callable[..., HttpResponse]
VERSION_KEY = "innesto:content-version"


def content_version() -> int:
    """The current content version (1 when nothing was saved since the cache started)."""
    return int(cache.get_or_set(VERSION_KEY, 1, None) or 1)


def bump_content_version(**_: Any) -> None:
    """Invalidate every cached page (a signal receiver: accepts any keyword arguments)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key expired or was never set
        cache.set(VERSION_KEY, 2, None)


def cached(view: View) -> View:
    """Cache a GET view's response for ``settings.CACHE_SECONDS``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = int(getattr(settings, "CACHE_SECONDS", 0))
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        prefix = f"innesto-v{content_version()}"
        return cache_page(seconds, key_prefix=prefix)(view)(request, *args, **kwargs)

    return wrapper
