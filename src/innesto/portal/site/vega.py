"""Vega-Lite specifications built with Altair (data inline, so each spec stands alone).

Colours are chosen for contrast on white and are paired with shapes or dashes, so no
series is told apart by colour alone.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ParamSpec

import altair as alt

P = ParamSpec("P")
#: Specs kept by :func:`remembered` in each process (a few KB each).
SPEC_MEMORY = 512

#: Numbers and dates in each language, for Vega in the browser and vl-convert on the server
#: (d3-format and d3-time-format locale objects): Italian decimal comma and month names.
FORMAT_LOCALES: dict[str, dict[str, Any]] = {
    "it": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
TIME_LOCALES: dict[str, dict[str, Any]] = {
    "it": {"dateTime": "%A %e %B %Y, %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì",
                    "sabato"],
           "shortDays": ["dom", "lun", "mar", "mer", "gio", "ven", "sab"],
           "months": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
                      "agosto", "settembre", "ottobre", "novembre", "dicembre"],
           "shortMonths": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set",
                           "ott", "nov", "dic"]},
    "en": {"dateTime": "%a %e %B %Y, %X", "date": "%Y-%m-%d", "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                    "Saturday"],
           "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
           "months": ["January", "February", "March", "April", "May", "June", "July",
                      "August", "September", "October", "November", "December"],
           "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                           "Oct", "Nov", "Dec"]},
}


def locale(lang: str) -> dict[str, dict[str, Any]]:
    """The number and time locale of ``lang`` (``it`` or ``en``; others read English)."""
    key = "it" if lang.startswith("it") else "en"
    return {"format": FORMAT_LOCALES[key], "time": TIME_LOCALES[key]}


_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def period_date(period: str) -> str | None:
    """A period as the ISO date it starts on, so that time is a temporal axis (a nine-year
    gap is nine times as wide as a one-year gap): ``2006`` -> ``2006-01-01``,
    ``2017-Q3`` -> ``2017-07-01``, ``2017-09`` -> ``2017-09-01``; ``None`` otherwise.

    >>> period_date("2006"), period_date("2017-Q3"), period_date("2017-09"), period_date("x")
    ('2006-01-01', '2017-07-01', '2017-09-01', None)
    """
    p = str(period).strip()
    if len(p) == 4 and p.isdigit():
        return f"{p}-01-01"
    if m := _QUARTER.match(p):
        return f"{m[1]}-{3 * int(m[2]) - 2:02d}-01"
    if _MONTH.match(p):
        return f"{p}-01"
    if _DAY.match(p):
        return p
    return None


def _time_unit(periods: list[str]) -> Any:
    """The UTC time unit that shows ``periods`` as they are: years, quarters or months."""
    if all(len(p) == 4 for p in periods):
        return "utcyear"
    if all("Q" in p for p in periods if len(p) > 4):
        return "utcyearquarter"
    return "utcyearmonth"


def _dated(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """``rows`` with ``_date`` set from ``key`` (rows whose period has no date dropped)."""
    return [{**r, "_date": d} for r in rows if (d := period_date(str(r.get(key, ""))))]


PALETTE = ["#8a1c1c", "#0b4f9c", "#2f6b2f", "#6b4a00", "#5a2d82"]
WIDTH, HEIGHT = 600, 300


def remembered(build: Callable[P, dict[str, Any]]) -> Callable[P, dict[str, Any]]:
    """``build`` (a spec builder) run once per distinct arguments in this process.

    A page, its chart's SVG, its embed page and its downloads each ask for the same spec,
    and Altair takes a good part of a second to build and validate one. The spec is kept
    as JSON and each call gets a fresh copy (callers may change it). The arguments are the
    key, as JSON in their own order; arguments JSON cannot write (a lazy translation, a
    date) are not remembered: the spec is built each time. The :data:`SPEC_MEMORY` most
    recent specs are kept."""
    memory: OrderedDict[str, str] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> dict[str, Any]:
        try:
            key = json.dumps([args, kwargs])
        except TypeError:
            return build(*args, **kwargs)
        with lock:
            text = memory.get(key)
            if text is not None:
                memory.move_to_end(key)
        if text is None:
            text = json.dumps(build(*args, **kwargs))
            with lock:
                memory[key] = text
                while len(memory) > SPEC_MEMORY:
                    memory.popitem(last=False)
        spec: dict[str, Any] = json.loads(text)
        return spec

    return wrapper


def _finish(chart: Any, title: str) -> dict[str, Any]:
    return _plain(chart.properties(
        title=title, width=WIDTH, height=HEIGHT
    ).configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12
    ).configure_legend(orient="bottom", direction="horizontal", columns=3))


def _plain(chart: Any) -> dict[str, Any]:
    """``chart`` as a Vega-Lite spec: the schema set, Vega's per-mark ARIA roles dropped
    (the chart's container is one ``role="img"`` with the chart's title as its name, and
    the data table beside it is the accessible version of the data).

    Altair is not asked to validate the spec against the Vega-Lite schema here: with
    jsonschema that was 80% of the spec's build (20% of a cold page's CPU, and a map's
    every GeoJSON coordinate), for specs this module writes the same way every time.
    ``tests/portal/test_vega_specs.py`` validates the specs of every kind of chart the
    example site draws against Altair's copy of the schema instead."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    spec.setdefault("config", {})["aria"] = False
    return spec


