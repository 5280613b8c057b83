"""Australian Bureau of Statistics census extracts: region (SA2/SA3/SA4/LGA...) x ANZSIC.

Two layouts are read:

- the **TableBuilder CSV** as downloaded from abs.gov.au: title lines, a ``Filters:`` block,
  a header line ``"Counting","SA4 (POW)","4-digit level INDP Industry of Employment","Count"``,
  one line per (region, industry) cell, then footer lines (data source, the note that cells
  are randomly adjusted, copyright);
- a **tidy** table ``sa3,indp,count,year`` (e.g. the ``complexitydata`` R package's tables).

``Total`` rows and columns are never industries or regions: they are left out and counted as
``dropped:total``. Places of work that are not places (``POW No Fixed Address (NSW)``,
``Migratory - Offshore - Shipping (Qld)``, ``POW not applicable``) are left out as
``dropped:special-region`` unless ``special_regions="keep"``. The INDP codes ``&&&&``
(inadequately described / not stated) and ``@@@@`` (not applicable) are kept by default,
as in ABS's own tables, and counted (``unclassified:&&&&``); ``unclassified="drop"`` leaves
them out. ``nfd`` codes (``A000``, ``0100``: "not further defined") are ANZSIC-level
residuals and are kept. Counts cannot be negative: a negative cell is nulled and counted.

Attribution: Australian Bureau of Statistics, Census of Population and Housing 2021,
TableBuilder (CC BY 4.0); small cells are randomly adjusted by the ABS.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import msg, nmsg
from innesto.panel import Panel, PanelMeta
from innesto.sources import limits
from innesto.sources._tabular import (
    Rows,
    decode,
    read_csv_rows,
    reject_unknown,
    text_lines,
)
from innesto.sources.engine import LongTable, locate
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import Column, Spec, whole

ATTRIBUTION = ("Source: Australian Bureau of Statistics, Census of Population and Housing 2021 "
               "(TableBuilder), CC BY 4.0; cells randomly adjusted by the ABS")
_TIDY_REGION = re.compile(r"^(sa[1-4]|lga|gccsa|ste|sua|ucl|sos|ced|sed|poa|ssc|dzn)(_?code)?"
                          r"(_?\d{4})?$", re.I)
_SPECIAL = re.compile(r"^(POW No Fixed Address|Migratory|No usual address|POW not applicable|"
                      r"Offshore|Shipping|Not applicable|Not stated)", re.I)
UNCLASSIFIED = {"&&&&": "not stated or inadequately described", "@@@@": "not applicable"}

#: ABS census extracts as data: counts (never negative) of persons by region and ANZSIC
#: industry; the tidy table's columns are named by the reader (first column, indp, count,
#: year), the TableBuilder's come from its layout.
SPEC = Spec(
    format="abs-census",
    region=Column(),
    industry=Column(),
    time=Column(clean=whole, required=False),
    value=Column(),
    nonnegative=True,
    industry_classification="ANZSIC2006",
    measure="employment",
    attribution=ATTRIBUTION,
)


def _is_tidy(header: list[str]) -> bool:
    keys = [h.lower() for h in header]
    return bool(keys) and _TIDY_REGION.match(keys[0]) is not None and "indp" in keys[1:]


def _sniff(path: Path, head: str) -> bool:
    if "Australian Bureau of Statistics" in head[:2000] and "Counting" in head:
        return True
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    return _is_tidy([c.strip().strip('"') for c in first.split(",")])


@register_reader("abs-census", sniff=_sniff,
                 description="ABS census extract (TableBuilder CSV or tidy region,indp,count)")
def read_abs_census(
    path: Path,
    *,
    region: str | None = None,
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    year: str | int | None = None,
    special_regions: str = "drop",
    unclassified: str = "keep",
    encoding: str | None = None,
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """ABS census extract (TableBuilder CSV or tidy ``region,indp,count[,year]``)."""
    path = Path(path)
    reject_unknown(path, "abs-census", unknown)
    for name, v, ok in (("special_regions", special_regions, ("drop", "keep")),
                        ("unclassified", unclassified, ("drop", "keep"))):
        if v not in ok:
            raise SourceError(msg("%(name)s must be one of %(ok)s, not %(v)s", name=name, ok=ok,
                              v=repr(v)), path=path)
    decoded = decode(path, encoding)
    head = decoded[0][:4000]
    if "Counting" in head and "Australian Bureau of Statistics" in head:
        rows, title = _tablebuilder(path, decoded[0])
        table = _table(path, rows, {"region": 0, "industry": 1, "value": 2}, "abs-tablebuilder")
        table.fixed["time"] = str(year) if year is not None else _census_year(title)
    else:
        rows = read_csv_rows(path, encoding=encoding, decoded=decoded)
        table = _table(path, rows, _tidy_columns(path, rows, region, industry, time, value),
                       "abs-census")
        if "time" not in table.at:
            table.fixed["time"] = str(year) if year is not None else ""
    _classify(table, special_regions, unclassified)
    meta = PanelMeta(_region_level(path, table.codes("region")), SPEC.industry_classification,
                     SPEC.measure, SPEC.attribution)
    return table.panel(meta), table.report


def _table(path: Path, rows: Rows, at: dict[str, int], fmt: str) -> LongTable:
    report = ReadReport(path=str(path), format=fmt)
    report.rows_read = report.cells_read = len(rows)
    return LongTable(SPEC, path, rows, at, report, list(range(len(rows))))


def _tidy_columns(path: Path, rows: Rows, region: str | None, industry: str | None,
                  time: str | None, value: str | None) -> dict[str, int]:
    h = rows.header
    if not _is_tidy(h) and not (region and industry):
        raise SourceError(
            msg("not an ABS census extract: expected a TableBuilder CSV or a tidy table whose "
            "columns are e.g. sa3,indp,count,year; the columns are %(h)s", h=h),
            path=path, line=rows.header_line)
    has_time = time is not None or "year" in [x.lower() for x in h]
    return locate(SPEC, h, path=path, order=("region", "industry", "value", "time"), given={
        "region": region or h[0], "industry": industry or "indp", "value": value or "count",
        "time": (time or "year") if has_time else None})


def _classify(table: LongTable, special_regions: str, unclassified: str) -> None:
    """Leave out totals, special places of work (unless kept) and, if asked, the
    unclassified industries, each row counted with its line; kept unclassified rows are
    counted as ``unclassified:&&&&``."""
    regions, inds, lines = table.codes("region"), table.codes("industry"), table.rows.lines
    rkind, ikind = _kinds(set(regions), set(inds), special_regions)
    keep = []
    for i, (r, ind) in enumerate(zip(regions, inds, strict=True)):
        verdict = _verdict(rkind[r], ikind[ind], unclassified)
        if verdict != "keep":
            reason, column, raw = _COUNTED[verdict]
            table.report.count(reason.format(ind=ind), line=lines[i], column=column,
                               raw=raw.format(r=r, ind=ind))
        if verdict in ("keep", "unclassified"):
            keep.append(i)
    table.keep = keep
    nfd = {c for c in ikind if not ikind[c]
           and ((len(c) == 4 and c.endswith("0")) or c.endswith("nfd"))}
    if nfd:
        table.report.notes.append(f"{len(nfd)} 'not further defined' codes kept as "
                                  f"industries (e.g. {', '.join(sorted(nfd)[:3])})")


def _kinds(regions: set[str], inds: set[str],
           special_regions: str) -> tuple[dict[str, str], dict[str, str]]:
    """Each distinct region's and industry's kind: ``total``, ``special`` (a place of work
    that is no place, when dropped), ``unclassified`` (``&&&&``, ``@@@@``) or ``""``."""
    rkind = {r: ("total" if r.lower() == "total" else
                 "special" if special_regions == "drop" and _SPECIAL.match(r) else "")
             for r in regions}
    ikind = {c: ("total" if c.lower() == "total" else
                 "unclassified" if c in UNCLASSIFIED else "") for c in inds}
    return rkind, ikind


#: verdict -> (reason, column, raw cell) of each row :func:`_classify` counts.
_COUNTED: dict[str, tuple[str, str | None, str]] = {
    "total": ("dropped:total", None, "{r} / {ind}"),
    "special": ("dropped:special-region", "region", "{r}"),
    "drop-unclassified": ("dropped:unclassified", "industry", "{ind}"),
    "unclassified": ("unclassified:{ind}", "industry", "{ind}"),
}


def _verdict(region_kind: str, industry_kind: str, unclassified: str) -> str:
    """What becomes of a row: ``keep``, or the key of its count in :data:`_COUNTED`."""
    if not region_kind and not industry_kind:
        return "keep"
    if "total" in (region_kind, industry_kind):
        return "total"
    if region_kind == "special":
        return "special"
    return "drop-unclassified" if unclassified == "drop" else "unclassified"


class _TableBuilder:
    """The lines of a TableBuilder CSV as they come: the title and the ``"Counting"``
    header, then one count per (region, industry) line until the first blank line (the
    footer follows), each counted against the budgets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.title = ""
        self.header_at: int | None = None
        self.cells: list[list[str]] = [[], [], []]
        self.lines: list[int] = []
        self.budget = limits.Budget(path)

    def add(self, rec: list[str], line: int) -> bool:
        """Take one record; ``False`` once the table has ended."""
        if self.header_at is None:
            self._before_header(rec, line)
            return True
        if not rec or not any(c.strip() for c in rec):
            return not self.lines  # the footer starts after the first blank line
        if len(rec) < 4 or (len(rec) > 4 and any(c.strip() for c in rec[4:])):
            raise SourceError(nmsg("%(n)d fields in the table body",
                                   "%(n)d fields in the table body",
                                   len(rec)), path=self.path,
                              line=line, expected=msg("\"Counting\",REGION,INDUSTRY,COUNT"))
        self.budget.row(4, line=line)
        for cells, cell in zip(self.cells, (rec[1].strip(), rec[2].strip(), rec[3]),
                               strict=True):
            cells.append(cell)
        self.lines.append(line)
        return True

    def _before_header(self, rec: list[str], line: int) -> None:
        if rec and rec[0].strip() == "Counting":
            self.header_at = line
            if len(rec) < 4 or rec[3].strip() != "Count":
                raise SourceError(
                    msg("this TableBuilder layout is not supported (put the region and the "
                    "industry in rows, one count per line)"),
                    path=self.path, line=line, expected=msg("\"Counting\",REGION,INDUSTRY,\"Count\""))
        elif rec and "census" in rec[0].lower():
            self.title = rec[0]


def _tablebuilder(path: Path, text: str) -> tuple[Rows, str]:
    """The body of a TableBuilder CSV as rows (region, industry, Count) and its title."""
    reader = csv.reader(text_lines(text))
    tb = _TableBuilder(path)
    try:
        for rec in reader:
            if not tb.add(rec, reader.line_num):
                break
    except csv.Error as exc:
        raise SourceError(msg("malformed CSV: %(exc)s", exc=exc), path=path, line=reader.line_num) from None
    if tb.header_at is None:
        raise SourceError(msg("no TableBuilder header line"), path=path,
                          expected=msg("a line starting with \"Counting\""))
    return Rows(["region", "industry", "Count"], tb.cells, tb.lines, "", ","), tb.title


def _census_year(title: str) -> str:
    m = re.search(r"\b(19|20)\d{2}\b", title)
    return m.group(0) if m else ""


def _region_level(path: Path, regions: list[str]) -> str:
    m = re.search(r"(sa[1-4]|lga)", path.name, re.I)
    return m.group(1).upper() if m else "ASGS"
