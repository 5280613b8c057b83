"""The API's URLs. Every GET answer is cached like a page (:func:`site.cache.cached`): keyed
by the full URL with its query string, under the content version that any save of plan
content bumps (publish in the back office, ``load_plan``, ``innesto plan refresh``), so an
answer never outlives an edit and nothing has to be flushed."""

from django.urls import URLPattern, path

from innesto.portal.api import streams  # noqa: F401  (registers the streamed answers)
from innesto.portal.api.endpoints import api
from innesto.portal.site.cache import cached


def _cached_patterns() -> tuple[list[URLPattern], str, str]:
    patterns, app_name, namespace = api.urls
    wrapped = [URLPattern(p.pattern, cached(p.callback), p.default_args, p.name)
               for p in patterns if isinstance(p, URLPattern)]
    return wrapped, app_name, namespace


urlpatterns = [path("", _cached_patterns())]
