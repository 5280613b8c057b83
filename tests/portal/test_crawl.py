"""The whole public site, crawled as a visitor would on a phone and on a desktop, in both
languages: no page scrolls sideways (``document.documentElement.scrollWidth <= innerWidth``)
at 390 px or at 1280 px, and axe-core finds no serious or critical WCAG 2.2 A/AA violation.

The crawl starts at each language's home page and search, and follows every same-site link
to an HTML page (every page's address ends with ``/``; files have an extension) until no
new one is found. It opens the first :data:`PER_TYPE` pages of each *page type* in each
language (the Django URL name plus the names of the query parameters, ``plans:node?tab``),
which covers every kind of page the site has, and checks each at both widths (the viewport
is resized, and Vega re-lays out the charts to their container) with axe-core too.

To be quick on a small machine, the site is served once for the module by gunicorn from
a separate instance holding the Torino example (pages cached as in production), and one
headless Chromium crawls with :data:`TABS` pages open at once.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.portal.browser import ARGS, CHROMIUM, WCAG, require_browser
from tests.portal.engage.instance import Instance

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)
PER_TYPE = 1
TABS = 4  # pages open at once in the one browser
MAX_PAGES = 2000  # both languages; the crawl fails rather than stop silently past it
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Torino example served by gunicorn (two workers, as ``innesto serve``) from its
    own instance; its base URL."""
    require_browser()
    from innesto.cli.serve import gunicorn_argv

    base = tmp_path_factory.mktemp("crawl")
    # The crawl's tabs are several visitors at one address: as many report renders each.
    inst = Instance(base, INNESTO_CACHE_SECONDS="300",
                    INNESTO_REPORT_RENDERS_PER_CLIENT=str(TABS))
    proc = None
    try:
        inst.manage("migrate", "--noinput")
        inst.manage("load_plan", str(ROOT / "examples" / "torino"))
        port = _free_port()
        log = (base / "gunicorn.log").open("w")
        proc = subprocess.Popen(gunicorn_argv("127.0.0.1", port, 2, timeout=300), env=inst.env,
                                cwd=base, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(url + "/it/", timeout=60).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not start:\n"
                                         + (base / "gunicorn.log").read_text()) from None
                time.sleep(0.5)
        yield url
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=60)
        inst.drop()


@dataclass
class Crawl:
    site: str
    visited: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: pages queued of each (language, page type)
    kinds: dict[tuple[str, str], int] = field(default_factory=dict)

    async def visit(self, page: Any, url: str) -> list[str]:
        """Open ``url``, check it at both widths; return the pages it links to."""
        from axe_playwright_python.async_playwright import Axe

        response = await page.goto(self.site + url, wait_until="networkidle",
                                   timeout=180_000)
        for _ in range(60):  # a report being prepared answers 503 (or 429) with Retry-After
            if response is not None and response.status not in (429, 503):
                break
            await page.wait_for_timeout(2000 if response is not None else 0)
            response = await page.reload(wait_until="networkidle", timeout=180_000)
        if response is None or response.status != 200:
            self.failures.append(f"{url}: HTTP {response.status if response else '?'}")
            return []
        if not response.headers.get("content-type", "").startswith("text/html"):
            return []
        self.visited.append(url)
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 900})
            await page.wait_for_timeout(150)  # Vega re-lays out charts to their container
            box = await page.evaluate(OVERFLOW_JS)
            if box["scroll"] > box["inner"]:
                self.failures.append(f"{url} @{width}px: page is {box['scroll']} px wide "
                                     f"({', '.join(box['wide'])})")
            options = {"runOnly": {"type": "tag", "values": WCAG},
                       "resultTypes": ["violations"]}
            for v in (await Axe().run(page, options=options)).response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    nodes = "; ".join(n["target"][0] if n["target"] else "?"
                                      for n in v["nodes"][:3])
                    self.failures.append(f"{url} @{width}px: {v['id']} ({v['impact']}): "
                                         f"{nodes}")
        await page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        return list(await page.evaluate(LINKS_JS))

    async def run(self, starts: list[str]) -> None:
        """Breadth first from ``starts`` until no page links to an unseen one."""
        from playwright.async_api import async_playwright

        queued = set(starts)
        frontier = list(starts)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                               headless=True)
            context = await browser.new_context(locale="it-IT",
                                                viewport={"width": WIDTHS[0], "height": 900})
            tabs: asyncio.Queue[Any] = asyncio.Queue()
            for _ in range(TABS):
                tabs.put_nowait(await context.new_page())

            async def one(url: str) -> list[str]:
                page = await tabs.get()
                try:
                    return await self.visit(page, url)
                finally:
                    tabs.put_nowait(page)

            for url in frontier:
                self.kinds[_kind(url)] = self.kinds.get(_kind(url), 0) + 1
            while frontier:
                found = await asyncio.gather(*(one(u) for u in frontier))
                frontier = []
                for href in (h for links in found for h in links):
                    link = _page_link(href)
                    if link is None or link in queued:
                        continue
                    queued.add(link)
                    kind = _kind(link)
                    if self.kinds.get(kind, 0) < PER_TYPE:
                        self.kinds[kind] = self.kinds.get(kind, 0) + 1
                        frontier.append(link)
                assert len(queued) < MAX_PAGES, f"the crawl found over {MAX_PAGES} pages"
            await context.close()
            await browser.close()


def _kind(url: str) -> tuple[str, str]:
    """(language, page type) of a page's path and query."""
    parts = urlsplit(url)
    return url.strip("/").split("/")[0], page_type(parts.path, parts.query)


def _page_link(href: str) -> str | None:
    """``href`` as a path and query on this site when it is a public HTML page."""
    p = urlsplit(href)
    # Pages end with "/"; files (CSV, JSON, SVG, PNG, PDF) have an extension.
    if (not p.path.endswith("/") or p.path.startswith(SKIP_PREFIXES)
            or p.path.strip("/").split("/")[0] not in ("it", "en")):
        return None
    return p.path + (f"?{p.query}" if p.query else "")


def test_every_page_type_fits_both_widths_and_passes_axe(served_site: str) -> None:
    from django.urls import reverse
    from django.utils import translation

    starts = []
    for lang in ("it", "en"):
        with translation.override(lang):
            starts += [f"/{lang}/", reverse("site:search") + "?q=ICT"]
    crawl = Crawl(served_site)
    asyncio.run(crawl.run(starts))
    assert crawl.failures == [], "\n".join(crawl.failures)
    for lang in ("it", "en"):
        kinds = {k for (lg, k) in crawl.kinds if lg == lang}
        # The crawl reached the kinds of page a visitor reads (not only the home page).
        for kind in ("plans:edition?", "plans:node?", "plans:node?tab", "plans:indicator?",
                     "sectors:sector?", "sectors:compare?indicator", "site:search?q",
                     "site:help?", "reports:report?"):
            assert kind in kinds, (lang, kind, sorted(kinds))
    assert len(crawl.visited) == len(crawl.kinds)  # one page of each type and language
