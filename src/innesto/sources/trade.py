"""Country (or subnational region) x product trade tables: exports by HS, SITC or HS section.

The columns are found by their usual names unless given (``region=``, ``industry=``,
``time=``, ``value=``):

- exporter: ``exporter``, ``reporter_iso``, ``country``, ``origin``, ``location_code``,
  ``Exporter Country ID``, ``Country ID``, ``Subnat Geography ID``...
- product: ``product``, ``product_code``, ``hs_product_code``, ``commoditycode``, ``hs92``,
  ``hs6``, ``sitc``, ``Section ID``...
- year (optional): ``year``, ``time``, ``period``; ``period="2017"`` sets one for a file
  without a year column (otherwise a single year in the file name, as in
  ``world_trade_2017.csv``, is used and noted in the report);
- value: ``export_value``, ``export_value_usd``, ``export_val``, ``value``, ``Trade Value``...

Product codes stay strings and are zero-padded to their proper width when a leading zero
was lost on the way (a code read as the number ``101`` in an HS 4-digit column becomes
``0101``; SITC ``11`` in a 4-digit column ``0011``); every padded code is counted. Blank or
NA values are ``missing``, non-numeric ones ``corrupt``, negative exports ``negative``
(all kept as null and counted).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from innesto.i18n import N_
from innesto.panel import Panel, PanelMeta
from innesto.sources._tabular import as_int, guess, read_csv_rows, reject_unknown
from innesto.sources.engine import LongTable, locate_given_first
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import Column, Spec, whole

EXPORTER = ("exporter", "exporter_iso", "reporter_iso", "reporter", "origin", "country",
            "country_code", "location_code", "location", "exporter country id", "country id",
            "iso3", "iso", "subnat geography id")
PRODUCT = ("product", "product_code", "hs_product_code", "sitc_product_code",
           "commoditycode", "commodity_code", "cmdcode", "hs92", "hs96", "hs02", "hs07",
           "hs12", "hs17", "hs22", "hs6", "hs4", "hs", "sitc", "sitc2", "sitc4", "section id",
           "hs section id")
YEAR = ("year", "time", "period", "refyear", "time_period")
VALUE = ("export_value", "export_value_usd", "export_val", "exports", "trade value",
         "tradevalue", "primaryvalue", "value", "export")

#: Trade tables as data: exporter x product x year, exports (never negative).
SPEC = Spec(
    format="trade",
    region=Column(EXPORTER, role=N_("exporter")),
    industry=Column(PRODUCT, clean=whole, role=N_("product")),
    time=Column(YEAR, clean=whole, required=False, role=N_("year")),
    value=Column(VALUE, role=N_("export value")),
    nonnegative=True,
    blank_codes="drop",
    measure="exports",
    missing=N_("no %(role)s column among %(columns)s"),
    expected=N_("one of %(some)s, ... (or name it)"),
)


def _sniff(path: Path, head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln.strip()), "").lstrip("\ufeff")
    header = [c.strip().strip('"') for c in first.split(",")]
    return (guess(header, EXPORTER) is not None and guess(header, PRODUCT) is not None
            and guess(header, VALUE) is not None)


def product_width(codes: set[str]) -> int | None:
    """The proper width of numeric product codes: the longest code, rounded up to even for
    HS-like widths (2, 4, 6). ``None`` when the codes are not all digits."""
    if not codes or not all(c.isdigit() for c in codes):
        return None
    return max(len(c) for c in codes)


@register_reader("trade", sniff=_sniff,
                 description="Country x product trade table (HS, SITC, HS sections)")
def read_trade(
    path: Path,
    *,
    region: str | None = None,
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    period: str | int | None = None,
    width: int | str | None = None,
    classification: str | None = None,
    attribution: str = "",
    encoding: str | None = None,
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """Country x product trade table (see the module docs)."""
    path = Path(path)
    reject_unknown(path, "trade", unknown)
    width = as_int(width, "width", path)
    rows = read_csv_rows(path, encoding=encoding)
    at = locate_given_first(
        SPEC, rows.header, path=path, line=rows.header_line,
        given={"region": region, "industry": industry, "value": value, "time": time},
        order=("region", "industry", "value", "time"))
    report = ReadReport(path=str(path), format="trade")
    report.rows_read = report.cells_read = len(rows)
    table = LongTable(SPEC, path, rows, at, report, list(range(len(rows))))
    if "time" not in at:
        table.fixed["time"] = _period(path, period, report)
    pname = rows.header[at["industry"]].lower()
    w = _pad(table, pname, width)
    regions = table.codes("region")
    meta = PanelMeta("ISO3" if _iso3(regions) else "user",
                     classification or _classification(pname, w), SPEC.measure, attribution)
    return table.panel(meta), report


def _period(path: Path, period: str | int | None, report: ReadReport) -> str:
    """The period of a file without a year column: ``period``, else the one year in the
    file name (noted in the report), else none."""
    if period is None:
        years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", path.name)
        if len(years) == 1:
            period = years[0]
            report.notes.append(f"no year column: period {period} taken from the file name")
    return str(period) if period is not None else ""


def _pad(table: LongTable, pname: str, width: int | None) -> int | None:
    """Zero-pad the numeric product codes that lost leading zeros to the column's proper
    width (counted as ``padded``); returns that width."""
    products = table.codes("industry")
    w = _width(set(products), pname, width)
    if w is None:
        return None
    short = {c for c in set(products) if c.isdigit() and len(c) < w}
    if short:
        first = next(i for i, c in enumerate(products) if c in short)
        table.report.count("padded", sum(1 for c in products if c in short),
                           line=table.rows.lines[first],
                           column=table.header[table.at["industry"]], raw=sorted(short)[0])
        table.recode("industry", [c.zfill(w) if c in short else c for c in products])
        table.report.notes.append(f"product codes zero-padded to {w} digits")
    return w


def _width(products: set[str], pname: str, width: int | None) -> int | None:
    """The width product codes should have: ``width``, else that of the longest numeric
    code (even for HS columns); none for HS sections."""
    w = width if width is not None else (
        None if "section" in pname else product_width(products))
    if w is not None and w % 2 and re.search(r"hs|commod|product|cmd", pname) \
            and "sitc" not in pname:
        w += 1  # HS codes have an even number of digits (chapter, heading, subheading)
    return w


def _classification(pname: str, w: int | None) -> str:
    if "section" in pname:
        return "HS_SECTION"
    m = re.search(r"hs(\d{2})", pname)
    if m:
        return f"HS{m.group(1)}"
    if "sitc" in pname:
        return "SITC"
    if "hs" in pname:
        return "HS"
    return "user"


def _iso3(regions: list[str]) -> bool:
    sample = set(regions[:2000])
    return bool(sample) and all(len(r) == 3 and r.isalpha() for r in sample)
