"""Charts that tell the truth (issue 12 item 3): time on a temporal axis, a unit on every
axis, numbers and place names in the page's language, a source line and a data table."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from innesto.portal.site.vega import indicator_spec, lines_spec


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def test_time_is_a_temporal_axis_with_units_on_both_axes() -> None:
    # Mirafiori output (examples/torino 2006.yaml): 2006, 2009, 2010, 2019, 2022. On a
    # temporal axis the 2010-2019 gap is nine times the 2009-2010 gap.
    rows = [{"period": p, "value": v, "expected": None, "lower": None, "upper": None}
            for p, v in (("2006", 218000), ("2009", 178000), ("2010", 120000),
                         ("2019", 21000), ("2022", 88000))]
    spec = indicator_spec(rows, 218000, "2006", None, "", title="Cars", unit="cars per year",
                          labels={"period": "Year", "value": "Value", "expected": "Path"})
    for layer in _layers(spec):
        x = layer["encoding"]["x"]
        assert x["type"] == "temporal" and x["timeUnit"] == "utcyear" and x["title"] == "Year"
    assert any(la["encoding"]["y"].get("title") == "cars per year" for la in _layers(spec))
    dates = [r["_date"] for r in spec["layer"][0]["data"]["values"]]
    assert dates == ["2006-01-01", "2009-01-01", "2010-01-01", "2019-01-01", "2022-01-01"]
    lines = lines_spec([{"time": "2000", "v": 1.0, "s": "A"}], x="time", y="v", series="s",
                       title="t", x_title="Year", y_title="Index", series_title="Place")
    assert lines["layer"][0]["encoding"]["x"]["type"] == "temporal"


@pytest.fixture
def site_ict(db: None) -> Any:
    from innesto.plan.site import load_site
    from innesto.portal.plans.models import Sector
    from innesto.portal.site import identity
    from tests.portal.conftest import TORINO

    identity.store("torino", load_site(TORINO))
    return Sector.objects.create(slug="ict", title_it="ICT", title_en="ICT", industries=["J"])


def _texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]{1,60})</text>", svg)


def test_numbers_and_place_names_follow_the_page_language(site_ict: Any,
                                                         client: Client) -> None:
    it = _texts(client.get("/it/settori/ict/grafico/lq.svg").content.decode())
    en = _texts(client.get("/en/sectors/ict/chart/lq.svg").content.decode())
    # Location quotients around 1-2: an Italian axis reads 1,5 and an English one 1.5.
    assert any(re.fullmatch(r"\d,\d", t) for t in it) and not any(
        re.fullmatch(r"\d\.\d", t) for t in it)
    assert any(re.fullmatch(r"\d\.\d", t) for t in en)
    emp_en = _texts(client.get("/en/sectors/ict/chart/employment.svg").content.decode())
    assert "Italy" in emp_en and "Italia" not in emp_en
    emp_it = _texts(client.get("/it/settori/ict/grafico/employment.svg").content.decode())
    assert "Italia" in emp_it and any(re.fullmatch(r"\d{3}", t) for t in emp_it)
    assert "2000" in emp_it and "2017" in emp_it  # years on the axis, not 10/01/2005


def test_every_chart_has_a_source_line_and_a_data_table(site_ict: Any, client: Client) -> None:
    html = client.get("/en/sectors/ict/").content.decode()
    figures = html.count('<figure class="chart"')
    assert figures >= 4
    assert html.count('<details class="chart-table">') == figures
    assert html.count('<p class="source-line">') >= figures  # site/_source_line.html
    assert html.count('tabindex="0" role="region"') >= figures
    assert '<script type="application/json" id="vega-locale">' in html


def test_the_map_draws_every_province_including_sardinias(site_ict: Any, client: Client) -> None:
    """Issue 12 item 10: the data use Sardinia's eight NUTS 2016 provinces (ITG25-ITG2C), the
    outlines its five NUTS 2021 ones (ITG2D-ITG2H). Every outline is drawn; the redrawn
    ones are grey with the 2016 provinces named (Eurostat's NUTS 2021 correspondence:
    Sassari ITG2D = ITG25 Sassari + ITG29 Olbia-Tempio), and each 2016 province is a dot
    carrying its own value: the one in the data table (no province with data is shown
    without its value)."""
    from innesto.portal.sectors.dashboards import _geojson

    features = _geojson()["features"]
    spec = client.get("/en/sectors/ict/chart/map.vl.json").json()
    datasets = (list(spec["datasets"].values()) if "datasets" in spec
                else [layer["data"]["values"] for layer in spec["layer"]])
    outlines = next(d for d in datasets if d and "properties" in d[0])
    values = {f["properties"]["NUTS_ID"]: f["properties"] for f in outlines}
    assert len(values) == len(features) >= 107  # every province, nothing dropped
    sassari = values["ITG2D"]
    assert sassari["value"] is None
    assert "Sassari" in sassari["note"] and "Olbia-Tempio" in sassari["note"]
    assert all(values[c]["value"] is None for c in ("ITG2E", "ITG2F", "ITG2G", "ITG2H"))
    table = {r["region"]: r for r in client.get("/en/sectors/ict/chart/map.json").json()["data"]}
    assert table["ITG29"]["name"] == "Olbia-Tempio (NUTS 2016)"
    dots = {d["region"]: d for d in next(d for d in datasets if d and "lon" in d[0])}
    old = ["ITG25", "ITG26", "ITG27", "ITG28", "ITG29", "ITG2A", "ITG2B", "ITG2C"]
    assert sorted(dots) == old
    for code in old:  # the dot's value is the table's (the shipped table has all eight)
        assert table[code]["lq"] is not None and dots[code]["value"] == table[code]["lq"]
    # Olbia (the larger seat of Olbia-Tempio) lies in the north-east of NUTS 2021 Sassari.
    assert (dots["ITG29"]["lon"], dots["ITG29"]["lat"]) > (dots["ITG25"]["lon"], 40.5)
    svg = client.get("/en/sectors/ict/chart/map.svg").content.decode()
    assert svg.count("<path") >= len(features) + len(old)  # outlines and dots
    html = client.get("/en/sectors/ict/").content.decode()
    assert "Every province is drawn" in html and "a dot at its capital" in html
    assert "without a value" not in html


def test_a_remembered_spec_is_the_spec_built_afresh() -> None:
    """The spec builders remember their specs (a page, its SVG and its embed ask for the
    same one): the same arguments give what building anew gives, a caller changing its
    copy changes nothing for the next, and other arguments give another spec."""
    from innesto.portal.site.vega import lines_spec
    from innesto.portal.site.vega_ranked import ranked_spec

    rows = [{"time": "2006", "value": 1.5, "name": "A"}, {"time": "2010", "value": None,
                                                          "name": "B"}]
    kw = {"x": "time", "y": "value", "series": "name", "title": "T", "x_title": "Year",
          "y_title": "u", "series_title": "Region"}
    first = lines_spec(rows, **kw)
    assert first == lines_spec.__wrapped__(rows, **kw)  # type: ignore[attr-defined]
    first["title"] = "changed"
    assert lines_spec(rows, **kw) == lines_spec.__wrapped__(rows, **kw)  # type: ignore[attr-defined]
    assert lines_spec(rows, **{**kw, "title": "U"})["title"] == "U"
    ranked = [{"label": "1. A", "value": 2.0, "focus": True}]
    args = {"value": "value", "label": "label", "title": "R", "value_title": "v",
            "label_title": "l", "highlight": "focus"}
    assert ranked_spec(ranked, **args) == ranked_spec.__wrapped__(ranked, **args)  # type: ignore[attr-defined]
    assert ranked_spec(ranked, **args) is not ranked_spec(ranked, **args)
