"""Indicator data for Open SDG and Frictionless: tidy CSV, indicator config, Data Package.

For each indicator of each edition the folder gets:

* ``data/indicator_<edition>-<id>.csv``: Open SDG's data format, ``Year`` first and
  ``Value`` last, with ``Units`` (Open SDG's unit column) and ``COMMENT_OBS`` (an
  observation attribute in Open SDG) between them; the values are those published by
  ``as_of`` (all when None), one per year;
* ``indicator-config/<edition>-<id>.yml``: Open SDG indicator configuration with
  ``progress_calculation_options`` (base year, target, target year, direction, limit), so
  Open SDG computes the same status as innesto;

and once:

* ``values.csv``: every vintage of every value (bitemporal), with ``published``;
* ``datapackage.json``: a Frictionless *tabular data package* describing each CSV with a
  Table Schema (field names, types, missing values) and its sources.

Examples
--------
>>> from innesto.plan.examples import tiny_planset
>>> pkg = datapackage(tiny_planset())
>>> pkg["profile"], [r["name"] for r in pkg["resources"]]
('tabular-data-package', ['indicator_2006-share', 'values'])
>>> print(opensdg_csv(tiny_planset().edition(2006).indicator("share")).splitlines()[:3])
['Year,Units,COMMENT_OBS,Value', '2010,%,,1.2', '2017,%,revised,1.25']
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
from innesto.plan.tables import cell

OPENSDG_FIELDS: list[dict[str, Any]] = [
    {"name": "Year", "type": "integer", "title": "Year"},
    {"name": "Units", "type": "string", "title": "Units"},
    {"name": "COMMENT_OBS", "type": "string", "title": "Observation comment"},
    {"name": "Value", "type": "number", "title": "Value"},
]
VALUES_FIELDS: list[dict[str, Any]] = [
    {"name": "edition", "type": "integer"}, {"name": "indicator", "type": "string"},
    {"name": "period", "type": "string"}, {"name": "value", "type": "number"},
    {"name": "published", "type": "date"}, {"name": "revision_note", "type": "string"},
    {"name": "source", "type": "string"}, {"name": "confidence", "type": "string",
                                           "constraints": {"enum": ["A", "B", "C", "disputed"]}},
    {"name": "illustrative", "type": "boolean"},
]


def opensdg_csv(ind: Indicator, as_of: date | None = None) -> str:
    """The indicator's values as of a date in Open SDG's tidy CSV format."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f["name"] for f in OPENSDG_FIELDS])
    for period, obs in values_as_of(ind.observations, as_of).items():
        comment = obs.revision_note.get("en") if obs.revision_note else (
            obs.note.get("en") if obs.note else "")
        w.writerow([period[:4], ind.unit.get("en"), comment, cell(obs.value)])
    return buf.getvalue()


def indicator_config(plan: Plan, ind: Indicator) -> dict[str, Any]:
    """Open SDG indicator configuration, with the progress calculation options."""
    opts: dict[str, Any] = {"direction": "positive" if ind.direction == "increase" else "negative"}
    if ind.baseline is not None:
        opts["base_year"] = int(ind.baseline.period[:4])
    if ind.target is not None:
        opts["target"] = ind.target.value
        opts["target_year"] = int(ind.target.period[:4])
    if ind.limit is not None:
        opts["limit"] = ind.limit
    return {
        "indicator_number": f"{plan.edition}-{ind.id}",
        "indicator_name": ind.name.get("en"),
        "reporting_status": "complete" if ind.observations else "notstarted",
        "auto_progress_calculation": True,
        "progress_calculation_options": [opts],
        "computation_units": ind.unit.get("en"),
        "sources": [{"organisation": ind.source}] if ind.source else [],
    }


def values_csv(ps: PlanSet) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f["name"] for f in VALUES_FIELDS])
    for plan in ps.editions:
        for ind in plan.indicators:
            for o in ind.observations:
                w.writerow([plan.edition, ind.id, o.period, cell(o.value), o.published.isoformat(),
                            o.revision_note.get("en") if o.revision_note else "",
                            o.source or "", o.confidence or "", cell(o.illustrative)])
    return buf.getvalue()


def datapackage(ps: PlanSet) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the folder :func:`write_datapackage` writes."""
    resources = []
    for plan in ps.editions:
        for ind in plan.indicators:
            name = f"indicator_{plan.edition}-{ind.id}"
            resources.append({
                "name": name, "path": f"data/{name}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "title": ind.name.get("en"), "description": ind.name.get("it"),
                "sources": [{"title": ind.source}] if ind.source else [],
                "schema": {"fields": OPENSDG_FIELDS, "missingValues": [""]},
            })
    resources.append({
        "name": "values", "path": "values.csv", "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "title": "Every published value of every indicator (bitemporal)",
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
            files[out / "data" / f"indicator_{stem}.csv"] = opensdg_csv(ind, as_of)
            files[out / "indicator-config" / f"{stem}.yml"] = yaml.safe_dump(
                indicator_config(plan, ind), sort_keys=False, allow_unicode=True)
    files[out / "values.csv"] = values_csv(ps)
    files[out / "datapackage.json"] = json.dumps(datapackage(ps), ensure_ascii=False, indent=2) + "\n"
    for path, text in files.items():
        write_text(path, text)
    return list(files)
