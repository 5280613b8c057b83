"""Read an Excel sheet as string cells with spreadsheet row numbers (openpyxl, read-only).

Numbers that are whole (``101.0``) are written without the ``.0`` (codes and years typed as
numbers in Excel); dates become ISO strings, so a date in a value column is counted as
corrupt rather than turned into a number. Leading zeros that Excel itself dropped (a code
typed as the number ``101``) cannot be recovered here: store codes as text in Excel.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import msg
from innesto.sources import limits


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    return str(v)


def excel_rows(path: Path, sheet: str | int = 0) -> tuple[list[str], list[list[str]], list[int]]:
    """The header (first non-empty row), the data rows as strings, and their row numbers."""
    if not path.exists():
        raise SourceError(msg("file not found"), path=path)
    limits.check_size(path, path.stat().st_size)
    limits.check_zip(path)
    wb = _open(path)
    try:
        table = _SheetRows(path)
        for n, row in enumerate(_worksheet(wb, sheet, path).iter_rows(values_only=True),
                                start=1):
            table.add(n, row)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(msg("cannot read the workbook: %(exc)s", exc=exc), path=path) from None
    finally:
        wb.close()
    if table.header is None:
        raise SourceError(msg("the sheet is empty"), path=path, expected=msg("a header row"))
    return table.header, table.rows, table.lines


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise SourceError(msg("not a readable .xlsx workbook: %(exc)s", exc=exc), path=path,
                          expected=msg("an Excel 2007+ (.xlsx) file")) from None
    except Exception as exc:  # openpyxl raises its own InvalidFileException and others
        raise SourceError(msg("not a readable .xlsx workbook: %(exc)s", exc=exc), path=path) from None


def _worksheet(wb: Any, sheet: str | int, path: Path) -> Any:
    names = wb.sheetnames
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise SourceError(msg("no sheet number %(sheet)s; the sheets are %(names)s",
                              sheet=sheet, names=names), path=path)
        ws = wb[names[sheet]]
    else:
        if sheet not in names:
            raise SourceError(msg("no sheet %(sheet)s; the sheets are %(names)s",
                              sheet=repr(sheet), names=names), path=path)
        ws = wb[sheet]
    # read-only mode stops at the sheet's <dimension>, which writers may understate:
    # forget it and read every row the sheet really has
    ws.reset_dimensions()
    return ws


class _SheetRows:
    """The rows of a sheet as they come: the header (first non-empty row), then the data
    rows cut to its width, each counted against the row and cell budgets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.budget = limits.Budget(path)
        self.header: list[str] | None = None
        self.width = 0
        self.rows: list[list[str]] = []
        self.lines: list[int] = []

    def add(self, n: int, row: tuple[Any, ...]) -> None:
        self.budget.row(len(row), line=n)
        cells = [cell_text(v).strip() if i == 0 or self.header is None else cell_text(v)
                 for i, v in enumerate(row)]
        if not any(c.strip() for c in cells):
            return
        if self.header is None:
            while cells and not cells[-1]:
                cells.pop()
            self.header = [c.strip() for c in cells]
            self.width = len(self.header)
            return
        width = self.width
        if any(c.strip() for c in cells[width:]):
            raise SourceError(msg("a value beyond the header's %(width)s columns", width=width), path=self.path,
                              line=n, column=width + 1, expected=msg("an empty cell"))
        self.rows.append((cells + [""] * width)[:width])
        self.lines.append(n)
