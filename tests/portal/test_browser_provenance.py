"""In headless Chromium against the live Torino site: every figure of a sector page shows
its source line, the CSV a visitor downloads carries unit, source and licence, and an
illustrative figure is marked as such in Italian and in English."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_each_sector_figure_has_a_visible_source_line(site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.set_default_timeout(180_000)  # the first visit builds every chart
    for url in ("/en/sectors/automotive/", "/it/settori/aerospace/"):
        page.goto(site + url, wait_until="networkidle")
        figures = page.locator("figure.chart")
        assert figures.count() >= 4, url
        for i in range(figures.count()):
            line = figures.nth(i).locator(".source-line")
            assert line.count() == 1 and line.is_visible(), (url, i)
            assert "Eurostat" in line.inner_text()
        finer = page.locator("section[data-finer] .source-line")
        assert finer.is_visible() and "sbs_r_nuts06_r2" in finer.inner_text()


def test_the_downloaded_csv_has_unit_source_and_licence(site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.set_default_timeout(180_000)  # the first visit builds every chart
    page.goto(site + "/en/sectors/ict/", wait_until="networkidle")
    with page.expect_download() as info:
        page.locator("#chart-lq .downloads").get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert rows and {"unit", "source", "licence"} <= set(rows[0])
    assert rows[0]["source"] == "Eurostat" and rows[0]["licence"] == "CC BY 4.0"
    assert rows[0]["proxy"] == "true"


def test_illustrative_figures_are_marked_in_both_languages(site: str,
                                                           chromium_page: Any) -> None:
    page = chromium_page
    page.set_default_timeout(180_000)  # the first visit builds every chart
    page.goto(site + "/en/plan/2006/indicators/share-ict/", wait_until="networkidle")
    text = page.locator("main").inner_text()
    assert "Illustrative figure" in text and "rests on illustrative figures" in text
    page.goto(site + "/it/piano/2006/indicatori/share-ict/", wait_until="networkidle")
    text = page.locator("main").inner_text()
    assert "Dato illustrativo" in text and "si basa su dati illustrativi" in text
