"""The charts of a sector dashboard, each a :class:`~innesto.portal.site.charts.Chart`
built from :mod:`innesto.portal.sectors.evidence`."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from innesto.plan.i18n import Text, fmt_number
from innesto.plan.provenance import Provenance
from innesto.portal.plans.models import Sector
from innesto.portal.plans.presenters import lang
from innesto.portal.sectors import evidence
from innesto.portal.sectors.opportunity_chart import opportunity_chart
from innesto.portal.site.charts import Chart, Column
from innesto.portal.site.vega import bars_spec, lines_spec, map_spec

GEOJSON = Path(__file__).resolve().parent / "data" / "italy-nuts3-2021-60m.geojson"
CHANGES = Path(__file__).resolve().parent / "data" / "nuts-2016-2021-changes.csv"
CAPITALS = Path(__file__).resolve().parent / "data" / "nuts-2016-capitals.csv"


def _names() -> dict[str, str]:
    """The words every chart uses, from the site's regions in the active language."""
    where = evidence.places()
    r = evidence.site_regions()
    return {"place": where[0].name, "benchmark": where[-1].name,
            "quantity": r.quantity.get(lang()),
            "places": ", ".join(p.name for p in where)}


def _source() -> str:
    r = evidence.site_regions()
    return r.source or evidence.source()


def index_rows(rows: list[dict[str, Any]]) -> str:
    """Add ``index`` (employment as a percentage of its base year) to every row; return
    the base year. The index starts in the first year every place has data (the focus's
    series may start later than the benchmark's), so the lines share their base.

    >>> rows = [{"region": "A", "time": "2000", "employment": 5.0},
    ...         {"region": "B", "time": "2000", "employment": None},
    ...         {"region": "A", "time": "2001", "employment": 6.0},
    ...         {"region": "B", "time": "2001", "employment": 4.0}]
    >>> index_rows(rows), [r["index"] for r in rows]
    ('2001', [None, None, 100.0, 100.0])
    """
    places = {r["region"] for r in rows}
    have: dict[str, set[str]] = {}
    for r in rows:
        if r["employment"] is not None:
            have.setdefault(r["time"], set()).add(r["region"])
    common = sorted(t for t, regions in have.items() if regions == places)
    base_year = common[0] if common else ""
    base = {r["region"]: r["employment"] for r in rows if r["time"] == base_year}
    for r in rows:
        b = base.get(r["region"])
        ok = b and r["employment"] is not None and r["time"] >= base_year
        r["index"] = 100.0 * r["employment"] / b if ok else None
    return base_year


def _latest_sentence(rows: list[dict[str, Any]]) -> str:
    """Each place's employment in the latest year with data (blank without data)."""
    years = sorted({r["time"] for r in rows if r["employment"] is not None})
    if not years:
        return ""
    return " " + "; ".join(
        f"{r['place']} {years[-1]}: {fmt_number(r['employment'], lang(), digits=0)}"
        for r in rows if r["time"] == years[-1] and r["employment"] is not None) + "."


def employment_chart(sector: Sector) -> Chart:
    rows = evidence.employment_rows(sector.industries)
    base_year = index_rows(rows)
    years = sorted({r["time"] for r in rows if r["employment"] is not None})
    words = _names()
    desc = _("%(quantity)s in %(sector)s, %(first)s-%(last)s, as an index (first year = 100)"
             " for %(places)s.") % {
        **words, "sector": sector.title, "first": base_year, "last": years[-1] if years else ""}
    desc += _latest_sentence(rows)
    columns = [Column("time", _("Year")), Column("place", _("Place")),
               Column("region", _("Region code")),
               Column("employment", words["quantity"], 0),
               Column("index", _("Index, first year = 100"), 1)]
    title = _("%(quantity)s in %(sector)s") % {**words, "sector": sector.title}
    spec = lines_spec(rows, x="time", y="index", series="place", title=title,
                      x_title=_("Year"), y_title=_("Index, first year = 100"),
                      series_title=_("Place"), fmt=".1f", rule=100.0)
    return Chart("employment", title, desc, columns, rows, spec, source=_source())


