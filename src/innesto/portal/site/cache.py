"""Page caching that follows ``settings.CACHE_SECONDS`` at request time (0 disables it).

Pages are cached in the default cache (Redis when ``REDIS_URL`` is set); ``load_plan``
clears the cache after changing plan content.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_page

View = Callable[..., HttpResponse]


def cached(view: View) -> View:
    """Cache a GET view's response for ``settings.CACHE_SECONDS``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = int(getattr(settings, "CACHE_SECONDS", 0))
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return cache_page(seconds)(view)(request, *args, **kwargs)

    return wrapper
