"""Indicator data for Open SDG and Frictionless: tidy CSV, indicator config, Data Package.

For each indicator of each edition the folder gets:

* ``data/indicator_<edition>-<id>.csv``: Open SDG's data format reduced to its total
  line, ``Year`` and ``Value`` only: sdg-build's progress calculation keeps only the rows
  whose every column between ``Year`` and ``Value`` is empty, so a unit or comment column
  there would hide the series from it. The values are those the status uses as of
  ``as_of`` (all when None), one per year, the baseline included when no published value
  covers its year;
* ``indicator-config/<edition>-<id>.yml``: Open SDG indicator configuration with
  ``progress_calculation_options`` (base year, target, target year, direction, limit), so
  Open SDG computes the same status as innesto, the unit as ``computation_units`` and each
  year's comment (``baseline``, a revision or value note) in ``data_footnote``;

and once:

* ``values.csv``: every vintage of every value (bitemporal), with ``published`` (the
  vintage's release date) and its provenance (unit, source, dataset, licence, retrieval
  date, confidence, proxy and illustrative flags, note);
* ``datapackage.json``: a Frictionless *tabular data package* describing each CSV with a
  Table Schema (field names, types, missing values) and its sources.

Examples
--------
>>> from innesto.plan.examples import tiny_planset
>>> pkg = datapackage(tiny_planset())
>>> pkg["profile"], [r["name"] for r in pkg["resources"]]
('tabular-data-package', ['indicator_2006-share', 'values'])
>>> print(opensdg_csv(tiny_planset().edition(2006).indicator("share")).splitlines()[:3])
['Year,Value', '2006,1.1', '2010,1.2']
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from innesto.plan.bitemporal import as_of as values_as_of
from innesto.plan.model import Indicator, Plan, PlanSet
from innesto.plan.provenance import COLUMNS, of_indicator, of_value
from innesto.plan.tables import cell

OPENSDG_FIELDS: list[dict[str, Any]] = [
    {"name": "Year", "type": "integer", "title": "Year"},
    {"name": "Value", "type": "number", "title": "Value"},
]
_PROV_TYPES = {"released": "date", "retrieved": "date", "proxy": "boolean",
               "illustrative": "boolean"}
VALUES_FIELDS: list[dict[str, Any]] = [
    {"name": "edition", "type": "integer"}, {"name": "indicator", "type": "string"},
    {"name": "period", "type": "string"}, {"name": "value", "type": "number"},
    {"name": "published", "type": "date",
     "description": "release date of the data vintage the value comes from"},
    {"name": "revision_note", "type": "string"},
    *({"name": c, "type": _PROV_TYPES.get(c, "string")} for c in COLUMNS if c != "released"),
]
for _f in VALUES_FIELDS:
    if _f["name"] == "confidence":
        _f["constraints"] = {"enum": ["A", "B", "C", "disputed"]}
BASELINE_COMMENT = "baseline"


def series_rows(ind: Indicator, as_of: date | None = None,
                illustrative: str = "include") -> list[tuple[int, float, str]]:
    """(year, value, comment) of every value the status of ``ind`` uses as of ``as_of``:
    the values published by then, one per year, and the baseline when no value covers
    its year (as :func:`innesto.plan.indicators.evaluate_indicator` does)."""
    obs = [o for o in ind.observations if illustrative != "exclude" or not o.illustrative]
    out: dict[int, tuple[float, str]] = {}
    for period, o in values_as_of(obs, as_of).items():
        if o.value is None or not period[:4].isdigit():
            continue
        comment = o.revision_note.get("en") if o.revision_note else (
            o.note.get("en") if o.note else "")
        out[int(period[:4])] = (float(o.value), comment)
    if ind.baseline is not None:
        out.setdefault(int(ind.baseline.period[:4]), (ind.baseline.value, BASELINE_COMMENT))
    return [(y, v, c) for y, (v, c) in sorted(out.items())]


def opensdg_csv(ind: Indicator, as_of: date | None = None, illustrative: str = "include") -> str:
    """The values the indicator's status uses as of a date, in Open SDG's tidy CSV format."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f["name"] for f in OPENSDG_FIELDS])
    for year, value, _comment in series_rows(ind, as_of, illustrative):
        w.writerow([year, cell(value)])
    return buf.getvalue()


def data_footnote(rows: list[tuple[int, float, str]]) -> str:
    """Each year's comment of the exported series (``2006: baseline; 2017: revised``)."""
    return "; ".join(f"{year}: {comment}" for year, _value, comment in rows if comment)


