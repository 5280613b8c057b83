"""Data out: plan JSON valid against the plan's JSON Schema, CSV, Data Packages, charts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import jsonschema
from django.test import Client

from innesto.plan import plan_json_schema


def test_plan_json_validates_against_the_published_schema(tiny_plan: Any, client: Client) -> None:
    doc = client.get("/en/plan/2006/plan.json").json()
    schema = plan_json_schema()
    plan_schema = {**schema["$defs"]["Plan"], "$defs": schema["$defs"]}
    jsonschema.validate(doc, plan_schema)
    whole = client.get("/en/plan.json").json()
    jsonschema.validate(whole, schema)


def test_plan_datapackage_lists_csv_resources_that_download(tiny_plan: Any,
                                                            client: Client) -> None:
    pkg = client.get("/it/piano/2006/datapackage.json").json()
    assert pkg["profile"] == "data-package" and len(pkg["resources"]) == 4
    for res in pkg["resources"]:
        if res.get("format") != "csv":
            continue
        r = client.get(res["path"].replace("http://testserver", ""))
        assert r.status_code == 200
        header = next(csv.reader(io.StringIO(r.content.decode())))
        assert header == [f["name"] for f in res["schema"]["fields"]]


def test_indicator_chart_csv_json_svg_and_datapackage(tiny_plan: Any, client: Client) -> None:
    """Identity: the CSV holds the values the plan publishes (1.2 in 2010, 1.25 in 2017)."""
    base = "/en/plan/2006/indicators/share/chart/trend"
    rows = list(csv.DictReader(io.StringIO(client.get(base + ".csv").content.decode())))
    values = {r["period"]: r["value"] for r in rows}
    assert values["2010"] == "1.2" and values["2017"] == "1.25" and values["2006"] == ""
    data = client.get(base + ".json").json()
    assert data["fields"][0]["name"] == "period" and len(data["data"]) == len(rows)
    svg = client.get(base + ".svg")
    assert svg.content.startswith(b"<svg") and svg["Content-Type"] == "image/svg+xml"
    assert "frame-ancestors" not in svg["Content-Security-Policy"]  # embeddable anywhere
    spec = json.loads(client.get(base + ".vl.json").content)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    embed = client.get(base + "/embed/")
    assert embed.status_code == 200 and "frame-ancestors" not in embed["Content-Security-Policy"]
    pkg = client.get("/en/plan/2006/indicators/share/datapackage.json").json()
    assert pkg["resources"][0]["path"].endswith("/chart/trend.csv")


def test_italian_chart_urls_are_translated(tiny_plan: Any, client: Client) -> None:
    html = client.get("/it/piano/2006/indicatori/share/").content.decode()
    assert "/it/piano/2006/indicatori/share/grafico/trend.csv" in html


def test_indicator_page_and_csv_as_of_a_date(tiny_plan: Any, client: Client) -> None:
    """Identity: before its revision on 2020-03-01 the 2017 value was 1.3."""
    html = client.get("/en/plan/2006/indicators/share/?as_of=2019-12-31").content.decode()
    assert "Values as published on 2019-12-31" in html
    assert "/chart/trend.csv?as_of=2019-12-31" in html
    text = client.get("/en/plan/2006/indicators/share/chart/trend.csv?as_of=2019-12-31")
    rows = {r["period"]: r["value"] for r in csv.DictReader(io.StringIO(text.content.decode()))}
    assert rows["2017"] == "1.3"
    assert client.get("/en/plan/2006/indicators/share/?as_of=nonsense").status_code == 200
