"""Compare a regional indicator across regions: every province ranked with the plan's focus
highlighted, and the regions a reader picks, in a data table that needs no JavaScript.

Location quotients are recomputed here from the shipped Eurostat file with pandas, as
(J / TOTAL in the province) / (J / TOTAL in Italy), sharing no code with the portal."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from innesto.datasets import DATA_DIR, ITALY_FILE

URL = "/en/compare/?indicator=2006/lq-ict"
MILANO = "ITC4C"  # a province of the NUTS 2016 table, picked by the reader in this test


def _lq(year: str) -> pd.Series:
    df = pd.read_parquet(DATA_DIR / ITALY_FILE)
    df = df[df["time"] == year].pivot_table(index="region", columns="industry", values="value")
    share = df["J"] / df["TOTAL"]
    return share / share["IT"]


def test_the_index_lists_the_plans_regional_indicators(torino_plan: Any, client: Client) -> None:
    html = client.get("/en/compare/").content.decode()
    assert "?indicator=2006/lq-ict" in html and "?sector=ict&amp;measure=lq" in html


def test_every_province_ranked_with_the_focus_highlighted(torino_plan: Any, client: Client) -> None:
    data = client.get("/en/compare/chart/ranking.json?indicator=2006/lq-ict").json()["data"]
    year = "2017"  # the latest year of the shipped table with provincial detail
    lq = _lq(year)
    provinces = [r for r in lq.index if len(r) == 5 and not r.endswith("ZZZ") and pd.notna(lq[r])]
    assert len(data) == len(provinces)
    by_code = {r["region"]: r for r in data}
    assert by_code[MILANO]["value"] == pytest.approx(lq[MILANO], rel=1e-9)
    focus = "ITC11"  # the region the example plan's bindings name
    assert by_code[focus]["rank"] == 1 + sum(lq[p] > lq[focus] for p in provinces)
    spec = client.get("/en/compare/chart/ranking.vl.json?indicator=2006/lq-ict").json()
    assert "datum.focus" in str(spec)  # the focus drawn apart (colour and a mark)


def test_picked_regions_in_a_table_without_javascript(torino_plan: Any, client: Client) -> None:
    html = client.get(f"{URL}&regions=ITC11&regions={MILANO}").content.decode()
    assert 'id="chart-ranking"' in html and 'id="chart-lines"' in html
    assert f'<option value="{MILANO}" selected>' in html
    assert 'name="q" value=""' in html  # the site's search box is not filled with the query
    rows = client.get(f"/en/compare/chart/lines.json?indicator=2006/lq-ict&regions=ITC11"
                      f"&regions={MILANO}").json()["data"]
    assert {r["region"] for r in rows} == {"ITC11", MILANO}
    mil = {r["time"]: r["value"] for r in rows if r["region"] == MILANO}
    assert mil["2010"] == pytest.approx(_lq("2010")[MILANO], rel=1e-9)
    # The data table is in the HTML itself, with Milano's 2010 value (3 decimals, en).
    assert f"{_lq('2010')[MILANO]:.2f}" in html


def test_unknown_indicator_or_region_is_not_an_error(torino_plan: Any, client: Client) -> None:
    assert client.get("/en/compare/?indicator=2006/nope").status_code == 404
    r = client.get(f"{URL}&regions=XX99&regions=<script>")
    assert r.status_code == 200 and b"<script>&" not in r.content


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_sectors_catalog_is_compiled_from_its_po(lang: str) -> None:
    """The compare, opportunities and share strings live in the sectors app's catalog."""
    from pathlib import Path

    import polib

    import innesto.portal.sectors as app

    folder = Path(app.__file__).parent / "locale" / lang / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    assert all(e.msgstr for e in po)
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po}


@pytest.mark.parametrize("query", ["indicator=2006/lq-ict&regions=ITC11&regions=ITC4C",
                                   "sector=ict&measure=lq"])
def test_a_chart_alone_is_the_chart_of_the_page(query: str, torino_plan: Any,
                                                client: Client, rf: Any) -> None:
    """A chart's files and embed page compute only that chart: the same data, spec, table
    and links as the chart the whole page builds (the page's European ranking included)."""
    from django.utils.html import escape

    from innesto.portal.sectors.compare_views import _build

    with translation.override("en"):
        page = _build(rf.get("/en/compare/?" + query))["charts"]
    assert {"ranking", "lines"} <= set(page)
    for slug, chart in page.items():
        assert client.get(f"/en/compare/chart/{slug}.json?{query}").json() == chart.json_data()
        assert client.get(f"/en/compare/chart/{slug}.vl.json?{query}").json() == chart.spec
        assert client.get(f"/en/compare/chart/{slug}.csv?{query}").content.decode() == \
            chart.csv_text()
        embed = client.get(f"/en/compare/chart/{slug}/embed/?{query}").content.decode()
        assert escape(chart.title) in embed and escape(chart.links["csv"]) in embed


def test_the_ranking_names_regions_in_the_language_of_each_page(torino_plan: Any,
                                                                client: Client) -> None:
    """The ranking is kept in the shared cache; its rows name the site's regions, so an
    Italian visitor first must not give an English page the Italian names (site.yaml of
    the example: ITC11 is "Torino" in Italian, "Turin" in English)."""
    def focus_name(lang: str) -> str:
        with translation.override(lang):
            url = reverse("sectors:compare-chart", kwargs={"slug": "ranking", "fmt": "json"})
        data = client.get(f"{url}?indicator=2006/lq-ict").json()
        return next(r["name"] for r in data["data"] if r["region"] == "ITC11")

    assert focus_name("it") == "Torino (ITC11)"
    assert focus_name("en") == "Turin (ITC11)"
    assert focus_name("it") == "Torino (ITC11)"
