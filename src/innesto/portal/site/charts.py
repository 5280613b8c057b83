"""Charts as data: one :class:`Chart` holds the table, its Vega-Lite spec and a text
alternative, and every output (HTML figure, SVG, CSV, JSON, embed page) comes from it.

Specs are built with Altair and rendered in the browser by vega-embed; the server renders
the same spec to SVG with vl-convert for readers without JavaScript and for embedding.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

from innesto.plan.provenance import COLUMNS as PROVENANCE_COLUMNS
from innesto.plan.provenance import Provenance


@dataclass(frozen=True)
class Column:
    """A table column: the data field, its header for readers, and numeric digits."""

    name: str
    label: str
    digits: int | None = None  # None: text


@dataclass
class Chart:
    slug: str
    title: str
    description: str  # the text alternative: what the chart shows, in words
    columns: list[Column]
    rows: list[dict[str, Any]]
    spec: dict[str, Any]
    source: str = ""
    notes: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    #: Where the figures come from (the library's provenance of the chart's values);
    #: every download of the chart carries it.
    provenance: Provenance | None = None

    def link(self, file_view: str, embed_view: str, *args: str) -> Chart:
        """Fill :attr:`links` (csv, csv_metadata, json, svg, vl, embed) from two named URLs
        whose arguments are ``*args`` followed by the chart slug (and the format)."""
        from django.urls import reverse

        names = {"csv": "csv", "json": "json", "svg": "svg", "png": "png", "vl.json": "vl",
                 "csv-metadata.json": "csv_metadata"}
        self.links = {name: reverse(file_view, args=[*args, self.slug, fmt])
                      for fmt, name in names.items()}
        self.links["embed"] = reverse(embed_view, args=[*args, self.slug])
        return self

    # ------------------------------------------------------------------ outputs
    def cells(self) -> list[list[tuple[Any, Column]]]:
        return [[(row.get(c.name), c) for c in self.columns] for row in self.rows]

    def provenance_row(self) -> dict[str, Any]:
        """The provenance columns every row of the CSV carries (unit, source, licence...)."""
        prov = self.provenance or Provenance(source=self.source or None)
        return prov.row(_lang())

    def csv_text(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        prov = self.provenance_row()
        writer.writerow([*(c.name for c in self.columns), *prov])
        for row in self.rows:
            writer.writerow([*("" if _blank(row.get(c.name)) else row.get(c.name)
                               for c in self.columns), *prov.values()])
        return buf.getvalue()

    def csvw(self, csv_url: str) -> dict[str, Any]:
        """A CSV on the Web description of :meth:`csv_text` (W3C ``csvw`` vocabulary)."""
        prov = self.provenance or Provenance(source=self.source or None)
        return {
            "@context": "http://www.w3.org/ns/csvw", "url": csv_url,
            "dc:title": self.title, "dc:description": self.description,
            "dc:source": prov.line(_lang()), "dc:license": prov.licence_text(_lang()),
            "tableSchema": {"columns": [
                {"name": f["name"], "titles": f["title"],
                 "datatype": {"number": "number", "date": "date",
                              "boolean": "boolean"}.get(f["type"], "string")}
                for f in chart_fields(self)]},
        }

    def json_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "source": self.source,
            "provenance": (self.provenance or Provenance(source=self.source or None)).to_dict(),
            "fields": [{"name": c.name, "title": c.label,
                        "type": "string" if c.digits is None else "number"}
                       for c in self.columns],
            "data": [{c.name: (None if _blank(row.get(c.name)) else row.get(c.name))
                      for c in self.columns} for row in self.rows],
        }

    def spec_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False, allow_nan=False)

    def spec_script(self) -> str:
        """The spec for a ``<script type="application/json">`` element (no ``</``)."""
        return self.spec_json().replace("<", "\\u003c").replace(">", "\\u003e")

    def image_spec(self) -> dict[str, Any]:
        """The spec drawn as an image: its source line under the title, so a downloaded
        or embedded picture always says where its numbers come from."""
        if not self.source and self.provenance is None:
            return self.spec
        from django.utils.translation import gettext

        spec = dict(self.spec)
        title = spec.get("title", self.title)
        text = title.get("text", self.title) if isinstance(title, dict) else title
        line = (self.provenance.line(_lang()) if self.provenance is not None
                else f"{gettext('Source')}: {self.source}")
        spec["title"] = {"text": text, "subtitle": line,
                         "subtitleFontSize": 11, "anchor": "start"}
        return spec

    def _rendered(self, kind: str) -> Any:
        """The image drawn by vl-convert, ``svg`` or ``png`` (cached by spec)."""
        import hashlib

        from django.utils.translation import get_language

        from innesto.portal.site.vega import locale

        spec = self.image_spec()
        loc = locale(get_language() or "it")  # decimal comma and month names in Italian
        text = json.dumps([spec, loc], ensure_ascii=False, allow_nan=False)
        key = f"innesto:{kind}:" + hashlib.sha256(text.encode()).hexdigest()
        out = cache.get(key)
        if out is None:
            import vl_convert

            out = (vl_convert.vegalite_to_svg(spec, format_locale=loc["format"],
                                              time_format_locale=loc["time"])
                   if kind == "svg" else
                   vl_convert.vegalite_to_png(spec, scale=2, format_locale=loc["format"],
                                              time_format_locale=loc["time"]))
            cache.set(key, out, None)
        return out

    def svg(self) -> str:
        """The chart rendered on the server, for readers without JavaScript and embeds."""
        return str(self._rendered("svg"))

    def png(self) -> bytes:
        """The chart as a PNG image at twice the drawing's size."""
        return bytes(self._rendered("png"))


