"""What a visitor does, in headless Chromium against the live site with the Torino plan:
axe-core finds no WCAG 2.2 A/AA violation on any page type in either language, the
keyboard reaches everything with a visible focus, and a visitor switches language, opens a
sector, reads a chart's data table and downloads a CSV whose numbers are the engine's."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.portal.browser import axe_violations

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "it": ["/it/", "/it/piano/", "/it/piano/2006/", "/it/piano/2006/industrial-transformation/",
           "/it/piano/2006/industrial-transformation/?tab=project",
           "/it/piano/2006/industrial-transformation/innovation/mirafiori-reconversion/",
           "/it/piano/2006/indicatori/lq-manufacturing/", "/it/settori/", "/it/settori/ict/",
           "/it/settori/ict/grafico/lq/incorpora/",
           "/it/piano/2006/media/chiamparino-message/", "/it/aiuto/", "/it/accessibilita/",
           "/it/cerca/?q=aerospazio"],
    "en": ["/en/", "/en/plan/", "/en/plan/2006/", "/en/plan/2006/industrial-transformation/",
           "/en/plan/2006/industrial-transformation/?tab=project",
           "/en/plan/2006/industrial-transformation/innovation/mirafiori-reconversion/",
           "/en/plan/2006/indicators/lq-manufacturing/", "/en/sectors/", "/en/sectors/ict/",
           "/en/sectors/ict/chart/lq/embed/",
           "/en/plan/2006/media/chiamparino-message/", "/en/help/", "/en/accessibility/",
           "/en/search/?q=aerospace"],
}


def test_axe_finds_no_violation_on_any_page_type_in_both_languages(
        site: str, chromium_page: Any) -> None:
    page = chromium_page
    failures = []
    for lang, urls in PAGE_TYPES.items():
        for url in urls:
            response = page.goto(site + url, wait_until="networkidle")
            assert response is not None and response.status == 200, url
            assert page.get_attribute("html", "lang") == lang
            for v in axe_violations(page):
                nodes = "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
                failures.append(f"{url}: {v['id']} ({v['impact']}): {nodes}")
    assert failures == []


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(
        site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.goto(site + "/en/sectors/ict/", wait_until="networkidle")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    # Every link and control is reachable with Tab, in order, and the data tables open.
    seen: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        tag = page.evaluate("document.activeElement.tagName + '|' + "
                            "(document.activeElement.textContent || '').trim().slice(0, 40)")
        if tag.startswith("BODY") or page.evaluate(
                "document.activeElement.className") == "skip-link":  # wrapped around
            break
        seen.append(tag)
        if tag.startswith("SUMMARY"):
            page.keyboard.press("Enter")
    assert any(t.startswith("SUMMARY|") for t in seen)
    assert page.locator("details[open] table").count() >= 1
    assert any(t.startswith("A|CSV") for t in seen)


def test_a_visitor_switches_language_opens_a_sector_reads_the_table_and_downloads_csv(
        site: str, chromium_page: Any) -> None:
    """Identity: the downloaded employment CSV equals innesto.datasets.employment_italy()
    for J (ICT) in ITC11, ITC1 and IT."""
    from innesto import datasets

    page = chromium_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site + "/it/", wait_until="networkidle")
    page.get_by_role("link", name="english version").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/en/") and page.get_attribute("html", "lang") == "en"
    page.get_by_role("link", name="ICT", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert "/en/sectors/ict/" in page.url
    # The interactive chart replaced the static SVG, under a script policy without
    # 'unsafe-eval' (Vega's expression interpreter), and nothing was refused.
    page.wait_for_selector("#chart-employment .vega-target [role=img] svg")
    assert "'unsafe-eval'" not in (page.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))") or "")
    assert not [e for e in errors if "Content Security Policy" in e or "eval" in e], errors
    page.locator("#chart-employment details.chart-table summary").click()
    cells = page.locator("#chart-employment table tbody tr").first.locator("th, td")
    assert cells.count() == 5  # year, place, region code, persons, index
    with page.expect_download() as info:
        page.locator("#chart-employment .downloads").get_by_role(
            "link", name="CSV", exact=True).click()
    text = open(info.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    df = datasets.employment_italy().filter(region=["ITC11", "ITC1", "IT"],
                                            industry="J").dropna().to_pandas()
    want = {(str(r.region), str(r.time)): float(r.value) for r in df.itertuples()}
    got = {(r["region"], r["time"]): float(r["employment"]) for r in rows if r["employment"]}
    assert got == want and len(got) > 40
    # Back to Italian on the same page.
    page.get_by_role("link", name="italiano").click()
    page.wait_for_load_state("networkidle")
    assert "/it/settori/ict/" in page.url


def test_without_javascript_charts_are_images_and_tables_still_open(
        site: str, chromium_page: Any) -> None:
    browser = chromium_page.context.browser
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/it/settori/automotive/", wait_until="networkidle")
        img = page.locator("#chart-lq img")
        assert img.get_attribute("alt")
        assert page.evaluate("document.querySelector('#chart-lq img').naturalWidth") > 0
        page.locator("#chart-lq details.chart-table summary").click()
        assert page.locator("#chart-lq details[open] table tbody tr").count() > 10
        page.goto(site + "/it/piano/2006/industrial-transformation/", wait_until="networkidle")
        page.get_by_role("link", name="Opportunità e progetti").click()
        assert "tab=project" in page.url
        assert page.get_by_role("link", name="Riconversione di Mirafiori").count() == 1
    finally:
        context.close()