@remembered
def indicator_spec(rows: list[dict[str, Any]], base: float | None, base_period: str,
                   target: float | None, target_period: str, *, title: str, unit: str,
                   labels: dict[str, str]) -> dict[str, Any]:
    """Observed values, the planned path with its tolerance band, baseline and target, on a
    time axis."""
    dated = _dated(rows, "period")
    unit_t = _time_unit([str(r["period"]) for r in dated] + [p for p in (base_period,
                        target_period) if p])
    data = alt.Data(values=dated)
    x = alt.X("_date:T", timeUnit=unit_t, title=labels["period"])
    when = alt.Tooltip("_date:T", timeUnit=unit_t, title=labels["period"])
    band = alt.Chart(data).mark_area(opacity=0.25, color="#7a7a7a").encode(
        x=x, y=alt.Y("lower:Q", title=unit), y2="upper:Q",
    ).transform_filter("datum.lower != null")
    path = alt.Chart(data).mark_line(strokeDash=[6, 4], color="#4a4a4a").encode(
        x=x, y="expected:Q",
        tooltip=[when, alt.Tooltip("expected:Q", title=labels["expected"], format=",.2f")],
    ).transform_filter("datum.expected != null")
    values = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=60, filled=True),
                                       color=PALETTE[0]).encode(
        x=x, y=alt.Y("value:Q", title=unit),
        tooltip=[when, alt.Tooltip("value:Q", title=labels["value"], format=",.2f")],
    ).transform_filter("datum.value != null")
    layers = [band, path, values]
    marks = []
    if base is not None and base_period:
        marks.append({"period": base_period, "y": base, "what": labels.get("baseline", "baseline")})
    if target is not None and target_period:
        marks.append({"period": target_period, "y": target,
                      "what": labels.get("target", "target")})
    if _dated(marks, "period"):
        layers.append(alt.Chart(alt.Data(values=_dated(marks, "period"))).mark_point(
            shape="diamond", size=140, filled=True, color=PALETTE[1]).encode(
            x=x, y="y:Q", tooltip=["what:N", when, alt.Tooltip("y:Q", title=unit,
                                                                format=",.2f")]))
    return _finish(alt.layer(*layers), title)


