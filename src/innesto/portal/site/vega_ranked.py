"""Ranked horizontal bars (one row per place or industry, the focus highlighted): the
shape of the compare page's ranking and of the opportunities list. Built like
:mod:`innesto.portal.site.vega` (Altair, data inline); the highlight is told apart by
colour *and* by a text mark, never by colour alone."""

from __future__ import annotations

from typing import Any

import altair as alt

from innesto.portal.site.vega import PALETTE, _plain, remembered

ROW_HEIGHT = 16


@remembered
def ranked_spec(rows: list[dict[str, Any]], *, value: str, label: str, title: str,
                value_title: str, label_title: str, highlight: str | None = None,
                fmt: str = ",.2f", rule: float | None = None) -> dict[str, Any]:
    """Bars of ``value`` by ``label`` in the rows' order; rows whose ``highlight`` field
    is truthy are drawn in the accent colour and marked with a ``◀`` after the bar."""
    data = alt.Data(values=rows)
    order = [str(r[label]) for r in rows]
    y = alt.Y(f"{label}:N", title=label_title, sort=order,
              axis=alt.Axis(labelLimit=260))
    color: Any = alt.value(PALETTE[1])
    if highlight:
        color = alt.condition(f"datum.{highlight}", alt.value(PALETTE[0]), alt.value("#7a8ca3"))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{value}:Q", title=value_title), y=y, color=color,
        tooltip=[alt.Tooltip(f"{label}:N", title=label_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
    ).transform_filter(f"datum.{value} != null")
    layers: list[Any] = [bars]
    if highlight:
        layers.append(alt.Chart(data).mark_text(align="left", dx=4, fontWeight="bold").encode(
            x=f"{value}:Q", y=y, text=alt.value("◀")).transform_filter(f"datum.{highlight}"))
    if rule is not None:
        layers.append(alt.Chart(alt.Data(values=[{"r": rule}])).mark_rule(
            color="#1a1a1a", strokeDash=[2, 2]).encode(x="r:Q"))
    height = max(120, ROW_HEIGHT * len(rows))
    return _plain(alt.layer(*layers).properties(
        title=title, width=520, height=height).configure_view(stroke=None).configure_axis(
        labelFontSize=11, titleFontSize=12))