_PROV_TYPES = {"released": "date", "retrieved": "date", "proxy": "boolean",
               "illustrative": "boolean"}


def chart_fields(chart: Chart) -> list[dict[str, str]]:
    """Table Schema fields of the chart's CSV: its columns, then the provenance columns."""
    return [*({"name": c.name, "title": c.label,
               "type": "string" if c.digits is None else "number"} for c in chart.columns),
            *({"name": c, "title": c, "type": _PROV_TYPES.get(c, "string")}
              for c in PROVENANCE_COLUMNS)]


def chart_sources(chart: Chart) -> list[dict[str, str]]:
    """Data Package ``sources`` of a chart: its source line with its own licence."""
    prov = chart.provenance or Provenance(source=chart.source or None)
    if not prov.source:
        return []
    return [{"title": ", ".join(x for x in (prov.source, prov.dataset) if x),
             "licence": prov.licence_text(_lang())}]


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "it").startswith("en") else "it"


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def clean(v: Any) -> Any:
    """A JSON-safe value: NaN and numpy scalars become None and Python numbers."""
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def download(chart: Chart, fmt: str, filename: str) -> HttpResponse:
    """A chart's data or drawing as a file: ``csv``, ``json``, ``svg``, ``png``,
    ``vl.json`` or ``csv-metadata.json`` (the CSV's CSVW description, beside it)."""
    if fmt == "csv":
        resp = HttpResponse(chart.csv_text(), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        resp = JsonResponse(chart.json_data(), json_dumps_params={"ensure_ascii": False})
    elif fmt == "svg":
        resp = HttpResponse(chart.svg(), content_type="image/svg+xml")
    elif fmt == "png":
        resp = HttpResponse(chart.png(), content_type="image/png")
    elif fmt == "vl.json":
        resp = HttpResponse(chart.spec_json(), content_type="application/json")
    elif fmt == "csv-metadata.json":
        resp = JsonResponse(chart.csvw(f"{chart.slug}.csv"),
                            json_dumps_params={"ensure_ascii": False})
    else:  # pragma: no cover - URL patterns restrict fmt
        raise ValueError(fmt)
    if fmt not in ("svg", "png"):
        resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    resp["Access-Control-Allow-Origin"] = "*"
    return resp
