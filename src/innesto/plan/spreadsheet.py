"""Spreadsheet round-trip: export a plan to XLSX or CSV, edit it, import it back.

The export and import formats are the same. XLSX has one sheet per table of
:mod:`innesto.plan.tables`; CSV is one file whose first column, ``table``, names the table
of each row (the other columns are the union of the tables' columns, blank where they do
not apply). Texts have one column per language (``title.it``, ``title.en``).

Import upserts on the rows' stable keys: a row whose key exists replaces it, a new key adds
a row, and rows absent from the file are kept. :func:`import_plan` validates everything
first; with ``dry_run`` (or on any bad row) nothing is written, and the per-row diff says
what would change. CSV text encoding (UTF-8, with or without BOM, or a legacy code page) and
delimiter (``,`` ``;`` or tab) are detected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innesto.errors import PlanError
from innesto.plan.assemble import TableError, assemble
from innesto.plan.model import PlanSet
from innesto.plan.tables import BY_NAME, TABLES, columns, flatten, row_key

NUMERIC = {"value", "weight", "planned", "committed", "spent", "limit", "baseline.value",
           "target.value", "trajectory.tolerance", "edition", "horizon", "previous",
           "to_edition", "n"}


def csv_columns() -> list[str]:
    out = ["table"]
    for t in TABLES:
        out += [c for c in columns(t) if c not in out]
    return out


# ---------------------------------------------------------------------- writing
def to_csv(ps: PlanSet) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=csv_columns(), lineterminator="\n")
    w.writeheader()
    for name, rows in flatten(ps).items():
        for row in rows:
            w.writerow({"table": name, **row})
    return buf.getvalue()


def _number(text: str) -> Any:
    """A number cell when the spreadsheet keeps it exactly (15 significant digits), else text."""
    try:
        f = float(text)
    except ValueError:
        return text
    if float(f"{f:.15g}") != f:
        return text
    return int(f) if f.is_integer() and abs(f) < 1e15 and "." not in text and "e" not in text.lower() else f


def to_xlsx_bytes(ps: PlanSet) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for t in TABLES:
        ws = wb.create_sheet(t.name)
        cols = columns(t)
        ws.append(cols)
        for row in flatten(ps)[t.name]:
            ws.append([_number(row.get(c, "")) if c in NUMERIC and row.get(c) else
                       (row.get(c, "") or None) for c in cols])
            for c in ws[ws.max_row]:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # a text, never a formula
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------- reading
def decode(raw: bytes, path: str = "") -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), else the detected code page."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    best = matches.best()
    if best is None:
        raise PlanError(f"{path}: cannot tell the text encoding of the file")
    # Spreadsheets saved in Italy use Windows-1252: prefer it when it reads as cleanly as
    # the best guess (short texts are ambiguous between Western and Central European).
    for m in matches:
        if m.encoding == "cp1252" and m.chaos <= best.chaos:
            return str(m), m.encoding
    return str(best), best.encoding


def read_csv(path: str | Path) -> dict[str, list[dict[str, str]]]:
    p = Path(path)
    text, _ = decode(p.read_bytes(), str(p))
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)  # the header holds plain column names
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "table" not in reader.fieldnames:
        raise PlanError(f"{p}, line 1: no 'table' column (the columns are {reader.fieldnames})")
    known = set(csv_columns())
    unknown = [c for c in reader.fieldnames if c not in known]
    if unknown:
        raise PlanError(f"{p}, line 1: unknown column(s) {unknown}")
    out: dict[str, list[dict[str, str]]] = {t.name: [] for t in TABLES}
    for row in reader:
        name = (row.pop("table") or "").strip()
        if name not in out:
            raise PlanError(f"{p}, line {reader.line_num}: unknown table {name!r} "
                            f"(expected one of {', '.join(out)})")
        cols = set(columns(BY_NAME[name]))
        out[name].append({k: v for k, v in row.items() if k in cols and v is not None})
    return out


def _cell_text(v: Any) -> str:
    from innesto.plan.tables import cell

    if v is None:
        return ""
    if isinstance(v, float):
        return cell(v)
    return cell(v) if not isinstance(v, str) else v


def read_xlsx(path: str | Path) -> dict[str, list[dict[str, str]]]:
    from openpyxl import load_workbook

    p = Path(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise PlanError(f"{p}: not a readable XLSX workbook ({exc})") from None
    out: dict[str, list[dict[str, str]]] = {t.name: [] for t in TABLES}
    for ws in wb.worksheets:
        if ws.title not in out:
            raise PlanError(f"{p}: unknown sheet {ws.title!r} (expected {', '.join(out)})")
        rows = ws.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(rows, ())]
        allowed = set(columns(BY_NAME[ws.title]))
        unknown = [h for h in header if h and h not in allowed]
        if unknown:
            raise PlanError(f"{p}, sheet {ws.title!r}, row 1: unknown column(s) {unknown}")
        for values in rows:
            if values is None or all(v is None for v in values):
                continue
            out[ws.title].append({h: _cell_text(v) for h, v in zip(header, values, strict=False) if h})
    wb.close()
    return out


def read_tables(path: str | Path) -> dict[str, list[dict[str, str]]]:
    """The tables of an XLSX, CSV, JSON or YAML plan file."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    if suffix in (".json", ".yaml", ".yml"):
        from innesto.plan.yaml_io import load_plan

        return flatten(load_plan(path))
    raise PlanError(f"{path}: expected a .xlsx, .csv, .json or .yaml file")


