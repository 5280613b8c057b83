"""What a visitor does with comparisons, embeds and topics, in headless Chromium against
the live site with the Torino plan: compare the plan's focus region with Milano, copy a
chart's embed code and load it in a blank page, follow a sector and receive its
newsletter on the in-process SMTP server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.engage.helpers import link_path
from tests.portal.engage.smtp import smtp_server, text_part  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

MILANO = "ITC4C"  # NUTS 2016 code of the province of Milano


def test_compare_the_focus_region_with_milano(site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.set_default_timeout(120_000)  # the first render of each chart is slow on a busy machine
    page.goto(site + "/en/sectors/ict/")
    page.get_by_role("link", name="Compare with other regions").click()
    page.wait_for_url("**/en/compare/**")
    picked = page.eval_on_selector_all("#compare-regions option:checked", "os => os.map(o => o.value)")
    assert "ITC11" in picked  # the plan's focus region is picked first
    page.select_option("#compare-regions", [*picked, MILANO])
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url(f"**regions={MILANO}**")
    # The data tables need no script: open the picked regions' table and read Milano's rows.
    lines = page.locator("#chart-lines")
    lines.locator("summary").first.click()
    table = lines.locator("table").inner_text()
    assert "Milano" in table and "(ITC11)" in table
    ranking = page.locator("#chart-ranking")
    assert "ranks" in ranking.locator(".chart-description").inner_text()


def test_copy_an_embed_code_and_load_it_in_a_blank_page(site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.set_default_timeout(120_000)  # the first render of each chart is slow on a busy machine
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + "/en/sectors/ict/")
    share = page.locator("#chart-lq .chart-share")
    share.locator("summary").click()
    share.get_by_role("button", name="Copy the embed code").click()
    # the page says "Copied" when the clipboard's promise resolves, after the click
    # returns: wait for it rather than read it at once
    from playwright.sync_api import expect

    expect(share.get_by_role("status")).to_have_text("Copied", timeout=120_000)
    code = page.evaluate("navigator.clipboard.readText()")
    assert code.startswith("<iframe") and "/chart/lq/embed/" in code

    blank = page.context.new_page()
    blank.set_content(f"<!DOCTYPE html><html><body><h1>Elsewhere</h1>{code}</body></html>")
    frame = blank.frame_locator("iframe")
    assert "Location quotient" in frame.locator("figcaption").inner_text()
    assert "Eurostat" in frame.locator("figure").inner_text()  # the source line travels along


def test_follow_a_sector_and_receive_its_newsletter(site: str, chromium_page: Any,
                                                    smtp_server: Any,  # noqa: F811
                                                    settings: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from innesto.portal.engage import sender
    from innesto.portal.engage.models import MailingList, Newsletter

    settings.ENGAGE_MIN_SUBMIT_SECONDS = 0
    # Playwright's sync API runs an event loop in this thread; the staff side of the test
    # (composing and sending the newsletter) uses the ORM here, outside any request.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page = chromium_page
    page.set_default_timeout(120_000)  # the first render of each chart is slow on a busy machine
    page.goto(site + "/en/sectors/ict/")
    page.get_by_role("link", name="Follow ICT by e-mail").click()
    ticked = page.locator("input[name=lists]:checked")
    assert ticked.count() == 1
    assert "Sector: ICT" in page.locator(f"label[for='{ticked.get_attribute('id')}']").inner_text()
    page.get_by_label("E-mail address").fill("reader@example.org")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/check-your-inbox/")

    smtp_server.recorder.wait_for(1)
    [confirmation] = smtp_server.to("reader@example.org")
    page.goto(site + link_path(text_part(confirmation), "/en/"))
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.wait_for_load_state()

    ict = MailingList.objects.get(kind="sector", ref="ict")
    news = Newsletter.objects.create(mailing_list=ict, subject_it="ICT: novità",
                                     subject_en="ICT: news", body_it="Corpo.",
                                     body_en="What is new in ICT.")
    assert sender.queue(news) == 1
    assert sender.run(batch_size=10) == {"sent": 1}
    [_, letter] = smtp_server.to("reader@example.org")
    assert letter["Subject"] == "ICT: news" and "What is new in ICT." in text_part(letter)