@remembered
def lines_spec(rows: list[dict[str, Any]], *, x: str, y: str, series: str, title: str,
               x_title: str, y_title: str, series_title: str, fmt: str = ",.2f",
               rule: float | None = None) -> dict[str, Any]:
    """One line per series (colour plus dash pattern) over time (``x`` holds periods such
    as ``2006``), with an optional reference rule."""
    dated = _dated(rows, x)
    unit_t = _time_unit([str(r[x]) for r in dated])
    data = alt.Data(values=dated)
    line = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("_date:T", timeUnit=unit_t, title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color(f"{series}:N", title=series_title,
                        scale=alt.Scale(range=PALETTE)),
        strokeDash=alt.StrokeDash(f"{series}:N", title=series_title),
        tooltip=[alt.Tooltip(f"{series}:N", title=series_title),
                 alt.Tooltip("_date:T", timeUnit=unit_t, title=x_title),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=fmt)],
    ).transform_filter(f"datum.{y} != null")
    layers: list[Any] = [line]
    if rule is not None:
        layers.append(alt.Chart(alt.Data(values=[{"r": rule}])).mark_rule(
            color="#4a4a4a", strokeDash=[2, 2]).encode(y="r:Q"))
    return _finish(alt.layer(*layers), title)


@remembered
def bars_spec(rows: list[dict[str, Any]], *, x: str, y: str, title: str, x_title: str,
              y_title: str) -> dict[str, Any]:
    data = alt.Data(values=rows)
    chart = alt.Chart(data).mark_bar(color=PALETTE[1]).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=None,
                axis=alt.Axis(labelAngle=0, labelLimit=200)),
        y=alt.Y(f"{y}:Q", title=y_title),
        tooltip=[alt.Tooltip(f"{x}:N", title=x_title),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f")],
    )
    zero = alt.Chart(alt.Data(values=[{"z": 0}])).mark_rule(color="#1a1a1a").encode(y="z:Q")
    return _finish(alt.layer(chart, zero), title)


def map_spec(geojson: dict[str, Any], values: dict[str, float | None], *, title: str,
             legend: str, name_field: str = "NUTS_NAME", no_value: str = "no value",
             notes: dict[str, str] | None = None, region_title: str = "NUTS 3",
             points: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A choropleth of ``values`` by NUTS id over ``geojson`` features. Every outline is
    drawn: a region without a value is grey, its tooltip says so and gives its ``notes``
    entry (e.g. the older regions its data are published under). ``points`` (``name``,
    ``lon``, ``lat``, ``value``) are regions without an outline, drawn as dots coloured on
    the same scale (grey without a value)."""
    features = []
    for f in geojson["features"]:
        props = dict(f["properties"])
        props["value"] = values.get(props["NUTS_ID"])
        props["note"] = (notes or {}).get(props["NUTS_ID"], no_value)
        features.append({**f, "properties": props})
    data = alt.Data(values=features, format=alt.DataFormat(type="json"))
    base = alt.Chart(data).mark_geoshape(stroke="#ffffff", strokeWidth=0.7,
                                         color="#c8c8c8").encode(
        tooltip=[alt.Tooltip(f"properties.{name_field}:N", title=region_title),
                 alt.Tooltip("properties.note:N", title=legend)],
    ).transform_filter("datum.properties.value == null")
    shaded = alt.Chart(data).mark_geoshape(stroke="#ffffff", strokeWidth=0.7).encode(
        color=alt.Color("properties.value:Q", title=legend,
                        scale=alt.Scale(scheme="orangered")),
        tooltip=[alt.Tooltip(f"properties.{name_field}:N", title=region_title),
                 alt.Tooltip("properties.value:Q", title=legend, format=".2f")],
    ).transform_filter("datum.properties.value != null")
    layers = [base, shaded]
    if points:
        color = alt.Color("value:Q", title=legend, scale=alt.Scale(scheme="orangered"))
        layers.append(alt.Chart(alt.Data(values=points)).mark_circle(
            size=110, stroke="#333333", strokeWidth=1, opacity=1).encode(
            longitude="lon:Q", latitude="lat:Q",
            color=alt.condition("datum.value == null", alt.value("#c8c8c8"), color),
            tooltip=[alt.Tooltip("name:N", title=region_title),
                     alt.Tooltip("value:Q", title=legend, format=".2f")]))
    chart = alt.layer(*layers).project(type="mercator")
    return _plain(chart.properties(title=title, width=420, height=420).configure_view(
        stroke=None))
