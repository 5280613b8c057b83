"""A plan folder's indicator values as one tidy CSV (``values.csv``), beside the YAML.

Bitemporal observations are data, not prose: they live in a CSV that a statistician can
edit or regenerate, one row per (edition, indicator, period, published). On loading, each
row joins its indicator's ``observations``; on saving a folder, every observation is
written here and none in the YAML.

Columns: ``edition, indicator, period, value, published, revision_note.it,
revision_note.en, source, confidence, illustrative, note.it, note.en, dataset, licence,
retrieved, proxy``. ``published`` is the release date of the data vintage the value
comes from, ``retrieved`` the day it was recorded. A blank ``value`` is a missing value
(kept as missing, never zero); older files without the last four columns still load.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from innesto.errors import PlanError
from innesto.i18n import msg

FILE = "values.csv"
COLUMNS = ["edition", "indicator", "period", "value", "published", "revision_note.it",
           "revision_note.en", "source", "confidence", "illustrative", "note.it", "note.en",
           "dataset", "licence", "retrieved", "proxy"]
FLAGS = ("illustrative", "proxy")


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, observation data with ``edition`` and ``indicator``) for each row."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("edition", "indicator", "period", "published") if c not in (reader.fieldnames or [])]
    if missing:
        raise PlanError(msg("%(path)s, line 1: missing column(s) %(missing)s; the columns are "
                        "%(fieldnames)s", path=path, missing=missing,
                        fieldnames=reader.fieldnames))
    out = []
    for row in reader:
        line = reader.line_num
        obs: dict[str, Any] = {}
        for col, raw in row.items():
            if col is None or raw is None or raw.strip() == "":
                continue
            raw = raw.strip()
            if "." in col:
                field, lang = col.split(".", 1)
                obs.setdefault(field, {})[lang] = raw
            elif col in FLAGS:
                obs[col] = raw.lower() in ("true", "1", "yes", "sì", "si")
            else:
                obs[col] = raw
        out.append((line, obs))
    return out


def merge(data: dict[str, Any], rows: list[tuple[int, dict[str, Any]]], file: str,
          marks: dict[Any, Any], where: Any) -> None:
    """Append each row to its indicator's observations in the plan data, recording its line."""
    index: dict[tuple[str, str], tuple[int, int, dict[str, Any]]] = {}
    for e, ed in enumerate(data.get("editions") or []):
        if not isinstance(ed, dict):
            continue
        for i, ind in enumerate(ed.get("indicators") or []):
            if isinstance(ind, dict):
                index[(str(ed.get("edition")), str(ind.get("id")))] = (e, i, ind)
    for line, obs in rows:
        key = (obs.pop("edition", ""), obs.pop("indicator", ""))
        if key not in index:
            raise PlanError(msg("%(file)s, line %(line)s: no indicator %(what)s in edition "
                            "%(what2)s", file=file, line=line, what=repr(key[1]),
                            what2=repr(key[0])))
        e, i, ind = index[key]
        lst = ind.setdefault("observations", [])
        loc = ("editions", e, "indicators", i, "observations", len(lst))
        lst.append(obs)
        marks[loc] = where(file, line, 1)
        for k in obs:
            marks[(*loc, k)] = where(file, line, 1 + COLUMNS.index(k) if k in COLUMNS else 1)


def extract(data: dict[str, Any]) -> str:
    """Remove every observation from the plan data and return them as CSV text."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for ed in data.get("editions", []):
        for ind in ed.get("indicators", []):
            for obs in ind.pop("observations", []):
                row = {"edition": ed["edition"], "indicator": ind["id"]}
                for k, v in obs.items():
                    if isinstance(v, dict):
                        for lang, text in v.items():
                            row[f"{k}.{lang}"] = text
                    elif isinstance(v, bool):
                        row[k] = "true" if v else "false"
                    else:
                        row[k] = v
                w.writerow(row)
    return buf.getvalue()
