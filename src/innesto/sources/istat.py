"""Istat tables of territory x ATECO: the I.Stat CSV export and esploradati SDMX-CSV.

Two layouts of the same data (e.g. local units or employees by province and ATECO 2007):

- **I.Stat** (``dati.istat.it``) CSV export: each dimension as a code column and a label
  column, then time, value and flags::

      "ITTER107","Territorio","TIPO_DATO","Tipo dato","ATECO_2007","Ateco 2007",
      "TIME","Seleziona periodo","Value","Flag Codes","Flags"

- **esploradati** (``esploradati.istat.it``, .Stat Suite) SDMX-CSV: ``DATAFLOW`` (or
  ``STRUCTURE, STRUCTURE_ID, ACTION``), the dimensions (``FREQ, REF_AREA, DATA_TYPE,
  ECON_ACTIVITY_NACE_2007, ...``), ``TIME_PERIOD, OBS_VALUE`` and attributes such as
  ``OBS_STATUS``. Cells exported with labels (``ITC11: Torino``) keep only the code.

The region is ``ITTER107``/``REF_AREA`` (NUTS codes such as ``ITC11`` for Torino, or
municipality codes), the industry the ATECO dimension. Any other dimension must have one
value in the file, or be fixed with ``select={"DATA_TYPE": "EMP"}``; otherwise the reader
stops and lists the values. Istat's aggregate ATECO codes (``0010`` total, ``0015``...: four
digits starting with ``00``) are left out as ``dropped:total`` unless ``keep_totals=True``.
Missing values are counted as ``missing``; flags are kept and counted (``flag:p``).

Attribution: Istat, licence CC BY 3.0 IT (I.Stat) / CC BY 4.0 (esploradati).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from innesto.errors import SourceError
from innesto.panel import Panel, PanelMeta
from innesto.sources._tabular import (
    as_bool,
    as_mapping,
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

ATTRIBUTION = "Fonte/Source: Istat"
_REGION = ("ITTER107", "REF_AREA")
_TIME = ("TIME", "TIME_PERIOD")
_VALUE = ("Value", "OBS_VALUE")
_FLAG = ("Flag Codes", "OBS_STATUS")
_INDUSTRY = re.compile(r"^(ATECO_?\d{4}|ECON_ACTIVITY_NACE_\d{4}|ATECO)$", re.I)
_SDMX_META = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION"}
_CODE_COL = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _sniff(path: Path, head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln.strip()), "").lstrip("\ufeff")
    cols = [c.strip().strip('"') for c in re.split(r"[,;]", first)]
    has_region = any(c in _REGION for c in cols)
    has_industry = any(_INDUSTRY.match(c) for c in cols)
    return has_region and has_industry and ("ITTER107" in cols or "REF_AREA" in cols)


@register_reader("istat", sniff=_sniff,
                 description="Istat territory x ATECO table (I.Stat CSV or SDMX-CSV)")
def read_istat(
    path: Path,
    *,
    select: Mapping[str, str] | str | None = None,
    keep_totals: bool | str = False,
    encoding: str | None = None,
    decimal: str = "auto",
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """Istat territory x ATECO table (I.Stat CSV export or esploradati SDMX-CSV)."""
    path = Path(path)
    reject_unknown(path, "istat", unknown)
    rows = read_csv_rows(path, encoding=encoding)
    h = rows.header
    line = rows.header_line

    def find(names: tuple[str, ...], role: str, required: bool = True) -> int | None:
        found = guess(h, names)
        if found is None and required:
            raise SourceError(f"no {role} column; the columns are {', '.join(map(repr, h))}",
                              path=path, line=line, expected=f"one of {', '.join(names)}")
        return None if found is None else h.index(found)

    ri = find(_REGION, "territory")
    ti = find(_TIME, "time")
    vi = find(_VALUE, "value")
    fi = find(_FLAG, "flag", required=False)
    ind = [i for i, c in enumerate(h) if _INDUSTRY.match(c)]
    if len(ind) != 1:
        raise SourceError(
            "expected one ATECO dimension" + (f", found {[h[i] for i in ind]}" if ind else ""),
            path=path, line=line, expected="a column ATECO_2007 or ECON_ACTIVITY_NACE_2007")
    ii = ind[0]
    assert ri is not None and ti is not None and vi is not None
    sdmx = h[vi] == "OBS_VALUE"
    fmt = "istat-sdmx-csv" if sdmx else "istat"

    report = ReadReport(path=str(path), format=fmt)
    report.rows_read = report.cells_read = len(rows)
    keep = list(range(len(rows)))
    table = rows.rows
    # other dimensions: the upper-case code columns that are neither keys nor attributes
    last_dim = min(ti, vi)
    others = [i for i, c in enumerate(h[:last_dim])
              if _CODE_COL.match(c) and i not in (ri, ii) and c not in _SDMX_META]
    select = as_mapping(select, "select", path)
    keep_totals = as_bool(keep_totals, "keep_totals", path)
    for name in select:
        if name not in [h[i] for i in others]:
            raise SourceError(f"select: no dimension {name!r}", path=path, line=line,
                              column=name, expected=f"one of {[h[i] for i in others]}")
    for i in others:
        vals = [_code(table[k][i]) for k in keep]
        distinct = sorted(set(vals))
        if h[i] in select:
            want = str(select[h[i]])
            if want not in distinct:
                raise SourceError(f"{h[i]}={want!r} is not in the file", path=path,
                                  column=h[i], expected=f"one of {distinct[:20]}")
            dropped = [k for k, v in zip(keep, vals, strict=True) if v != want]
            report.count("dropped:not-selected", len(dropped), column=h[i])
            keep = [k for k, v in zip(keep, vals, strict=True) if v == want]
        elif len(distinct) > 1:
            raise SourceError(
                f"the dimension {h[i]} has {len(distinct)} values "
                f"({', '.join(distinct[:8])}{' ...' if len(distinct) > 8 else ''}); "
                f"choose one with select={{'{h[i]}': ...}}",
                path=path, line=line, column=h[i], expected="one value per dimension")

    body = [table[k] for k in keep]
    lines = [rows.lines[k] for k in keep]
    regions = map_unique([r[ri] for r in body], _code)
    inds = map_unique([r[ii] for r in body], _code)
    times = map_unique([r[ti] for r in body], lambda s: int_string(_code(s)))
    flags = [r[fi].strip() if fi is not None else "" for r in body]
    totals = [k for k, c in enumerate(inds) if re.fullmatch(r"00\d\d", c)]
    if totals and not keep_totals:
        report.count("dropped:total", len(totals), line=lines[totals[0]], column=h[ii],
                     raw=inds[totals[0]])
        tot = set(totals)
        sel = [k for k in range(len(body)) if k not in tot]
    else:
        sel = list(range(len(body)))
    parsed = parse_values([body[k][vi] for k in sel], [lines[k] for k in sel], h[vi], report,
                          decimal=decimal, path=path)
    for f in sorted({flags[k] for k in sel} - {""}):
        idx = [k for k in sel if flags[k] == f]
        report.count(f"flag:{f}", len(idx), line=lines[idx[0]], column=h[fi] if fi else None,
                     raw=f)
    cols = with_flags({
        "region": pa.array([regions[k] for k in sel], pa.string()),
        "industry": pa.array([inds[k] for k in sel], pa.string()),
        "time": pa.array([times[k] for k in sel], pa.string()),
        "value": parsed.values,
    }, parsed, [flags[k] or None for k in sel])
    cols.setdefault("flag", pa.nulls(len(sel), pa.string()))
    table = pa.table(cols)
    edition = re.search(r"(\d{4})", h[ii])
    cls = f"ATECO{edition.group(1)}" if edition else "ATECO2007"
    panel = Panel(table, PanelMeta("NUTS_ITTER107", cls, "value", ATTRIBUTION))
    report.rows_kept = panel.n_rows
    return panel, report


def _code(cell: str) -> str:
    """``"ITC11: Torino"`` -> ``"ITC11"`` (SDMX-CSV exported with labels); else stripped."""
    s = cell.strip()
    head, sep, _ = s.partition(": ")
    return head if sep and " " not in head else s
