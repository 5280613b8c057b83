"""US Bureau of Economic Analysis: GDP by metropolitan area (or county/state) and industry.

Two layouts are read:

- the **BEA regional CSV** (``CAGDP2__ALL_AREAS_2001_2022.csv``, ``MAGDP2_...``,
  ``SAGDP2N_...``): ``GeoFIPS, GeoName, Region, TableName, LineCode,
  IndustryClassification, Description, Unit`` and one column per year, followed by footer
  lines (``Note: See the included footnote file.``, ``Last updated: ...``, ``Source: ...``);
- the long **summary** table ``fips, year, indust, gdp`` (e.g. ``gdp-summary.csv`` in
  ``../shared/data/us-metro-gdp-2001-2008``, where BEA's suppressed cells were left out).

The region is the FIPS code (5 characters, leading zeros kept), the industry the BEA line
code (``industry="IndustryClassification"`` uses the NAICS-based code instead). BEA's
symbols are counted by reason and kept as null with the symbol as flag: ``(D)``
``confidential`` (not shown to avoid disclosure), ``(NA)`` ``missing``, ``(NM)``
``not-meaningful``, ``(L)`` ``below-threshold`` (less than half the unit), ``(T)``, ``(S)``,
``(X)`` ``suppressed``. ``All industry total`` (line 1) and ``Private industries`` (line 2)
are left out as ``dropped:total``, and so are the national areas (FIPS ``00000``,
``00998``, ``00999``); BEA's supplemental aggregates (lines 99-109, e.g. 104
"Education and health services" = 66 + 67) are left out as ``dropped:aggregate`` when
their components are in the same region and year, and kept otherwise (the summary file has
"Trade", line 100, without its components 34 and 35).

Attribution: U.S. Bureau of Economic Analysis, GDP by metropolitan area (public domain).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import msg, nmsg
from innesto.panel import Panel, PanelMeta
from innesto.sources import limits
from innesto.sources._tabular import (
    Rows,
    as_bool,
    as_list,
    column,
    decode,
    iter_lines,
    read_csv_rows,
    reject_unknown,
    text_lines,
)
from innesto.sources.engine import LongTable
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import Column, Spec
from innesto.sources.values import TABULAR

ATTRIBUTION = "Source: U.S. Bureau of Economic Analysis, GDP by metropolitan area"
SYMBOLS = {
    "(D)": "confidential", "(NA)": "missing", "(NM)": "not-meaningful",
    "(L)": "below-threshold", "(T)": "suppressed", "(S)": "suppressed", "(X)": "suppressed",
}
#: BEA cells: a decimal point, and the symbols above (each its reason, flag ``D`` etc.).
BEA_VALUES = replace(TABULAR, decimal=".", flags="",
                     symbols={s: (why, s.strip("()")) for s, why in SYMBOLS.items()})
TOTAL_LINES = {"1": "All industry total", "2": "Private industries"}
TOTAL_AREAS = {"00000": "United States", "00998": "United States (Metropolitan Portion)",
               "00999": "United States (Nonmetropolitan Portion)"}
# BEA's supplemental aggregates in GDP by metropolitan area, and the lines they add up.
AGGREGATES: dict[str, tuple[str, ...]] = {
    "99": ("3", "6"),            # Natural resources and mining
    "100": ("34", "35"),         # Trade
    "101": ("36", "10"),         # Transportation and utilities
    "102": ("50", "55"),         # Financial activities
    "103": ("58", "62", "63"),   # Professional and business services
    "104": ("66", "67"),         # Education and health services
    "105": ("71", "74"),         # Leisure and hospitality
    "106": ("46", "48", "49"),   # ICT (approximation: BEA also adds parts of 19 and 58)
    "108": ("3", "6", "11", "12"),  # Private goods-producing industries
}
_FOOTER = re.compile(r"^(Note:|Last updated|Source:|Legend|Footnotes|\(D\) |\(NA\) |\(L\) )")

#: BEA tables as data: both layouts become rows of FIPS code, year, line code, industry
#: and value cell (the columns below); the symbols are the value syntax.
SPEC = Spec(
    format="bea",
    region=Column(("region",)),
    industry=Column(("industry",)),
    time=Column(("time",)),
    value=Column(("value",)),
    values=BEA_VALUES,
    region_classification="US_FIPS",
    industry_classification="BEA_LINE",
    measure="gdp",
    attribution=ATTRIBUTION,
)
_HEADER = ["region", "time", "line", "industry", "value"]
_AT = {"region": 0, "time": 1, "industry": 3, "value": 4}


def _sniff(path: Path, head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    keys = first.replace('"', "").replace(" ", "").lower().split(",")
    return ("geofips" in keys and "linecode" in keys) or keys[:4] == ["fips", "year",
                                                                       "indust", "gdp"]


@register_reader("bea", sniff=_sniff, values=BEA_VALUES,
                 description="BEA GDP by metropolitan area/county x industry (CSV or summary)")
def read_bea(
    path: Path,
    *,
    industry: str | None = None,
    lines: list[str] | str | None = None,
    keep_aggregates: bool | str = False,
    encoding: str | None = None,
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """BEA GDP by metropolitan area (or county/state) x industry (see the module docs)."""
    path = Path(path)
    reject_unknown(path, "bea", unknown)
    decoded = decode(path, encoding)
    first = next((ln for ln in iter_lines(decoded[0]) if ln.strip()), "").replace('"', "")
    if "GeoFIPS" in first:
        rows, fmt, unit = _regional(path, decoded[0], encoding, industry)
    elif first.replace(" ", "").lower().startswith("fips,year,indust,gdp"):
        rows, fmt, unit = _summary(path, encoding, decoded), "bea-summary", \
            "millions of current USD"
    else:
        raise SourceError(msg("not a BEA table"), path=path, line=1,
                          expected=msg("a header with GeoFIPS,...,LineCode or fips,year,indust,gdp"))
    report = ReadReport(path=str(path), format=fmt)
    report.rows_read = report.cells_read = len(rows)
    keep_aggregates = as_bool(keep_aggregates, "keep_aggregates", path)
    chosen = as_list(lines)
    table = LongTable(SPEC, path, rows, dict(_AT), report, fixed={"unit": unit})
    table.keep = _kept(rows, report, set(chosen) if chosen is not None else None,
                       keep_aggregates)
    cls = "NAICS_BEA" if industry == "IndustryClassification" else SPEC.industry_classification
    meta = PanelMeta(SPEC.region_classification, cls, SPEC.measure, SPEC.attribution)
    # BEA writes a decimal point, but the column decides, as it always has ("auto")
    return table.panel(meta, decimal="auto", flag_column=True), report


def _kept(rows: Rows, report: ReadReport, wanted: set[str] | None,
          keep_aggregates: bool) -> list[int]:
    """The rows left after the line selection (``wanted``) or, without one, after the
    national areas, the total lines and the aggregates whose components are present
    (unless kept); each row left out is counted with its line."""
    fips, years, codes = rows.col(0), rows.col(1), rows.col(2)
    present: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f, t, code in zip(fips, years, codes, strict=True):
        present[(f, t)].add(code)
    kept = []
    for i, (f, t, code) in enumerate(zip(fips, years, codes, strict=True)):
        why = _why(f, code, wanted, keep_aggregates, present[(f, t)])
        if why is None:
            kept.append(i)
        else:
            report.count(why[0], line=rows.lines[i], column=why[1], raw=why[2])
    return kept


def _why(fips: str, code: str, wanted: set[str] | None, keep_aggregates: bool,
         present: set[str]) -> tuple[str, str, str] | None:
    """Why a row is left out (reason, column, cell), or ``None`` to keep it."""
    if wanted is not None:
        return None if code in wanted else ("dropped:not-selected", "line", code)
    if fips in TOTAL_AREAS:
        return "dropped:total", "region", TOTAL_AREAS[fips]
    if code in TOTAL_LINES:
        return "dropped:total", "line", TOTAL_LINES[code]
    if code in AGGREGATES and not keep_aggregates and set(AGGREGATES[code]) <= present:
        return "dropped:aggregate", "line", code
    return None


class _Records:
    """The panel's rows of a BEA table: FIPS code, year, line code, industry, value cell."""

    def __init__(self) -> None:
        self.columns: list[list[str]] = [[] for _ in _HEADER]
        self.lines: list[int] = []

    def add(self, cells: tuple[str, str, str, str, str], line: int) -> None:
        for col, cell in zip(self.columns, cells, strict=True):
            col.append(cell)
        self.lines.append(line)

    def rows(self, encoding: str) -> Rows:
        return Rows(list(_HEADER), self.columns, self.lines, encoding, ",")


