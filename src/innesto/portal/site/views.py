"""Home, help, accessibility statement, search, and the unprefixed helpers."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language_from_request
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from innesto.portal.plans.models import Edition, Indicator, Media
from innesto.portal.plans.presenters import edition_sectors
from innesto.portal.plans.search import search_plan
from innesto.portal.site.cache import cached
from innesto.portal.site.context import featured


def root(request: HttpRequest) -> HttpResponse:
    """``/`` goes to ``/it/`` or ``/en/`` following the browser's language."""
    lang = get_language_from_request(request) or "it"
    return HttpResponseRedirect(f"/{'en' if lang.startswith('en') else 'it'}/")


@lru_cache(maxsize=1)
def _bundle() -> str:
    import vl_convert

    return str(vl_convert.javascript_bundle("window.innestoVegaEmbed = vegaEmbed;"))


@require_GET
@cache_control(public=True, max_age=86400)
def vega_bundle(request: HttpRequest) -> HttpResponse:
    """Vega, Vega-Lite and vega-embed, bundled by vl-convert (served from this site)."""
    return HttpResponse(_bundle(), content_type="text/javascript; charset=utf-8")


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse("User-agent: *\nDisallow: /api/\n", content_type="text/plain")


@cached
def home(request: HttpRequest) -> HttpResponse:
    edition, node = featured()
    sectors = edition_sectors(edition) if edition else []
    return render(request, "site/home.html", {
        "edition": edition,
        "featured_node": node,
        "editions": Edition.objects.all(),
        "sectors": sectors,
        "indicators": Indicator.objects.filter(edition=edition)[:12] if edition else [],
        "media": Media.objects.filter(edition=edition) if edition else [],
    })


@cached
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "site/help.html")


@cached
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html")


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = search_plan(query) if query else []
    return render(request, "site/search.html", {"query": query, "results": results})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's own 404 page, in the language of the address (or of the browser)."""
    return render(request, "404.html", {"path": request.path}, status=404)


#: The last resort when even the site's 500 page cannot be drawn (the database is down).
PLAIN_500 = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
</head><body><main><h1>{title}</h1><p>{text}</p><p><a href="/{lang}/">{home}</a></p></main>
</body></html>"""


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's own 500 page; a plain bilingual page if the branded one fails too."""
    from django.template.loader import render_to_string
    from django.utils import translation

    lang = "en" if request.path.startswith("/en/") else "it"
    with translation.override(lang):
        html: str
        try:
            html = render_to_string("500.html", {}, request=request)
        except Exception:  # noqa: BLE001 - the error page must never fail itself
            import logging

            from django.utils.translation import gettext as _

            logging.getLogger(__name__).exception("the 500 page could not be rendered")

            html = PLAIN_500.format(lang=lang, title=_("Something went wrong"),
                                    text=_("The page could not be shown because of an error "
                                           "on our side. Please try again in a few minutes."),
                                    home=_("Home"))
    return HttpResponse(html, status=500)