def indicator_config(plan: Plan, ind: Indicator, as_of: date | None = None) -> dict[str, Any]:
    """Open SDG indicator configuration, with the progress calculation options innesto
    used: the base year is always written (Open SDG would otherwise assume 2015), as is
    the target year of a target."""
    opts: dict[str, Any] = {"direction": "positive" if ind.direction == "increase" else "negative"}
    rows = series_rows(ind, as_of)
    if ind.baseline is not None:
        opts["base_year"] = int(ind.baseline.period[:4])
    elif rows:
        opts["base_year"] = rows[0][0]
    if ind.target is not None:
        opts["target"] = ind.target.value
        opts["target_year"] = int(ind.target.period[:4])
    if ind.limit is not None:
        opts["limit"] = ind.limit
    prov = of_indicator(ind)
    return {
        "indicator_number": f"{plan.edition}-{ind.id}",
        "indicator_name": ind.name.get("en"),
        "reporting_status": "complete" if rows else "notstarted",
        "auto_progress_calculation": True,
        "progress_calculation_options": [opts],
        "computation_units": ind.unit.get("en"),
        "data_footnote": data_footnote(rows),
        "sources": [{"organisation": ind.source, "licence": prov.licence_text("en")}]
        if ind.source else [],
        "illustrative": ind.illustrative,
    }


def values_csv(ps: PlanSet) -> str:
    """Every published value of every indicator (bitemporal) with its provenance."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f["name"] for f in VALUES_FIELDS])
    for plan in ps.editions:
        for ind in plan.indicators:
            for o in ind.observations:
                prov = of_value(ind, o).row("en")
                w.writerow([plan.edition, ind.id, o.period, cell(o.value), o.published.isoformat(),
                            o.revision_note.get("en") if o.revision_note else "",
                            *(prov[c] for c in COLUMNS if c != "released")])
    return buf.getvalue()


def _sources(ind: Indicator) -> list[dict[str, Any]]:
    """The distinct sources of an indicator's values, each with its own licence."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for p in [of_indicator(ind), *(of_value(ind, o) for o in ind.observations)]:
        if p.source:
            seen.setdefault((p.source, p.licence_text("en")), {
                "title": ", ".join(x for x in (p.source, p.dataset) if x),
                "licence": p.licence_text("en")})
    return list(seen.values())


def datapackage(ps: PlanSet) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the folder :func:`write_datapackage` writes.

    No package-wide licence is declared: each resource lists its sources with their own
    licence or rights statement (a press figure is quoted, never relicensed)."""
    resources = []
    for plan in ps.editions:
        for ind in plan.indicators:
            name = f"indicator_{plan.edition}-{ind.id}"
            resources.append({
                "name": name, "path": f"data/{name}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "title": ind.name.get("en"), "description": ind.name.get("it"),
                "sources": _sources(ind),
                "schema": {"fields": OPENSDG_FIELDS, "missingValues": [""]},
            })
    resources.append({
        "name": "values", "path": "values.csv", "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "title": "Every published value of every indicator (bitemporal)",
        "sources": [src for plan in ps.editions for ind in plan.indicators
                    for src in _sources(ind)],
        "schema": {"fields": VALUES_FIELDS, "missingValues": [""],
                   "primaryKey": ["edition", "indicator", "period", "published"]},
    })
    return {"profile": "tabular-data-package", "name": ps.id,
            "title": ps.title.get("en"), "description": ps.title.get("it"),
            "resources": resources}


def write_datapackage(ps: PlanSet, folder: str | Path, as_of: date | None = None) -> list[Path]:
    """Write the Open SDG files and the Data Package into ``folder`` (each file atomically)."""
    from innesto._atomic import write_text

    out = Path(folder)
    files: dict[Path, str] = {}
    for plan in ps.editions:
        for ind in plan.indicators:
            stem = f"{plan.edition}-{ind.id}"
            files[out / "data" / f"indicator_{stem}.csv"] = opensdg_csv(
                ind, as_of, ps.status.illustrative)
            files[out / "indicator-config" / f"{stem}.yml"] = yaml.safe_dump(
                indicator_config(plan, ind, as_of), sort_keys=False, allow_unicode=True)
    files[out / "values.csv"] = values_csv(ps)
    files[out / "datapackage.json"] = json.dumps(datapackage(ps), ensure_ascii=False, indent=2) + "\n"
    for path, text in files.items():
        write_text(path, text)
    return list(files)
