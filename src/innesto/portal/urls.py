"""Root URLconf. Language-prefixed pages (``/it/``, ``/en/``) come from each app's
``urls.py``; the API and vendored assets are not prefixed.

Another portal app adds one line to :data:`PAGE_APPS` (its ``urls`` module, mounted under
``/<lang>/`` with its own namespace), e.g. ``("innesto.portal.engage.urls", "engage")``.
"""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

# (module, namespace) of each app's language-prefixed pages; one line per app.
PAGE_APPS: list[tuple[str, str]] = [
    ("innesto.portal.plans.urls", "plans"),
    ("innesto.portal.sectors.urls", "sectors"),
    ("innesto.portal.site.urls", "site"),
    ("innesto.portal.engage.urls", "engage"),
    ("innesto.portal.reports.urls", "reports"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", include("innesto.portal.api.urls")),
    path("", include("innesto.portal.site.root_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("backoffice/", include("innesto.portal.backoffice.urls")),
]
urlpatterns += i18n_patterns(
    *[path("", include((module, ns), namespace=ns)) for module, ns in PAGE_APPS],
    prefix_default_language=True,
)

handler404 = "innesto.portal.site.views.page_not_found"
handler500 = "innesto.portal.site.views.server_error"