def lq_chart(sector: Sector) -> Chart:
    rows = evidence.lq_rows(sector.industries)
    words = _names()
    mine = [r for r in rows if r["region"] == evidence.focus() and r["lq"] is not None]
    desc = _("Location quotient of %(sector)s against %(benchmark)s (%(benchmark)s = 1): above "
             "1 the place is more specialised than %(benchmark)s.") % {
        **words, "sector": sector.title}
    if mine:
        desc += " " + _("%(place)s: %(first)s in %(y0)s, %(last)s in %(y1)s.") % {
            **words,
            "first": fmt_number(mine[0]["lq"], lang(), digits=2), "y0": mine[0]["time"],
            "last": fmt_number(mine[-1]["lq"], lang(), digits=2), "y1": mine[-1]["time"]}
    columns = [Column("time", _("Year")), Column("place", _("Place")),
               Column("lq", _("Location quotient"), 3)]
    spec = lines_spec(rows, x="time", y="lq", series="place",
                      title=_("Location quotient of %(sector)s") % {"sector": sector.title},
                      x_title=_("Year"),
                      y_title=_("Location quotient (%(benchmark)s = 1)") % words,
                      series_title=_("Place"), fmt=".3f", rule=1.0)
    return Chart("lq", _("Location quotient of %(sector)s") % {"sector": sector.title},
                 desc, columns, rows, spec, source=_source())


def shift_share_chart(sector: Sector) -> Chart:
    start, end, rows = evidence.shift_share_rows(sector.industries)
    comp = [("national", _("National growth")), ("industry_mix", _("Industry mix")),
            ("competitive", _("Competitive (local) effect"))]
    for r in rows:
        r["sector"] = _("yes") if r.pop("in_sector") else ""
    mine = [r for r in rows if r["sector"]]
    bars = [{"component": label, "persons": sum(r[key] for r in mine)} for key, label in comp]
    words = _names()
    desc = _("Change in %(place)s between %(start)s and %(end)s (%(quantity)s), split into "
             "national growth, industry mix and the local competitive effect (against "
             "%(benchmark)s), for the industries that hold %(sector)s.") % {
        **words, "start": start, "end": end, "sector": sector.title}
    if mine:
        desc += " " + "; ".join(f"{b['component']}: {'+' if b['persons'] >= 0 else ''}"
                                f"{fmt_number(b['persons'], lang(), digits=0)}" for b in bars) + "."
    columns = [Column("industry", _("Industry")), Column("sector", _("Holds the sector")),
               Column("value_start", _("%(quantity)s, start") % words, 0),
               Column("value_end", _("%(quantity)s, end") % words, 0),
               Column("total", _("Change"), 0), Column("national", _("National growth"), 0),
               Column("industry_mix", _("Industry mix"), 0),
               Column("competitive", _("Competitive (local) effect"), 0)]
    spec = bars_spec(bars, x="component", y="persons",
                     title=_("Shift-share, %(place)s %(start)s-%(end)s") % {
                         **words, "start": start, "end": end},
                     x_title=_("Component"), y_title=words["quantity"])
    return Chart("shift-share", _("Shift-share, %(place)s %(start)s-%(end)s") % {
        **words, "start": start, "end": end}, desc, columns, rows, spec, source=_source())


@lru_cache(maxsize=1)
def _geojson() -> dict[str, Any]:
    return dict(json.loads(GEOJSON.read_text(encoding="utf-8")))


def map_chart(sector: Sector) -> Chart:
    when, values = evidence.province_lq(sector.industries)
    geo = _geojson()
    names = {f["properties"]["NUTS_ID"]: f["properties"].get("NUTS_NAME", "")
             for f in geo["features"]}
    old = changed_codes()
    rows: list[dict[str, Any]] = [
        {"region": code, "name": names.get(code) or (
            old[code][0] + " (NUTS 2016)" if code in old else ""), "lq": values[code]}
        for code in sorted(values)]
    ranked = sorted((r for r in rows if r["lq"] is not None), key=lambda r: -r["lq"])
    words = _names()
    desc = _("Location quotient of %(sector)s in each region at the level of %(place)s in "
             "%(year)s, against %(benchmark)s.") % {**words, "sector": sector.title,
                                                   "year": when}
    if ranked:
        desc += " " + _("Highest: %(list)s.") % {
            "list": ", ".join(f"{r['name'] or r['region']} {fmt_number(r['lq'], lang(), digits=2)}"
                              for r in ranked[:3])}
        mine = next((r for r in ranked if r["region"] == evidence.focus()), None)
        if mine:
            desc += " " + _("%(place)s ranks %(rank)d of %(n)d.") % {
                **words, "rank": ranked.index(mine) + 1, "n": len(ranked)}
    columns = [Column("region", _("Region code")), Column("name", _("Region")),
               Column("lq", _("Location quotient"), 3)]
    spec = map_spec(geo, values, title=_("%(sector)s by region, %(year)s") % {
        "sector": sector.title, "year": when}, legend=_("Location quotient"),
        no_value=_("no value"), notes=_older_regions(values), region_title=_("Region"),
        points=_older_points(values))
    return Chart("map", _("%(sector)s by region, %(year)s") % {
        "sector": sector.title, "year": when}, desc, columns, rows, spec,
        source=_source() + " · © EuroGeographics " + _("for the administrative boundaries"),
        notes=[_("Every province is drawn. Where the data use NUTS 2016 provinces that the "
                 "NUTS 2021 outlines no longer have (provinces redrawn since), each of them "
                 "is a dot at its capital, coloured by its own value, over the current "
                 "outlines in grey; the table lists them by name.")]
        if old.keys() & values.keys() else [])


