"""Downloads keep provenance: unit, source and licence columns in every CSV, a CSVW
description beside a chart's CSV, each source's own licence (never a blanket CC BY),
per-value notes and disputed grades kept, release dates as the plan gives them."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client


def _rows(client: Client, url: str) -> list[dict[str, str]]:
    r = client.get(url)
    assert r.status_code == 200, url
    return list(csv.DictReader(io.StringIO(r.content.decode())))


def test_chart_csv_has_unit_source_licence_and_a_csvw_description(tiny_plan: Any,
                                                                   client: Client) -> None:
    base = "/en/plan/2006/indicators/share/chart/trend"
    rows = _rows(client, base + ".csv")
    assert {"unit", "source", "licence", "released", "illustrative"} <= set(rows[0])
    assert rows[0]["unit"] == "%" and rows[0]["licence"] == "rights not stated"
    meta = client.get(base + ".csv-metadata.json").json()
    assert meta["url"] == "trend.csv" and meta["dc:license"] == "rights not stated"
    header = list(rows[0])
    assert [c["name"] for c in meta["tableSchema"]["columns"]] == header
    pkg = client.get("/en/plan/2006/indicators/share/datapackage.json").json()
    assert "licenses" not in pkg
    assert [f["name"] for f in pkg["resources"][0]["schema"]["fields"]] == header


def test_values_table_of_the_torino_plan(torino_plan: Any, client: Client) -> None:
    """examples/torino: the Mirafiori 2010 value is disputed with its note (two sources
    disagree), a press figure keeps its rights statement, Eurostat values theirs; the
    publication date is the plan's (2023-01-01, not 2022-12-31)."""
    rows = _rows(client, "/en/plan/2006/values.csv")
    mira = next(r for r in rows if r["indicator"] == "mirafiori-output" and r["period"] == "2010")
    assert mira["published"] == "2023-01-01"
    assert mira["confidence"] == "disputed"
    assert mira["note"] == "Two sources disagree: 124,000 or 120,000."
    assert mira["unit"] == "cars per year" and "not relicensed" in mira["licence"]
    emp = next(r for r in rows if r["indicator"] == "emp-manufacturing")
    assert (emp["source"], emp["dataset"], emp["licence"]) == ("Eurostat", "nama_10r_3empers",
                                                               "CC BY 4.0")


def test_indicator_page_shows_source_line_and_value_notes(torino_plan: Any,
                                                          client: Client) -> None:
    en = client.get("/en/plan/2006/indicators/mirafiori-output/").content.decode()
    assert "Two sources disagree: 124,000 or 120,000." in en
    assert "disputed: sources disagree" in en and 'class="source-line"' in en
    it = client.get("/it/piano/2006/indicatori/mirafiori-output/").content.decode()
    assert "Due fonti discordano" in it and "conteso: le fonti discordano" in it
