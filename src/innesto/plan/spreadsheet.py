"""Spreadsheet round-trip: export a plan to XLSX or CSV, edit it, import it back.

The export and import formats are the same. XLSX has one sheet per table of
:mod:`innesto.plan.tables`; CSV is one file whose first column, ``table``, names the table
of each row (the other columns are the union of the tables' columns, blank where they do
not apply). Texts have one column per language (``title.it``, ``title.en``).

Import is a **three-way merge** on the rows' stable keys. An export records what it
exported, its *base* (a hidden ``_base`` sheet in XLSX, ``_base`` rows in CSV: the plan's
tables, compressed, with the export's time). On import, for every row and cell, the
spreadsheet is compared with the plan files as they are now and with that base:

=================================  ==============================================
spreadsheet vs base, files vs base  result
=================================  ==============================================
spreadsheet changed, files not      the spreadsheet's value is written
files changed, spreadsheet not      the files' value is kept (an edit made after the export)
both changed, to one value          nothing to do
both changed, differently           **conflict**: refused unless ``overwrite``
=================================  ==============================================

A row added in the spreadsheet is added; a row deleted from it is removed when the files
did not change it since the export (a table left empty is not part of the import); a row
added to the files since the export is kept. Without a base (a JSON or YAML file, a
spreadsheet not made by ``export``) nothing tells what the files said, so every cell that
differs from the files is a conflict. Everything is validated before anything is written;
with ``dry_run`` (or on any bad row) nothing is written, and the per-row diff says what
would change. CSV text encoding (UTF-8, with or without BOM, or a legacy code page) and
delimiter (``,`` ``;`` or tab) are detected.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from innesto.errors import PlanError
from innesto.i18n import msg, nmsg
from innesto.plan.assemble import TableError, assemble
from innesto.plan.model import PlanSet
from innesto.plan.tables import BY_NAME, TABLES, columns, flatten, row_key

Tables = dict[str, list[dict[str, str]]]

#: The sheet (XLSX) or ``table`` (CSV) that carries an export's base.
BASE = "_base"
#: Characters of the base per cell (a spreadsheet cell holds at most 32,767).
CHUNK = 30_000

NUMERIC = {"value", "weight", "planned", "committed", "spent", "limit", "baseline.value",
           "target.value", "trajectory.tolerance", "edition", "horizon", "previous",
           "to_edition", "n"}


def csv_columns() -> list[str]:
    out = ["table"]
    for t in TABLES:
        out += [c for c in columns(t) if c not in out]
    return out


# ---------------------------------------------------------------------- writing
def base_chunks(tables: Tables, exported: datetime | None = None) -> list[str]:
    """The base of an export (``tables`` and when they were exported) as cell texts:
    JSON, compressed, base64, cut into :data:`CHUNK`-character pieces."""
    when = (exported or datetime.now(UTC)).isoformat(timespec="seconds")
    raw = json.dumps({"exported": when, "tables": tables}, ensure_ascii=False,
                     separators=(",", ":")).encode("utf-8")
    text = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    return [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]


def read_base(chunks: list[str], where: str) -> dict[str, Any]:
    """The inverse of :func:`base_chunks`: ``{"exported": ..., "tables": ...}``."""
    try:
        data = json.loads(zlib.decompress(base64.b64decode("".join(chunks))))
    except (ValueError, zlib.error):
        raise PlanError(msg("%(where)s: the export's base (%(BASE)s) is damaged; export the plan "
                        "again, or remove it to import without a base", where=where, BASE=BASE)) from None
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise PlanError(msg("%(where)s: the export's base (%(BASE)s) is not an innesto export base",
                        where=where, BASE=BASE))
    return data


def to_csv(ps: PlanSet, *, base: bool = True) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=csv_columns(), lineterminator="\n")
    w.writeheader()
    tables = flatten(ps)
    for name, rows in tables.items():
        for row in rows:
            w.writerow({"table": name, **row})
    if base:
        for n, chunk in enumerate(base_chunks(tables), 1):
            w.writerow({"table": BASE, "n": str(n), "id": chunk})
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


def to_xlsx_bytes(ps: PlanSet, *, base: bool = True) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    tables = flatten(ps)
    for t in TABLES:
        ws = wb.create_sheet(t.name)
        cols = columns(t)
        ws.append(cols)
        for row in tables[t.name]:
            ws.append([_number(row.get(c, "")) if c in NUMERIC and row.get(c) else
                       (row.get(c, "") or None) for c in cols])
            for c in ws[ws.max_row]:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # a text, never a formula
        ws.freeze_panes = "A2"
    if base:
        ws = wb.create_sheet(BASE)
        ws.sheet_state = "hidden"
        ws.append(["n", "base"])
        for n, chunk in enumerate(base_chunks(tables), 1):
            ws.append([n, chunk])
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
        raise PlanError(msg("%(path)s: cannot tell the text encoding of the file", path=path))
    # Spreadsheets saved in Italy use Windows-1252: prefer it when it reads as cleanly as
    # the best guess (short texts are ambiguous between Western and Central European).
    for m in matches:
        if m.encoding == "cp1252" and m.chaos <= best.chaos:
            return str(m), m.encoding
    return str(best), best.encoding


@dataclass
class Sheet:
    """What an uploaded file holds: its tables and, when it was made by ``export``, the
    base it was exported from (``exported`` is when)."""

    tables: Tables
    base: Tables | None = None
    exported: str = ""


def _with_base(tables: Tables, chunks: list[tuple[int, str]], where: str) -> Sheet:
    if not chunks:
        return Sheet(tables)
    data = read_base([c for _, c in sorted(chunks)], where)
    return Sheet(tables, {str(k): list(v) for k, v in data["tables"].items()},
                 str(data.get("exported", "")))


def read_csv(path: str | Path) -> Tables:
    return read_csv_export(path).tables


def read_csv_export(path: str | Path) -> Sheet:
    p = Path(path)
    text, _ = decode(p.read_bytes(), str(p))
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)  # the header holds plain column names
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "table" not in reader.fieldnames:
        raise PlanError(msg("%(p)s, line 1: no 'table' column (the columns are %(fieldnames)s)",
                        p=p, fieldnames=reader.fieldnames))
    known = set(csv_columns())
    unknown = [c for c in reader.fieldnames if c not in known]
    if unknown:
        raise PlanError(msg("%(p)s, line 1: unknown column(s) %(unknown)s", p=p, unknown=unknown))
    out: Tables = {t.name: [] for t in TABLES}
    chunks: list[tuple[int, str]] = []
    for row in reader:
        name = (row.pop("table") or "").strip()
        if name == BASE:
            chunks.append((int(row.get("n") or 0), row.get("id") or ""))
        else:
            out[_table(name, out, p, reader.line_num)].append(_csv_row(name, row))
    return _with_base(out, chunks, str(p))


def _table(name: str, out: Tables, p: Path, line: int) -> str:
    if name not in out:
        raise PlanError(msg("%(p)s, line %(line)s: unknown table %(name)s (expected one of "
                        "%(items)s)", p=p, line=line, name=repr(name), items=', '.join(out)))
    return name


def _csv_row(name: str, row: dict[str, Any]) -> dict[str, str]:
    cols = set(columns(BY_NAME[name]))
    return {k: v for k, v in row.items() if k in cols and v is not None}


def _cell_text(v: Any) -> str:
    from innesto.plan.tables import cell

    if v is None:
        return ""
    if isinstance(v, float):
        return cell(v)
    return cell(v) if not isinstance(v, str) else v


def read_xlsx(path: str | Path) -> Tables:
    return read_xlsx_export(path).tables


def read_xlsx_export(path: str | Path) -> Sheet:
    from openpyxl import load_workbook

    p = Path(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise PlanError(msg("%(p)s: not a readable XLSX workbook (%(exc)s)", p=p, exc=exc)) from None
    out: Tables = {t.name: [] for t in TABLES}
    chunks: list[tuple[int, str]] = []
    for ws in wb.worksheets:
        if ws.title == BASE:
            chunks = [(int(n), str(c or "")) for n, c, *_ in
                      ws.iter_rows(min_row=2, values_only=True) if n is not None]
            continue
        if ws.title not in out:
            raise PlanError(msg("%(p)s: unknown sheet %(title)s (expected %(items)s)", p=p,
                            title=repr(ws.title), items=', '.join(out)))
        out[ws.title] = _sheet_rows(ws, p)
    wb.close()
    return _with_base(out, chunks, str(p))


def _sheet_rows(ws: Any, p: Path) -> list[dict[str, str]]:
    """The rows of one table's sheet (blank rows skipped), as cell texts."""
    rows = ws.iter_rows(values_only=True)
    header = [str(h) if h is not None else "" for h in next(rows, ())]
    allowed = set(columns(BY_NAME[ws.title]))
    unknown = [h for h in header if h and h not in allowed]
    if unknown:
        raise PlanError(msg("%(p)s, sheet %(title)s, row 1: unknown column(s) %(unknown)s", p=p,
                        title=repr(ws.title), unknown=unknown))
    return [{h: _cell_text(v) for h, v in zip(header, values, strict=False) if h}
            for values in rows
            if values is not None and not all(v is None for v in values)]