@lru_cache(maxsize=1)
def changed_codes() -> dict[str, tuple[str, list[str]]]:
    """NUTS 2016 code -> (name, NUTS 2021 codes now covering it), from Eurostat's official
    correspondence (``data/nuts-2016-2021-changes.csv``)."""
    import csv

    with CHANGES.open(encoding="utf-8", newline="") as fh:
        return {r["code_2016"]: (r["name_2016"], r["codes_2021"].split())
                for r in csv.DictReader(fh)}


def _older_points(values: dict[str, float | None]) -> list[dict[str, Any]]:
    """The 2016 regions of the data that have no NUTS 2021 outline, as dots at their
    capitals (``data/nuts-2016-capitals.csv``) carrying their own values."""
    import csv

    old = changed_codes()
    with CAPITALS.open(encoding="utf-8", newline="") as fh:
        return [{"region": r["code_2016"], "name": f"{old[r['code_2016']][0]} (NUTS 2016)",
                 "lon": float(r["lon"]), "lat": float(r["lat"]),
                 "value": values[r["code_2016"]]}
                for r in csv.DictReader(fh) if r["code_2016"] in values]


def _older_regions(values: dict[str, float | None]) -> dict[str, str]:
    """For each NUTS 2021 outline without a value, the 2016 regions (with their values)
    whose territory it covers: the tooltip of a grey province."""
    out: dict[str, list[str]] = {}
    for code, (name, new_codes) in changed_codes().items():
        if code in values:
            v = values[code]
            text = f"{name} {fmt_number(v, lang(), digits=2) if v is not None else '–'}"
            for c in new_codes:
                out.setdefault(c, []).append(text)
    return {c: _("no value; NUTS 2016: %(list)s") % {"list": "; ".join(v)}
            for c, v in out.items()}


BUILDERS = {"employment": employment_chart, "lq": lq_chart, "shift-share": shift_share_chart,
            "opportunity": opportunity_chart, "map": map_chart}


_BUILT: dict[tuple[str, ...], Chart] = {}


def chart(sector: Sector, name: str) -> Chart:
    """Chart ``name`` of ``sector`` in the active language, built once per process (the
    panel is fixed while the process lives; a sector's title or codes are in the key)."""
    key = (evidence.site_regions().model_dump_json(), name, sector.slug, lang(), sector.title,
           sector.proxy, tuple(sector.nace), *sector.industries)
    if key not in _BUILT:
        c = BUILDERS[name](sector)
        c.provenance = provenance(sector)
        if "©" in c.source:  # the boundaries' credit stays beside the figure
            c.notes = [*c.notes, "© " + c.source.split("©", 1)[1].strip()]
        _BUILT[key] = c
    return _BUILT[key]


def provenance(sector: Sector) -> Provenance:
    """Where a sector chart's figures come from: the panel's source, table code and
    licence, and for a proxy which codes and which geography measure it."""
    meta = evidence.panel().meta
    codes = ", ".join(sector.industries)
    level = f"NUTS {len(evidence.focus()) - 2}" if evidence.focus()[:2].isalpha() else ""
    note = Text(it=f"NACE {codes}" + (f", {level}" if level else ""),
                en=f"NACE {codes}" + (f", {level}" if level else ""))
    if sector.proxy:
        nace = ", ".join(sector.nace)
        note = Text(it=f"{note.it}: approssimazione del settore ({nace})",
                    en=f"{note.en}: a proxy for the sector ({nace})")
    source = (meta.attribution or _source()).removeprefix("Source: ")
    if meta.dataset and source.endswith(f", {meta.dataset}"):
        source = source[: -len(meta.dataset) - 2]
    return Provenance(source=source or None, dataset=meta.dataset or None,
                      licence=meta.licence or None, note=note, proxy=sector.proxy)


def available() -> list[str]:
    """The charts the site's data allow: the map only when the boundaries hold the peers."""
    names = list(BUILDERS)
    codes = {f["properties"]["NUTS_ID"] for f in _geojson()["features"]}
    if not codes & set(evidence.peers()):
        names.remove("map")
    return names


def charts(sector: Sector) -> list[Chart]:
    """The sector's charts; one whose data the plan's regions lack (e.g. European
    opportunities for a US metropolitan area) is left out, the others shown."""
    out, missing = [], []
    for name in available():
        try:
            out.append(chart(sector, name))
        except evidence.EvidenceUnavailable as exc:
            missing.append(exc)
    if missing and not out:
        raise missing[0]
    return out