# ---------------------------------------------------------------------- import with diff
@dataclass
class RowChange:
    table: str
    key: tuple[str, ...]
    kind: str  # "added", "changed", "unchanged", "kept"
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __str__(self) -> str:
        key = "/".join(k for k in self.key if k)
        if self.kind == "changed":
            what = "; ".join(f"{c}: {o!r} -> {n!r}" for c, (o, n) in self.changes.items())
            return f"~ {self.table} {key}: {what}"
        return f"{'+' if self.kind == 'added' else '='} {self.table} {key}"


@dataclass
class ImportResult:
    planset: PlanSet
    changes: list[RowChange]
    written: list[Path]

    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out


def merge(old: dict[str, list[dict[str, str]]], new: dict[str, list[dict[str, str]]]
          ) -> tuple[dict[str, list[dict[str, str]]], list[RowChange]]:
    """Upsert ``new`` rows into ``old`` by key; report each row's change."""
    merged: dict[str, list[dict[str, str]]] = {}
    changes: list[RowChange] = []
    for t in TABLES:
        cols = columns(t)
        rows = [dict(r) for r in old.get(t.name, [])]
        index = {row_key(t, r): i for i, r in enumerate(rows)}
        seen: set[tuple[str, ...]] = set()
        for r in new.get(t.name, []):
            r = {c: (r.get(c) or "").strip() for c in cols}
            k = row_key(t, r)
            if k in seen:
                raise TableError([_dup(t.name, k)])
            seen.add(k)
            if k in index:
                before = {c: (rows[index[k]].get(c) or "") for c in cols}
                diff = {c: (before[c], r[c]) for c in cols if before[c] != r[c]}
                changes.append(RowChange(t.name, k, "changed" if diff else "unchanged", diff))
                rows[index[k]] = r
            else:
                changes.append(RowChange(t.name, k, "added"))
                index[k] = len(rows)
                rows.append(r)
        for k in index:
            if k not in seen and new.get(t.name):
                changes.append(RowChange(t.name, k, "kept"))
        merged[t.name] = rows
    return merged, changes


def _dup(table: str, key: tuple[str, ...]) -> Any:
    from innesto.plan.assemble import RowProblem

    return RowProblem(table, 0, None, f"two rows with the key {'/'.join(key)}")


def import_plan(file: str | Path, into: str | Path, *, dry_run: bool = False) -> ImportResult:
    """Upsert the rows of ``file`` (XLSX or CSV) into the plan at ``into`` (file or folder;
    created when absent). Raises :class:`PlanError` naming every bad row; writes nothing
    then, nor with ``dry_run``."""
    from innesto.plan.yaml_io import load_plan, save_plan

    target = Path(into)
    old = flatten(load_plan(target)) if target.exists() else {t.name: [] for t in TABLES}
    new = read_tables(file)
    try:
        merged, changes = merge(old, new)
        ps, _ = assemble(merged)
    except TableError as exc:
        raise PlanError(f"{file}: nothing imported; {len(exc.problems)} problem(s):\n{exc}") from None
    written = [] if dry_run else save_plan(ps, target)
    return ImportResult(ps, changes, written)


def export_plan(ps: PlanSet, fmt: str) -> bytes:
    """The plan as ``xlsx``, ``csv`` or ``json`` bytes."""
    if fmt == "xlsx":
        return to_xlsx_bytes(ps)
    if fmt == "csv":
        return to_csv(ps).encode("utf-8")
    if fmt == "json":
        import json

        from innesto.plan.yaml_io import to_data

        return (json.dumps(to_data(ps), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise PlanError(f"unknown format {fmt!r}; expected xlsx, csv or json")


def changed_only(changes: Iterable[RowChange]) -> list[RowChange]:
    return [c for c in changes if c.kind in ("added", "changed")]
