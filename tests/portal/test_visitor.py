"""A visitor on a phone (issue 12 proof): reads the status board of an edition, filters it,
and opens a sector's headline card to its chart, in headless Chromium on the live site."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_reads_the_status_board_and_opens_a_headline_card(
        site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/en/plan/2006/", wait_until="networkidle", timeout=120_000)
    board = page.locator("#board")
    assert board.get_by_role("heading", name="The plan at a glance").is_visible()
    # examples/torino 2006: 16 nodes (2 axes shown here and their objectives and projects).
    assert "Showing 16 parts of the plan out of 16." in board.inner_text()
    row = board.locator("tr", has=page.get_by_role("link", name="Industrial transformation"))
    text = row.inner_text()
    assert any(w in text for w in ("On track", "Progressing, but too slowly",
                                   "Far from the target", "Getting worse", "No data yet"))
    assert "% of the labour force, 2015" in text  # its headline indicator: unemployment
    # The board scrolls inside its own region, never the page.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # Filter by sector: only the ICT part of the plan and what it holds.
    page.select_option("#f-sector", "ict")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    assert "sector=ict" in page.url
    shown = page.locator("#board tbody tr").count()
    assert 0 < shown < 16
    assert f"Showing {shown} part" in page.locator("#board").inner_text()
    # The method is one click away.
    page.get_by_role("link", name="How the status is calculated").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/en/help/#status")

    # A sector page opens with its headline cards; the card leads to the chart and its data.
    page.goto(site + "/en/sectors/ict/", wait_until="networkidle", timeout=120_000)
    card = page.locator("#card-quantity")
    assert card.is_visible() and "48,000" in card.inner_text()  # ICT in Turin, 2017
    assert "Change since 2006" in card.inner_text()
    card.get_by_role("link", name="See the chart and its data").click()
    assert page.url.endswith("#chart-employment")
    page.locator("#chart-employment .chart-table summary").click()
    region = page.locator("#chart-employment .chart-table [role=region]")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    it = page.goto(site + "/it/settori/ict/", wait_until="networkidle", timeout=120_000)
    assert it is not None and "48.000" in page.locator("#card-quantity").inner_text()
