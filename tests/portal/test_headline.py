"""Headline cards on a sector page and the freshness line on every page with data
(issue 12 items 1 and 4). The numbers are pinned from the Torino plan file and the
shipped Eurostat table, recomputed here by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from innesto.portal.site.freshness import Freshness, freshness


def _persons(region: str, year: str) -> float:
    from innesto import datasets

    df = datasets.employment_italy().filter(region=region, industry="J", time=year).to_pandas()
    return float(df["value"].iloc[0])


def test_the_ict_card_gives_latest_value_change_since_the_plan_and_italy(
        torino_plan: Any, client: Client) -> None:
    # examples/torino/editions/2006.yaml: emp-ict baseline 41,300 persons in 2006 (the plan
    # that first names the ICT sector); Eurostat's 2017 value for ITC11 is 48,000.
    assert _persons("ITC11", "2006") == 41300.0 and _persons("ITC11", "2017") == 48000.0
    it_change = _persons("IT", "2017") / _persons("IT", "2006") - 1
    html = client.get("/en/sectors/ict/").content.decode()
    card = html[html.index('id="card-quantity"'):html.index('id="card-lq"')]
    assert '<p class="big">48,000</p>' in card and "in 2017" in card
    assert "<dt>Change since 2006</dt><dd>+16.2%</dd>" in card  # 48000 / 41300 - 1
    assert f"<dt>Italy, same years</dt><dd>+{100 * it_change:.1f}%</dd>" in card
    assert "Eurostat, nama_10r_3empers" in card and "<dt>Data year</dt><dd>2017</dd>" in card
    # The cards open the page, before the charts.
    assert html.index('id="h-headline"') < html.index('id="chart-employment"')
    it = client.get("/it/settori/ict/").content.decode()
    assert '<p class="big">48.000</p>' in it and "<dd>+16,2%</dd>" in it
    assert "Variazione dal 2006" in it


def test_every_page_with_data_states_its_period_refresh_and_age(
        torino_plan: Any, client: Client, settings: Any) -> None:
    # The latest Eurostat year in the shipped table is 2017 (torino-facts: "the latest data
    # year is 2017 and nothing says so").
    settings.INNESTO_DATA_MAX_AGE_YEARS = 3
    for url in ("/en/sectors/ict/", "/en/plan/2006/", "/en/plan/2006/indicators/lq-ict/"):
        html = client.get(url).content.decode()
        assert "Latest data: 2017." in html or "Latest data: 2022." in html, url
        assert "Last refreshed on " in html, url
    # Compare pages draw the shipped table's provinces: its latest year, flagged as old.
    for url in ("/en/compare/?indicator=2006/lq-ict&regions=ITC11&regions=ITC4C",
                "/en/compare/?sector=ict&measure=lq", "/it/confronta/?sector=ict&measure=lq"):
        html = client.get(url).content.decode()
        assert ("Latest data: 2017." in html or "Dati più recenti: 2017." in html), url
        assert "Last refreshed on " in html or "Ultimo aggiornamento il " in html, url
        assert 'class="stale"' in html, url
    settings.INNESTO_DATA_MAX_AGE_YEARS = 100
    assert "Old data" not in client.get("/en/sectors/ict/").content.decode()


def test_freshness_flags_data_older_than_the_configured_age(settings: Any) -> None:
    settings.INNESTO_DATA_MAX_AGE_YEARS = 2
    f = freshness("2017-Q3", None, today=date(2020, 6, 1))
    assert isinstance(f, Freshness) and f.age == 3 and f.stale
    assert not freshness("2018", None, today=date(2020, 6, 1)).stale  # type: ignore[union-attr]
    assert freshness("", None) is None


def test_dates_are_unambiguous_and_milestones_in_date_order(tiny_plan: Any,
                                                            client: Client) -> None:
    from django.utils import translation

    from innesto.portal.site.templatetags.portal import long_date

    with translation.override("en"):
        assert long_date(date(2005, 10, 1)) == "1 October 2005"
    with translation.override("it"):
        assert long_date(date(2005, 10, 1)) == "1 ottobre 2005"
    # tiny_planset's project: "Start" done 2006-11-01, "End" due 2030-01-01.
    html = client.get("/en/plan/2006/axis/obj/proj/").content.decode()
    assert "1 November 2006" in html and "1 January 2030" in html
    assert html.index("1 November 2006") < html.index("1 January 2030")
    assert "11/01/2006" not in html and "01/11/2006" not in html
