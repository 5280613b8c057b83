"""Headless Chromium for the portal's browser tests (Debian's /usr/bin/chromium).

Tests using :func:`chromium_page` are marked ``browser``; they skip with a reason when the
browser is missing and fail instead under ``INNESTO_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("INNESTO_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


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


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return list(results.response["violations"])
