"""Vega-Lite specifications built with Altair (data inline, so each spec stands alone).

Colours are chosen for contrast on white and are paired with shapes or dashes, so no
series is told apart by colour alone.
"""

from __future__ import annotations

from typing import Any

import altair as alt

PALETTE = ["#8a1c1c", "#0b4f9c", "#2f6b2f", "#6b4a00", "#5a2d82"]
WIDTH, HEIGHT = 600, 300


def _finish(chart: Any, title: str) -> dict[str, Any]:
    spec: dict[str, Any] = chart.properties(
        title=title, width=WIDTH, height=HEIGHT
    ).configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12
    ).configure_legend(orient="bottom", direction="horizontal", columns=3).to_dict()
    return _plain(spec)


def _plain(spec: dict[str, Any]) -> dict[str, Any]:
    """Set the schema and drop Vega's per-mark ARIA roles: the chart's container is one
    ``role="img"`` with the chart's title as its name, and the data table beside it is the
    accessible version of the data."""
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    spec.setdefault("config", {})["aria"] = False
    return spec


def indicator_spec(rows: list[dict[str, Any]], base: float | None, base_period: str,
                   target: float | None, target_period: str, *, title: str, unit: str,
                   labels: dict[str, str]) -> dict[str, Any]:
    """Observed values, the planned path with its tolerance band, baseline and target."""
    data = alt.Data(values=[{k: v for k, v in r.items()} for r in rows])
    x = alt.X("period:O", title=labels["period"])
    band = alt.Chart(data).mark_area(opacity=0.25, color="#7a7a7a").encode(
        x=x, y=alt.Y("lower:Q", title=unit), y2="upper:Q",
    ).transform_filter("datum.lower != null")
    path = alt.Chart(data).mark_line(strokeDash=[6, 4], color="#4a4a4a").encode(
        x=x, y="expected:Q",
        tooltip=[alt.Tooltip("period:O", title=labels["period"]),
                 alt.Tooltip("expected:Q", title=labels["expected"], format=",.2f")],
    ).transform_filter("datum.expected != null")
    values = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=60, filled=True),
                                       color=PALETTE[0]).encode(
        x=x, y=alt.Y("value:Q", title=unit),
        tooltip=[alt.Tooltip("period:O", title=labels["period"]),
                 alt.Tooltip("value:Q", title=labels["value"], format=",.2f")],
    ).transform_filter("datum.value != null")
    layers = [band, path, values]
    marks = []
    if base is not None and base_period:
        marks.append({"period": base_period, "y": base, "what": "baseline"})
    if target is not None and target_period:
        marks.append({"period": target_period, "y": target, "what": "target"})
    if marks:
        layers.append(alt.Chart(alt.Data(values=marks)).mark_point(
            shape="diamond", size=140, filled=True, color=PALETTE[1]).encode(
            x="period:O", y="y:Q", tooltip=["what:N", alt.Tooltip("y:Q", format=",.2f")]))
    return _finish(alt.layer(*layers), title)


def lines_spec(rows: list[dict[str, Any]], *, x: str, y: str, series: str, title: str,
               x_title: str, y_title: str, series_title: str, fmt: str = ",.2f",
               rule: float | None = None) -> dict[str, Any]:
    """One line per series (colour plus dash pattern), with an optional reference rule."""
    data = alt.Data(values=rows)
    line = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X(f"{x}:O", title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color(f"{series}:N", title=series_title,
                        scale=alt.Scale(range=PALETTE)),
        strokeDash=alt.StrokeDash(f"{series}:N", title=series_title),
        tooltip=[alt.Tooltip(f"{series}:N", title=series_title),
                 alt.Tooltip(f"{x}:O", title=x_title),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=fmt)],
    ).transform_filter(f"datum.{y} != null")
    layers: list[Any] = [line]
    if rule is not None:
        layers.append(alt.Chart(alt.Data(values=[{"r": rule}])).mark_rule(
            color="#4a4a4a", strokeDash=[2, 2]).encode(y="r:Q"))
    return _finish(alt.layer(*layers), title)


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


def scatter_spec(rows: list[dict[str, Any]], *, x: str, y: str, label: str, highlight: str,
                 title: str, x_title: str, y_title: str, label_title: str) -> dict[str, Any]:
    data = alt.Data(values=rows)
    points = alt.Chart(data).mark_point(filled=True, size=90).encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False)),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color(f"{highlight}:N", scale=alt.Scale(range=["#7a7a7a", PALETTE[0]]),
                        legend=None),
        shape=alt.Shape(f"{highlight}:N", legend=None),
        tooltip=[alt.Tooltip(f"{label}:N", title=label_title),
                 alt.Tooltip(f"{x}:Q", title=x_title, format=".3f"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=".3f")],
    )
    text = alt.Chart(data).mark_text(align="left", dx=7, fontSize=11).encode(
        x=f"{x}:Q", y=f"{y}:Q", text=f"{label}:N")
    return _finish(alt.layer(points, text), title)


def map_spec(geojson: dict[str, Any], values: dict[str, float | None], *, title: str,
             legend: str, name_field: str = "NUTS_NAME") -> dict[str, Any]:
    """A choropleth of ``values`` by NUTS id over ``geojson`` features."""
    features = []
    for f in geojson["features"]:
        props = dict(f["properties"])
        props["value"] = values.get(props["NUTS_ID"])
        features.append({**f, "properties": props})
    data = alt.Data(values=features, format=alt.DataFormat(type="json"))
    chart = alt.Chart(data).mark_geoshape(stroke="#ffffff", strokeWidth=0.7).encode(
        color=alt.Color("properties.value:Q", title=legend,
                        scale=alt.Scale(scheme="orangered")),
        tooltip=[alt.Tooltip(f"properties.{name_field}:N", title="NUTS 3"),
                 alt.Tooltip("properties.value:Q", title=legend, format=".2f")],
    ).project(type="mercator")
    spec: dict[str, Any] = chart.properties(title=title, width=420, height=420).configure_view(
        stroke=None).to_dict()
    return _plain(spec)