def _summary(path: Path, encoding: str | None, decoded: tuple[str, str]) -> Rows:
    rows = read_csv_rows(path, encoding=encoding, decoded=decoded)
    h = rows.header
    fi, yi, ii, gi = (column(path, h, c, r) for c, r in
                      (("fips", "region"), ("year", "time"), ("indust", "industry"),
                       ("gdp", "value")))
    out = _Records()
    for r, n in zip(rows.rows, rows.lines, strict=True):
        out.add((r[fi].strip().zfill(5), r[yi].strip(), r[ii].strip(), r[ii].strip(), r[gi]), n)
    return out.rows(rows.encoding)


def _regional(path: Path, text: str, encoding: str | None,
              industry: str | None) -> tuple[Rows, str, str]:
    body: list[str] = []
    for ln in iter_lines(text):
        if body and _FOOTER.match(ln.lstrip('"')):
            break
        body.append(ln)
    rows = _rows_from_text(path, "\n".join(body), encoding)
    h = rows.header
    gi = column(path, h, "GeoFIPS", "region")
    li = column(path, h, "LineCode", "industry")
    ii = column(path, h, industry or "LineCode", "industry")
    ui = h.index("Unit") if "Unit" in h else None
    years = [(j, c) for j, c in enumerate(h) if re.fullmatch(r"\d{4}", c.strip())]
    if not years:
        raise SourceError(msg("no year columns"), path=path, line=rows.header_line,
                          expected=msg("columns named like 2001, 2002, ..."))
    out = _Records()
    units = set()
    for r, n in zip(rows.rows, rows.lines, strict=True):
        fips = r[gi].strip().strip('"').strip().zfill(5)
        if ui is not None:
            units.add(r[ui].strip())
        for j, y in years:
            out.add((fips, y.strip(), r[li].strip(), r[ii].strip(), r[j]), n)
    unit = units.pop() if len(units) == 1 else ""
    return out.rows(rows.encoding), "bea-regional", unit


def _rows_from_text(path: Path, text: str, encoding: str | None) -> Rows:
    """The header and rows of the regional table's body, counted against the budgets."""
    reader = csv.reader(text_lines(text))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    budget = limits.Budget(path)
    try:
        for rec in reader:
            if not any(rec):
                continue
            if header is None:
                header = [c.strip() for c in rec]
                continue
            if len(rec) != len(header):
                raise SourceError(nmsg("%(n)d fields where the header has %(count2)s",
                                       "%(n)d fields where the header has %(count2)s",
                                       len(rec), count2=len(header)),
                                  path=path, line=reader.line_num,
                                  expected=nmsg("%(n)d comma-separated fields",
                                                "%(n)d comma-separated fields",
                                                len(header)))
            budget.row(len(rec), line=reader.line_num)
            rows.append(rec)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise SourceError(msg("malformed CSV: %(exc)s", exc=exc), path=path, line=reader.line_num) from None
    if header is None:
        raise SourceError(msg("the file is empty"), path=path, expected=msg("a header line"))
    return Rows.from_rows(header, rows, lines, encoding or "utf-8", ",")