def read_tables(path: str | Path) -> Tables:
    """The tables of an XLSX, CSV, JSON or YAML plan file."""
    return read_export(path).tables


def read_export(path: str | Path) -> Sheet:
    """The tables of an XLSX, CSV, JSON or YAML plan file, with the export's base when the
    file has one."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx_export(path)
    if suffix in (".csv", ".txt"):
        return read_csv_export(path)
    if suffix in (".json", ".yaml", ".yml"):
        from innesto.plan.yaml_io import load_plan

        return Sheet(flatten(load_plan(path)))
    raise PlanError(msg("%(path)s: expected a .xlsx, .csv, .json or .yaml file", path=path))


# ---------------------------------------------------------------------- import with diff
@dataclass
class RowChange:
    """One row's part in an import. ``kind``: ``added``, ``changed``, ``removed``,
    ``unchanged``, ``kept`` (the plan files' version stays: changed or added there since
    the export) or ``conflict``. ``changes`` maps a column to (before, after), for a
    conflict to (plan files, spreadsheet)."""

    table: str
    key: tuple[str, ...]
    kind: str
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    reason: str = ""

    def __str__(self) -> str:
        key = "/".join(k for k in self.key if k)
        if self.kind == "changed":
            what = "; ".join(f"{c}: {o!r} -> {n!r}" for c, (o, n) in self.changes.items())
            return f"~ {self.table} {key}: {what}"
        if self.kind == "conflict":
            what = "; ".join(f"{c}: plan files {o!r}, spreadsheet {n!r}"
                             for c, (o, n) in self.changes.items())
            return f"CONFLICT {self.table} {key}{': ' + what if what else ''} [{self.reason}]"
        sign = {"added": "+", "removed": "-", "kept": "kept"}.get(self.kind, "=")
        return f"{sign} {self.table} {key}{' [' + self.reason + ']' if self.reason else ''}"


@dataclass
class ImportResult:
    planset: PlanSet
    changes: list[RowChange]
    written: list[Path]
    #: The copy of the plan files an overwriting import replaced (None: nothing overwritten).
    history: Path | None = None

    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out

    @property
    def conflicts(self) -> list[RowChange]:
        return [c for c in self.changes if c.kind == "conflict"]


def _rows(t: Any, rows: list[dict[str, str]], *, unique: bool) -> dict[tuple[str, ...], dict[str, str]]:
    """Rows by key, every column present (blank: ""); ``unique`` refuses a repeated key."""
    cols = columns(t)
    out: dict[tuple[str, ...], dict[str, str]] = {}
    for r in rows:
        row = {c: (r.get(c) or "").strip() for c in cols}
        k = row_key(t, row)
        if unique and k in out:
            raise TableError([_dup(t.name, k)])
        out[k] = row
    return out


def _cells(f: dict[str, str], s: dict[str, str], b: dict[str, str] | None
           ) -> tuple[dict[str, str], dict[str, tuple[str, str]], dict[str, tuple[str, str]],
                      list[str]]:
    """One row present in the files and the spreadsheet, cell by cell: (the row with the
    spreadsheet's changes, what it takes, what conflicts, columns the files changed)."""
    row, take, clash, kept = dict(f), {}, {}, []
    for c, sv in s.items():
        fv = f.get(c, "")
        if sv == fv:
            continue
        bv = b.get(c, "") if b is not None else None
        if bv == sv:
            kept.append(c)
        elif bv == fv:
            take[c] = (fv, sv)
            row[c] = sv
        else:
            clash[c] = (fv, sv)
    return row, take, clash, kept


@dataclass(frozen=True)
class _How:
    based: bool  # the spreadsheet has an export base
    overwrite: bool


def _both(table: str, k: tuple[str, ...], f: dict[str, str], s: dict[str, str],
          b: dict[str, str] | None, how: _How) -> tuple[dict[str, str], list[RowChange]]:
    row, take, clash, kept = _cells(f, s, b)
    out = []
    if take:
        out.append(RowChange(table, k, "changed", take))
    if kept:
        out.append(RowChange(table, k, "kept", {},
                             "changed in the plan files since the export: " + ", ".join(kept)))
    if clash:
        reason = ("changed in the plan files and in the spreadsheet" if b is not None
                  else "added to the plan files and to the spreadsheet" if how.based else
                  "no export base in the file: cannot tell whether the plan files changed")
        out.append(RowChange(table, k, "conflict", clash, reason))
        if how.overwrite:
            row.update({c: sv for c, (_, sv) in clash.items()})
    if not out:
        out.append(RowChange(table, k, "unchanged"))
    return row, out


def _one_side(table: str, k: tuple[str, ...], f: dict[str, str] | None,
              s: dict[str, str] | None, b: dict[str, str] | None, how: _How
              ) -> tuple[dict[str, str] | None, RowChange]:
    """A row only the files or only the spreadsheet hold (see the module's table)."""
    if s is not None:  # not in the files
        if b is None:
            return s, RowChange(table, k, "added")
        if s == b:
            return None, RowChange(table, k, "kept", {}, "removed from the plan files "
                                                         "since the export")
        return (s if how.overwrite else None), RowChange(
            table, k, "conflict", {}, "removed from the plan files since the export, "
                                      "changed in the spreadsheet")
    assert f is not None
    if b is None:
        return f, RowChange(table, k, "kept", {}, "added to the plan files since the export"
                            if how.based else "")
    if f == b:
        return None, RowChange(table, k, "removed")
    return (None if how.overwrite else f), RowChange(
        table, k, "conflict", {}, "removed from the spreadsheet, changed in the plan files "
                                  "since the export")


def merge3(files: Tables, sheet: Tables, base: Tables | None, *, overwrite: bool = False
           ) -> tuple[Tables, list[RowChange]]:
    """The three-way merge of ``sheet`` into ``files`` against ``base`` (see the module's
    docstring); the merged tables (in the files' order, new rows last) and each row's
    part. Conflicts keep the files' version unless ``overwrite``."""
    how = _How(base is not None, overwrite)
    merged: Tables = {}
    changes: list[RowChange] = []
    for t in TABLES:
        if not sheet.get(t.name):  # a table left out of the spreadsheet is not imported
            merged[t.name] = [dict(r) for r in files.get(t.name, [])]
            continue
        f_rows = _rows(t, files.get(t.name, []), unique=False)
        s_rows = _rows(t, sheet[t.name], unique=True)
        b_rows = _rows(t, (base or {}).get(t.name, []), unique=False)
        out: list[dict[str, str]] = []
        for k in [*f_rows, *(k for k in s_rows if k not in f_rows)]:
            f, s, b = f_rows.get(k), s_rows.get(k), b_rows.get(k)
            row: dict[str, str] | None
            if f is not None and s is not None:
                row, parts = _both(t.name, k, f, s, b, how)
                changes += parts
            else:
                row, part = _one_side(t.name, k, f, s, b, how)
                changes.append(part)
            if row is not None:
                out.append(row)
        merged[t.name] = out
    return merged, changes


def _dup(table: str, key: tuple[str, ...]) -> Any:
    from innesto.plan.assemble import RowProblem

    return RowProblem(table, 0, None, msg("two rows with the key %(items)s", items='/'.join(key)))


def import_plan(file: str | Path, into: str | Path, *, dry_run: bool = False,
                overwrite: bool = False) -> ImportResult:
    """Merge the rows of ``file`` (XLSX or CSV) into the plan at ``into`` (file or folder;
    created when absent), three-way against the base the file was exported from (see the
    module's docstring). What does not conflict is written; conflicts keep the files'
    version (listed in the result) unless ``overwrite``. Raises :class:`PlanError` naming
    every bad row; writes nothing then, nor with ``dry_run``."""
    from innesto.plan.yaml_io import load_plan, save_plan

    target = Path(into)
    sheet = read_export(file)
    if target.exists():
        old, base = flatten(load_plan(target)), sheet.base
    else:  # a new plan: everything in the file is added
        old, base = {t.name: [] for t in TABLES}, {t.name: [] for t in TABLES}
    try:
        merged, changes = merge3(old, sheet.tables, base, overwrite=overwrite)
        ps, _ = assemble(merged)
    except TableError as exc:
        raise PlanError(nmsg("%(file)s: nothing imported; %(n)d problem(s):\n%(exc)s",
                             "%(file)s: nothing imported; %(n)d problem(s):\n%(exc)s",
                             len(exc.problems), file=file, exc=exc)) from None
    result = ImportResult(ps, changes, [])
    if not dry_run:
        if overwrite and result.conflicts:
            result.history = keep_history(target)
        result.written = save_plan(ps, target)
    return result


#: Where an import that overwrites keeps the plan files it replaces (in a plan folder, or
#: beside a plan file), one folder per import named by its UTC time.
HISTORY = ".innesto-history"


def keep_history(target: Path) -> Path:
    """Copy the plan files at ``target`` (a folder's YAML and CSV files, or one file) into
    a new folder of :data:`HISTORY` before an import overwrites some of their values; to
    restore, copy them back. Returns that folder."""
    import shutil

    root = target if target.is_dir() else target.parent
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = root / HISTORY / stamp
    files = ([f for f in target.rglob("*") if f.is_file() and f.suffix in (".yaml", ".yml",
                                                                             ".csv")
              and HISTORY not in f.parts and not f.name.startswith(".innesto-")]
             if target.is_dir() else [target])
    for f in files:
        (dest / f.relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest / f.relative_to(root))
    return dest


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
    raise PlanError(msg("unknown format %(fmt)s; expected xlsx, csv or json", fmt=repr(fmt)))


def changed_only(changes: Iterable[RowChange]) -> list[RowChange]:
    return [c for c in changes if c.kind in ("added", "changed", "removed")]
