"""The whole public site, crawled as a visitor would on a phone and on a desktop, in both
languages: axe-core finds no serious or critical WCAG 2.2 A/AA violation, and the page never
scrolls sideways (``document.documentElement.scrollWidth <= innerWidth``) at 390 px or at
1280 px.

The crawl starts at each language's home page and follows every same-site link to an HTML
page (every page's address ends with ``/``; files have an extension). To stay fast it
visits at most :data:`PER_TYPE` pages of each *page type* (the
Django URL name plus the names of the query parameters: ``plans:node?tab``), which still
covers every kind of page the site has; each page is checked at both widths without
reloading (the viewport is resized, and Vega re-lays out the charts to their container).
"""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.portal.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (390, 1280)
PER_TYPE = 1
MAX_PAGES = 60  # per language; the site has about 25 page types
SKIP_PREFIXES = ("/api/", "/backoffice/", "/admin/", "/static/", "/vendor/", "/i18n/")
#: The links of the pages, their <a href>s, as absolute paths on this site.
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""
OVERFLOW_JS = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0;
  }).slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id)})"""


def page_type(path: str, query: str) -> str:
    """The URL name of ``path`` and the names of its query parameters (``plans:node?tab``)."""
    from django.urls import Resolver404, resolve
    from django.utils import translation

    try:
        with translation.override(path.strip("/").split("/")[0]):
            match = resolve(path)
    except Resolver404:
        return "404:" + path
    keys = sorted({k for k, _ in parse_qsl(query)})
    return f"{match.view_name}?{'&'.join(keys)}"


def crawl(page: Any, site: str, starts: list[str]) -> tuple[list[str], list[str]]:
    """Visit the site from ``starts``; return (pages visited, failures)."""
    seen_types: dict[str, int] = {}
    queued = set(starts)
    todo = deque(starts)
    visited: list[str] = []
    failures: list[str] = []
    lang = starts[0].strip("/").split("/")[0]
    while todo and len(visited) < MAX_PAGES:
        url = todo.popleft()
        parts = urlsplit(url)
        kind = page_type(parts.path, parts.query)
        if seen_types.get(kind, 0) >= PER_TYPE:
            continue
        page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
        response = page.goto(site + url, wait_until="networkidle", timeout=120_000)
        if response is None or response.status != 200:
            failures.append(f"{url}: HTTP {response.status if response else '?'}")
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        seen_types[kind] = seen_types.get(kind, 0) + 1
        visited.append(url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(150)  # Vega re-lays out charts to their container
            box = page.evaluate(OVERFLOW_JS)
            if box["scroll"] > box["inner"]:
                failures.append(f"{url} @{width}px: page is {box['scroll']} px wide "
                                f"({', '.join(box['wide'])})")
            for v in axe_violations(page):
                if v["impact"] in ("serious", "critical"):
                    nodes = "; ".join(n["target"][0] if n["target"] else "?"
                                      for n in v["nodes"][:3])
                    failures.append(f"{url} @{width}px: {v['id']} ({v['impact']}): {nodes}")
        for href in page.evaluate(LINKS_JS):
            p = urlsplit(href)
            link = p.path + (f"?{p.query}" if p.query else "")
            # Pages end with "/"; files (CSV, JSON, SVG, PNG, PDF) have an extension.
            if (p.path.startswith(f"/{lang}/") and p.path.endswith("/")
                    and not p.path.startswith(SKIP_PREFIXES) and link not in queued):
                queued.add(link)
                todo.append(link)
    return visited, failures


def test_every_page_type_passes_axe_and_never_scrolls_sideways(
        site: str, chromium_page: Any) -> None:
    """Both languages in one test: the live site is loaded once (about 35 pages, 3 min)."""
    from django.urls import reverse
    from django.utils import translation

    for lang in ("it", "en"):
        with translation.override(lang):
            search = reverse("site:search") + "?q=ICT"
        visited, failures = crawl(chromium_page, site, [f"/{lang}/", search])
        assert failures == []
        kinds = {page_type(urlsplit(u).path, urlsplit(u).query) for u in visited}
        # The crawl reached the kinds of page a visitor reads (not only the home page).
        for kind in ("plans:edition?", "plans:node?", "plans:node?tab", "plans:indicator?",
                     "sectors:sector?", "site:search?q", "site:help?", "reports:report?"):
            assert kind in kinds, (lang, kind, sorted(kinds))
