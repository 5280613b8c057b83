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

import pyarrow as pa

from innesto.errors import SourceError
from innesto.panel import Panel, PanelMeta
from innesto.sources._tabular import (
    as_int,
    column,
    guess,
    int_string,
    map_unique,
    parse_values,
    read_csv_rows,
    reject_unknown,
    with_flags,
)
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport

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
    h = rows.header

    def pick(given: str | None, names: tuple[str, ...], role: str) -> int | None:
        if given is not None:
            return column(path, h, given, role, rows.header_line)
        found = guess(h, names)
        return None if found is None else h.index(found)

    ri = pick(region, EXPORTER, "exporter")
    pi = pick(industry, PRODUCT, "product")
    vi = pick(value, VALUE, "export value")
    ti = pick(time, YEAR, "year")
    for idx, role, names in ((ri, "exporter", EXPORTER), (pi, "product", PRODUCT),
                             (vi, "export value", VALUE)):
        if idx is None:
            raise SourceError(
                f"no {role} column among {', '.join(map(repr, h))}",
                path=path, line=rows.header_line,
                expected=f"one of {', '.join(names[:6])}, ... (or name it)")
    assert ri is not None and pi is not None and vi is not None
    report = ReadReport(path=str(path), format="trade")
    report.rows_read = report.cells_read = len(rows)

    regions = [s.strip() for s in rows.col(ri)]
    products = map_unique(rows.col(pi), int_string)
    if ti is not None:
        times = map_unique(rows.col(ti), int_string)
    else:
        if period is None:
            years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", path.name)
            if len(years) == 1:
                period = years[0]
                report.notes.append(f"no year column: period {period} taken from the file name")
        times = [str(period) if period is not None else ""] * len(regions)

    pname = h[pi].lower()
    is_section = "section" in pname
    w = width if width is not None else (None if is_section else product_width(set(products)))
    if w is not None:
        if w % 2 and re.search(r"hs|commod|product|cmd", pname) and "sitc" not in pname:
            w += 1  # HS codes have an even number of digits (chapter, heading, subheading)
        short = {c for c in set(products) if c.isdigit() and len(c) < w}
        if short:
            lines = [rows.lines[i] for i, c in enumerate(products) if c in short][:1]
            n = sum(1 for c in products if c in short)
            report.count("padded", n, line=lines[0], column=h[pi],
                         raw=sorted(short)[0])
            products = [c.zfill(w) if c in short else c for c in products]
            report.notes.append(f"product codes zero-padded to {w} digits")

    parsed = parse_values(rows.col(vi), rows.lines, h[vi], report, nonnegative=True,
                          path=path)
    keep = [i for i in range(len(regions)) if regions[i] and products[i]]
    if len(keep) < len(regions):
        report.count("dropped:blank-code", len(regions) - len(keep))
    take = pa.array(keep, pa.int64())
    cols = with_flags({
        "region": pa.array(regions, pa.string()),
        "industry": pa.array(products, pa.string()),
        "time": pa.array(times, pa.string()),
        "value": parsed.values,
    }, parsed)
    table = pa.table({k: v.take(take) for k, v in cols.items()})
    cls = classification or _classification(pname, w)
    panel = Panel(table, PanelMeta("ISO3" if _iso3(regions) else "user", cls, "exports",
                                   attribution))
    report.rows_kept = panel.n_rows
    return panel, report


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
