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
import io
import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from innesto.errors import SourceError
from innesto.panel import Panel, PanelMeta
from innesto.sources._tabular import (
    column,
    decode,
    int_string,
    map_unique,
    parse_values,
    read_csv_rows,
    reject_unknown,
    with_flags,
)
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport

ATTRIBUTION = ("Source: Australian Bureau of Statistics, Census of Population and Housing 2021 "
               "(TableBuilder), CC BY 4.0; cells randomly adjusted by the ABS")
_TIDY_REGION = re.compile(r"^(sa[1-4]|lga|gccsa|ste|sua|ucl|sos|ced|sed|poa|ssc|dzn)(_?code)?"
                          r"(_?\d{4})?$", re.I)
_SPECIAL = re.compile(r"^(POW No Fixed Address|Migratory|No usual address|POW not applicable|"
                      r"Offshore|Shipping|Not applicable|Not stated)", re.I)
UNCLASSIFIED = {"&&&&": "not stated or inadequately described", "@@@@": "not applicable"}


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
            raise SourceError(f"{name} must be one of {ok}, not {v!r}", path=path)
    text, _ = decode(path, encoding)
    head = text[:4000]
    if "Counting" in head and "Australian Bureau of Statistics" in head:
        regions, inds, raw, lines, title = _tablebuilder(path, text)
        times = [str(year) if year is not None else _census_year(title)] * len(regions)
        vname = "Count"
        fmt = "abs-tablebuilder"
    else:
        rows = read_csv_rows(path, encoding=encoding)
        h = rows.header
        if not _is_tidy(h) and not (region and industry):
            raise SourceError(
                "not an ABS census extract: expected a TableBuilder CSV or a tidy table "
                f"whose columns are e.g. sa3,indp,count,year; the columns are {h}",
                path=path, line=rows.header_line)
        ri = column(path, h, region or h[0], "region")
        ii = column(path, h, industry or "indp", "industry")
        vi = column(path, h, value or "count", "value")
        regions = [s.strip() for s in rows.col(ri)]
        inds = [s.strip() for s in rows.col(ii)]
        raw = rows.col(vi)
        lines = rows.lines
        if time is not None or "year" in [x.lower() for x in h]:
            ti = column(path, h, time or "year", "time")
            times = map_unique(rows.col(ti), int_string)
        else:
            times = [str(year) if year is not None else ""] * len(regions)
        vname = h[vi]
        fmt = "abs-census"
    report = ReadReport(path=str(path), format=fmt)
    report.rows_read = report.cells_read = len(regions)
    # classify each distinct region and industry once, then the cells
    rkind = {r: ("total" if r.lower() == "total" else
                 "special" if special_regions == "drop" and _SPECIAL.match(r) else "")
             for r in set(regions)}
    ikind = {c: ("total" if c.lower() == "total" else
                 "unclassified" if c in UNCLASSIFIED else "") for c in set(inds)}
    keep = []
    for i, (r, ind) in enumerate(zip(regions, inds, strict=True)):
        a, b = rkind[r], ikind[ind]
        if not a and not b:
            keep.append(i)
        elif a == "total" or b == "total":
            report.count("dropped:total", line=lines[i], raw=f"{r} / {ind}")
        elif a == "special":
            report.count("dropped:special-region", line=lines[i], column="region", raw=r)
        elif unclassified == "drop":
            report.count("dropped:unclassified", line=lines[i], column="industry", raw=ind)
        else:
            report.count(f"unclassified:{ind}", line=lines[i], column="industry", raw=ind)
            keep.append(i)
    nfd = {c for c in ikind if not ikind[c]
           and ((len(c) == 4 and c.endswith("0")) or c.endswith("nfd"))}
    if nfd:
        report.notes.append(f"{len(nfd)} 'not further defined' codes kept as industries "
                            f"(e.g. {', '.join(sorted(nfd)[:3])})")
    parsed = parse_values([raw[i] for i in keep], [lines[i] for i in keep], vname, report,
                          nonnegative=True, path=path)
    table = pa.table(with_flags({
        "region": pa.array([regions[i] for i in keep], pa.string()),
        "industry": pa.array([inds[i] for i in keep], pa.string()),
        "time": pa.array([times[i] for i in keep], pa.string()),
        "value": parsed.values,
    }, parsed))
    level = _region_level(path, regions)
    panel = Panel(table, PanelMeta(level, "ANZSIC2006", "employment", ATTRIBUTION))
    report.rows_kept = panel.n_rows
    return panel, report


def _tablebuilder(path: Path, text: str) -> tuple[list[str], list[str], list[str], list[int], str]:
    reader = csv.reader(io.StringIO(text, newline=""))
    regions: list[str] = []
    inds: list[str] = []
    raw: list[str] = []
    lines: list[int] = []
    title = ""
    header_at = None
    try:
        for rec in reader:
            if header_at is None:
                if rec and rec[0].strip() == "Counting":
                    header_at = reader.line_num
                    if len(rec) < 4 or rec[3].strip() != "Count":
                        raise SourceError(
                            "this TableBuilder layout is not supported (put the region and "
                            "the industry in rows, one count per line)",
                            path=path, line=reader.line_num,
                            expected='"Counting",REGION,INDUSTRY,"Count"')
                elif rec and "census" in rec[0].lower():
                    title = rec[0]
                continue
            if not rec or not any(c.strip() for c in rec):
                if regions:
                    break  # the footer starts after the first blank line
                continue
            if len(rec) < 4 or (len(rec) > 4 and any(c.strip() for c in rec[4:])):
                raise SourceError(f"{len(rec)} fields in the table body", path=path,
                                  line=reader.line_num,
                                  expected='"Counting",REGION,INDUSTRY,COUNT')
            regions.append(rec[1].strip())
            inds.append(rec[2].strip())
            raw.append(rec[3])
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise SourceError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None
    if header_at is None:
        raise SourceError("no TableBuilder header line", path=path,
                          expected='a line starting with "Counting"')
    return regions, inds, raw, lines, title


def _census_year(title: str) -> str:
    m = re.search(r"\b(19|20)\d{2}\b", title)
    return m.group(0) if m else ""


def _region_level(path: Path, regions: list[str]) -> str:
    m = re.search(r"(sa[1-4]|lga)", path.name, re.I)
    return m.group(1).upper() if m else "ASGS"
