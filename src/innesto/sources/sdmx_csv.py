"""SDMX-CSV, versions 1.0 and 2.0, as Eurostat's dissemination API writes them.

Version 1.0 (``format=SDMX-CSV`` in the SDMX 2.1 API)::

    DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
    ESTAT:NAMA_10R_3EMPERS(1.0),25/01/24 23:00:00,A,THS,J,ITC11,2017,41.2,p

Version 2.0 (``format=csvdata&formatVersion=2.0`` in the SDMX 3.0 API)::

    STRUCTURE,STRUCTURE_ID,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS
    dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,J,ITC11,2017,41.2,p,F

with optional ``STRUCTURE_NAME`` and ``ACTION`` columns, and optional ``code: label``
headers and values (``labels=both``). Dimensions are the columns before ``TIME_PERIOD``;
columns after ``OBS_VALUE`` are attributes (flags, confidentiality status).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.panel import Panel, PanelMeta
from innesto.sources import _parse as P
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.values import SDMX

FORMAT = "sdmx-csv"
_STRUCTURE = {"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"}
_CONFIDENTIAL_STATUS = {"C", "D", "N", "S"}  # SDMX CL_CONF_STATUS codes that withhold a value
_FLAG_RE = re.compile(r"[A-Za-z]*")


def _sniff(path: Path, head: str) -> bool:
    first = head.split("\n", 1)[0].replace('"', "").lstrip()
    return (first.startswith("DATAFLOW,") or first.startswith("STRUCTURE,")) and (
        "OBS_VALUE" in first
    )


def _code(text: str) -> str:
    """``"geo: Geopolitical entity"`` -> ``"geo"`` (labels=both headers and values)."""
    return text.split(":", 1)[0].strip()


@register_reader(FORMAT, sniff=_sniff, description="SDMX-CSV 1.0 and 2.0 (Eurostat API)",
                 values=SDMX)
def read_sdmx_csv(
    path: str | Path,
    *,
    region: str = "geo",
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    region_classification: str = "NUTS2021",
    measure: str = "value",
    attribution: str | None = None,
    **filters: Any,
) -> tuple[Panel, ReadReport]:
    """Read an SDMX-CSV file (1.0 or 2.0) into a panel and a report.

    Options are those of :func:`~innesto.sources.eurostat_tsv.read_eurostat_tsv`:
    ``region``/``industry`` name dimensions, ``dimension=value`` keyword arguments filter
    the others, and each of those must end with one value. ``time`` and ``value`` may only
    name ``TIME_PERIOD`` and ``OBS_VALUE``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "data.csv"
    >>> _ = f.write_text(
    ...     "STRUCTURE,STRUCTURE_ID,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\\n"
    ...     "dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,J,ITC11,2017,41.2,p,F\\n"
    ...     "dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,K,ITC11,2017,,,C\\n")
    >>> panel, report = read_sdmx_csv(f)
    >>> panel.meta.attribution, report.counts
    ('Source: Eurostat, nama_10r_3empers', {'confidential': 1, 'flag:p': 1})
    """
    path = Path(path)
    text = P.read_text(path)
    rows = P.csv_rows(path, text, delimiter=",")
    if not rows or not any(c.strip() for c in rows[0][1]):
        raise SourceError("empty file", path=path, line=1, expected="an SDMX-CSV header")
    labelled = [":" in h for h in rows[0][1]]
    header = [_code(h) if lab else h.strip() for h, lab in zip(rows[0][1], labelled, strict=True)]
    version = "1.0" if header[0] == "DATAFLOW" else "2.0" if header[0] == "STRUCTURE" else None
    for needed in ("TIME_PERIOD", "OBS_VALUE"):
        if version is None or needed not in header or header.count(needed) > 1:
            raise SourceError(
                f"not an SDMX-CSV header (columns: {', '.join(header)[:200]})",
                path=path, line=1,
                expected="DATAFLOW or STRUCTURE first, one TIME_PERIOD and one OBS_VALUE column",
            )
    if len(set(header)) != len(header):
        raise SourceError("a column name appears twice", path=path, line=1,
                          expected="distinct column names")
    it, iv = header.index("TIME_PERIOD"), header.index("OBS_VALUE")
    if time is not None and time != "TIME_PERIOD":
        raise SourceError(f"SDMX-CSV's time column is TIME_PERIOD, not {time!r}", path=path,
                          line=1)
    if value is not None and value != "OBS_VALUE":
        raise SourceError(f"SDMX-CSV's value column is OBS_VALUE, not {value!r}", path=path,
                          line=1)
    dims = [h for j, h in enumerate(header) if j < iv and j != it and h not in _STRUCTURE]
    if not dims:
        raise SourceError("no dimension columns before TIME_PERIOD", path=path, line=1,
                          expected="dimensions such as geo and nace_r2")
    region, industry, industry_class = P.pick_dims(path, dims, region, industry)
    wanted = P.check_filters(path, {d: () for d in dims}, filters)
    idx = {h: j for j, h in enumerate(header)}
    others = [d for d in dims if d not in (region, industry)]
    iflag, iconf, iaction = idx.get("OBS_FLAG"), idx.get("CONF_STATUS"), idx.get("ACTION")
    istruct = idx.get("STRUCTURE_ID", idx.get("DATAFLOW"))

    report = ReadReport(path=str(path), format=f"{FORMAT} {version}")
    flt = P.KeyFilter(wanted, others)
    kept: list[tuple[int, dict[str, str], list[str]]] = []
    structures: set[str] = set()
    for n, row in P.data_rows(path, rows, len(header), report):
        key = {d: (_code(row[idx[d]]) if labelled[idx[d]] else row[idx[d]].strip())
               for d in dims}
        for d in (region, industry):
            if not key[d]:
                raise SourceError(f"empty {d} code", path=path, line=n, column=d,
                                  expected="a code")
        if not row[it].strip():
            raise SourceError("empty TIME_PERIOD", path=path, line=n, column="TIME_PERIOD",
                              expected="a period such as 2017")
        if iaction is not None and row[iaction].strip() == "D":
            report.count("dropped:action D (deletion)", line=n, column="ACTION", raw="D")
            continue
        if not flt.keep(key, report):
            continue
        if istruct is not None:
            structures.add(row[istruct].strip())
        kept.append((n, key, row))
    report.notes.extend(P.unmatched_filter_notes(wanted, flt.found))
    if not kept:
        raise SourceError(
            "no observations left" + (" after the filters" if wanted else ""), path=path,
            line=1, expected="at least one data line" + (" matching the filters" if wanted else ""),
        )
    constant = P.constant_dims(path, flt.seen, report)
    unit = constant.get("unit")

    cols = P.Columns(path)
    for n, key, row in kept:
        report.rows_kept += 1
        report.cells_read += 1
        raw = row[iv]
        period = _code(row[it]) if labelled[it] else row[it].strip()
        flags = row[iflag].strip() if iflag is not None else ""
        if not _FLAG_RE.fullmatch(flags):
            report.count("corrupt", line=n, column="OBS_FLAG", raw=flags)
            flags = ""
        flags = flags.lower()
        conf = row[iconf].strip().upper() if iconf is not None else ""
        if conf in _CONFIDENTIAL_STATUS and "c" not in flags:
            flags += "c"
        val, _, status = P.parse_cell_cached(raw, SDMX)
        if status == P.MISSING and "c" in flags:
            status = P.CONFIDENTIAL
        P.record(report, status, flags, line=n, column="OBS_VALUE", raw=raw)
        cols.add(key[region], key[industry], period, val, flags, line=n,
                 column="OBS_VALUE", unit=unit)
    report.notes.extend(P.nuts_version_notes(cols.region))
    meta = PanelMeta(
        region_classification=region_classification if region.lower() == "geo" else "user",
        industry_classification=industry_class,
        measure=measure,
        attribution=attribution or _attribution(structures, path),
    )
    return cols.panel(meta), report


def _attribution(structures: set[str], path: Path) -> str:
    """``ESTAT:NAMA_10R_3EMPERS(1.0)`` -> ``Source: Eurostat, nama_10r_3empers``."""
    codes = sorted(
        {m.group(1).lower() for s in structures if (m := re.match(r"ESTAT:([A-Za-z0-9_]+)", s))}
    )
    if codes:
        return "Source: Eurostat, " + ", ".join(codes)
    return "Source: Eurostat" if any(s.startswith("ESTAT") for s in structures) else ""
