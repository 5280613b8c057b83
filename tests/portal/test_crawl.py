"""The whole public site, crawled as a visitor would on a phone and on a desktop, in both
languages: no page scrolls sideways (``document.documentElement.scrollWidth <= innerWidth``)
at 390 px or at 1280 px, on a phone every form's labels sit above their controls, and
axe-core finds no serious or critical WCAG 2.x A/AA violation
(every rule tagged ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa`` or ``wcag22aa``, none
disabled).

The crawl starts at each language's home page and search, and follows every same-site link
to an HTML page (every page's address ends with ``/``; files have an extension) until no
new one is found. EVERY page found is checked, in both languages, at both widths: this is
the issue's "zero serious or critical axe-core violations on every page at 390 px and
1280 px in both languages". Every ``<details>`` is opened first, as a visitor may (the data
tables, the share and embed codes), so what it holds is checked too.

To be affordable on a small machine:

- the site is served once for the module by gunicorn from a separate instance holding the
  Torino example (pages cached as in production), its database a copy of the migrated
  template (:meth:`Instance.migrate`);
- one headless Chromium crawls with :data:`TABS` tabs of one context (one HTTP cache, so
  the stylesheet, scripts and the Vega bundle are fetched once), each tab taking the next
  page from a shared queue (no tab waits for the others);
- each page is loaded once and checked at both widths by resizing the viewport (the
  stylesheet's media queries apply on resize, and Vega re-lays out the charts to their
  container); a tab checks at the width it was left at first, then at the other one, so
  no resize is spent going back;
- axe-core is injected once per page, runs only the WCAG A/AA rules (not the best-practice
  ones) and hands back only the serious and critical violations; what it made of each
  CSS colour string is remembered for the page (:data:`~tests.portal.browser.AXE_COLOR_MEMO_JS`,
  the same results, checked by ``test_axe_memo.py``).
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.portal.browser import (
    ARGS,
    AXE_COLOR_MEMO_JS,
    AXE_OPTIONS,
    CHARTS_DRAWN_JS,
    CHROMIUM,
    OPEN_DETAILS_JS,
    axe_source,
    require_browser,
)
from tests.portal.engage.instance import Instance

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)
TABS = 4  # pages open at once in the one browser
MAX_PAGES = 3000  # both languages; the crawl fails rather than stop silently past it
SKIP_PREFIXES = ("/api/", "/backoffice/", "/admin/", "/static/", "/vendor/", "/i18n/")
#: The links of the pages, their <a href>s, as absolute paths on this site.
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""
#: Two animation frames: the layout after a resize has been computed and painted.
SETTLE_JS = """() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"""
#: The page's width and the window's; the elements sticking out are looked for (every
#: element's box measured) only when the page is wider than the window.
OVERFLOW_JS = """() => {
  const scroll = document.documentElement.scrollWidth, inner = window.innerWidth;
  const wide = scroll <= inner ? [] : Array.from(document.querySelectorAll('body *'))
    .filter(e => { const r = e.getBoundingClientRect(); return r.right > inner + 1 && r.width > 0; })
    .slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id);
  return {scroll, inner, wide};
}"""
#: On a phone, the labels that do not sit above their control (a checkbox or radio button
#: keeps its label beside it; hidden fields have no box).
LABELS_JS = """() => Array.from(document.querySelectorAll('label[for]')).filter(l => {
  const c = document.getElementById(l.htmlFor);
  if (!c || c.type === 'checkbox' || c.type === 'radio') return false;
  const a = l.getBoundingClientRect(), b = c.getBoundingClientRect();
  return a.width > 0 && b.width > 0 && a.bottom > b.top + 1;
}).map(l => l.htmlFor)"""
#: axe-core over the document with the WCAG A/AA rules; only serious and critical
#: violations come back (id, impact, the first three elements).
AXE_JS = """(options) => axe.run(document, options).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact,
              nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"""


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
    inst = Instance(base, INNESTO_CACHE_SECONDS="600",
                    INNESTO_REPORT_RENDERS_PER_CLIENT=str(TABS))
    proc = None
    try:
        inst.migrate()  # a copy of the migrated template database (instance.py)
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
    axe: str
    #: every HTML page checked, at both widths
    visited: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: every page address found (HTML or not)
    queued: set[str] = field(default_factory=set)
    #: addresses found that answer something else than HTML
    others: list[str] = field(default_factory=list)
    #: the width each tab was left at
    widths: dict[int, int] = field(default_factory=dict)

    async def load(self, page: Any, url: str) -> Any:
        response = await page.goto(self.site + url, wait_until="load", timeout=180_000)
        for _ in range(60):  # a report being prepared answers 503 (or 429) with Retry-After
            if response is not None and response.status not in (429, 503):
                break
            await page.wait_for_timeout(2000 if response is not None else 0)
            response = await page.reload(wait_until="load", timeout=180_000)
        return response

    async def visit(self, page: Any, url: str) -> list[str]:
        """Open ``url``, check it at both widths; return the pages it links to."""
        response = await self.load(page, url)
        if response is None or response.status != 200:
            self.failures.append(f"{url}: HTTP {response.status if response else '?'}")
            return []
        if not response.headers.get("content-type", "").startswith("text/html"):
            self.others.append(url)
            return []
        self.visited.append(url)
        await page.wait_for_function(CHARTS_DRAWN_JS, timeout=60_000)
        links = list(await page.evaluate(LINKS_JS))
        # What a visitor can open is checked open: data tables, share and embed codes.
        await page.evaluate(OPEN_DETAILS_JS)
        await page.evaluate(self.axe)
        await page.evaluate(AXE_COLOR_MEMO_JS)
        first = self.widths.get(id(page), WIDTHS[0])
        for width in sorted(WIDTHS, key=lambda w: w != first):
            if width != self.widths.get(id(page), WIDTHS[0]):
                await page.set_viewport_size({"width": width, "height": 900})
                self.widths[id(page)] = width
            await page.evaluate(SETTLE_JS)
            if await page.locator(".vega-view").count():
                await page.wait_for_timeout(150)  # Vega re-lays out charts to their container
            box = await page.evaluate(OVERFLOW_JS)
            if box["scroll"] > box["inner"]:
                self.failures.append(f"{url} @{width}px: page is {box['scroll']} px wide "
                                     f"({', '.join(box['wide'])})")
            if width < 600:
                for control in await page.evaluate(LABELS_JS):
                    self.failures.append(f"{url} @{width}px: the label of #{control} is "
                                         "not above it")
            for v in await page.evaluate(AXE_JS, AXE_OPTIONS):
                self.failures.append(f"{url} @{width}px: {v['id']} ({v['impact']}): "
                                     f"{'; '.join(v['nodes'])}")
        return links

    async def run(self, starts: list[str]) -> None:
        """From ``starts`` until no page links to an unseen one, :data:`TABS` at a time."""
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        queued = self.queued
        queued.update(starts)
        todo: asyncio.Queue[str] = asyncio.Queue()
        for url in starts:
            todo.put_nowait(url)

        async def tab(page: Any) -> None:
            while True:
                url = await todo.get()
                try:
                    for href in await self.visit(page, url):
                        link = _page_link(href)
                        if link is not None and link not in queued:
                            queued.add(link)
                            assert len(queued) < MAX_PAGES, f"over {MAX_PAGES} pages found"
                            todo.put_nowait(link)
                except PlaywrightError as exc:  # a page that does not load or times out
                    self.failures.append(f"{url}: {type(exc).__name__}: {exc}")
                finally:
                    todo.task_done()

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                               headless=True)
            context = await browser.new_context(locale="it-IT",
                                                viewport={"width": WIDTHS[0], "height": 900})
            workers = [asyncio.create_task(tab(await context.new_page()))
                       for _ in range(TABS)]
            done = asyncio.create_task(todo.join())
            # A tab stops only on an error of the test itself: raise it, do not hang.
            await asyncio.wait([done, *workers], return_when=asyncio.FIRST_COMPLETED)
            for w in workers:
                if w.done():
                    w.result()
                w.cancel()
            await context.close()
            await browser.close()


def _page_link(href: str) -> str | None:
    """``href`` as a path and query on this site when it is a public HTML page."""
    p = urlsplit(href)
    # Pages end with "/"; files (CSV, JSON, SVG, PNG, PDF) have an extension.
    if (not p.path.endswith("/") or p.path.startswith(SKIP_PREFIXES)
            or p.path.strip("/").split("/")[0] not in ("it", "en")):
        return None
    return p.path + (f"?{p.query}" if p.query else "")


def test_every_page_fits_both_widths_and_passes_axe(served_site: str) -> None:
    from django.urls import reverse
    from django.utils import translation

    starts = []
    for lang in ("it", "en"):
        with translation.override(lang):
            starts += [f"/{lang}/", reverse("site:search") + "?q=ICT"]
    crawl = Crawl(served_site, axe_source())
    asyncio.run(crawl.run(starts))
    kinds = Counter((url.strip("/").split("/")[0],
                     page_type(urlsplit(url).path, urlsplit(url).query))
                    for url in crawl.visited)
    print(f"\ncrawl: {len(crawl.visited)} pages checked at {WIDTHS} px:",
          json.dumps({f"{lg} {k}": n for (lg, k), n in sorted(kinds.items())}, indent=1))
    assert crawl.failures == [], f"{len(crawl.failures)} failures:\n" + "\n".join(
        sorted(crawl.failures))
    for lang in ("it", "en"):
        found = {k for (lg, k) in kinds if lg == lang}
        # The crawl reached the kinds of page a visitor reads (not only the home page).
        for kind in ("plans:edition?", "plans:node?", "plans:node?tab", "plans:indicator?",
                     "sectors:sector?", "sectors:compare?indicator", "site:search?q",
                     "site:help?", "reports:report?"):
            assert kind in found, (lang, kind, sorted(found))
    # Every page found was checked, not one per kind.
    assert sorted(crawl.visited + crawl.others) == sorted(crawl.queued)
    assert kinds[("it", "plans:node?")] > 1 and kinds[("en", "plans:node?")] > 1
