"""Headless Chromium for the portal's browser tests (Debian's /usr/bin/chromium).

Tests using :func:`chromium_page` are marked ``browser``; they skip with a reason when the
browser is missing and fail instead under ``INNESTO_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("INNESTO_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: True once every chart is drawn: charts.js puts a Vega view beside the static image
#: and, once drawn, leaves the view alone (or, if Vega fails, the image alone).
CHARTS_DRAWN_JS = """() => !Array.from(document.querySelectorAll('.vega-target'))
  .some(t => t.querySelector('img') && t.querySelector('.vega-view'))"""
#: Every ``<details>`` opened (the data tables, the share and embed codes).
OPEN_DETAILS_JS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
#: Remember, for the page, what axe-core's ``Color.parseString`` made of each CSS colour
#: string. ``color-contrast`` parses the text and background colour of every element of
#: every background stack through colorjs.io (gamut mapping included): on a sector page
#: with its data tables open, about 30% of the rule's time went to parsing the same few
#: strings again (Chrome's profiler, docs/testing.md). ``parseString`` is a function of
#: the string alone (it sets ``r``, ``g``, ``b`` and ``alpha`` and returns the colour), so
#: a string seen before gets the same four values set by the same setters; a string that
#: fails to parse is never remembered and fails as before.
#: ``tests/portal/test_axe_memo.py`` checks that every result of the rule is the same.
AXE_COLOR_MEMO_JS = """() => {
  const proto = axe.commons.color.Color.prototype;
  if (proto.parseString.remembers) return;
  const parse = proto.parseString, seen = new Map();
  const stats = window.__axeColorMemo = {hits: 0, misses: 0};
  const remembered = function (text) {
    const known = seen.get(text);
    if (known === undefined) {
      stats.misses += 1;
      const out = parse.call(this, text);
      seen.set(text, [this.r, this.g, this.b, this.alpha]);
      return out;
    }
    stats.hits += 1;
    [this.r, this.g, this.b, this.alpha] = known;
    return this;
  };
  remembered.remembers = true;
  proto.parseString = remembered;
}"""


def require_browser() -> None:
    if CHROMIUM.exists():
        return
    msg = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("INNESTO_REQUIRE_BROWSER") == "1":
        pytest.fail(msg + " (INNESTO_REQUIRE_BROWSER=1)")
    pytest.skip(msg)


@pytest.fixture
def chromium_page() -> Iterator[Any]:
    """A fresh page in headless Chromium (no network beyond the live server)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(accept_downloads=True, locale="it-IT")
        page = context.new_page()
        # A timeout here only catches a page or element that never comes; it is not a
        # check of speed (tests have no timings). Under the parallel run, on two cores
        # shared with other work, Playwright's 30 s default failed pages that loaded.
        page.set_default_timeout(180_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


#: The options of every axe-core run: the WCAG 2.x A/AA rules (not the best-practice ones),
#: only violations reported in full.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}


@functools.cache
def axe_source() -> str:
    """axe-core's script, as the pinned axe-playwright-python ships it."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the current page (all impacts), run as the
    crawl runs it: the script injected, colour parsing remembered, :data:`AXE_OPTIONS`."""
    page.evaluate(axe_source())
    page.evaluate(AXE_COLOR_MEMO_JS)
    return list(page.evaluate("(o) => axe.run(document, o).then(r => r.violations)",
                              AXE_OPTIONS))
