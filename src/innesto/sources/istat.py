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

from innesto.i18n import N_
from innesto.panel import Panel, PanelMeta
from innesto.sources._tabular import as_bool, as_mapping, read_csv_rows, reject_unknown
from innesto.sources.engine import LongTable, locate
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import Column, Dimensions, Drop, Spec, labelled, labelled_year

ATTRIBUTION = "Fonte/Source: Istat"
_REGION = ("ITTER107", "REF_AREA")
_INDUSTRY = re.compile(r"^(ATECO_?\d{4}|ECON_ACTIVITY_NACE_\d{4}|ATECO)$", re.I)

#: Both Istat layouts as data (see the module docs).
SPEC = Spec(
    format="istat",
    region=Column(_REGION, clean=labelled, role=N_("territory")),
    industry=Column(("ATECO_2007", "ECON_ACTIVITY_NACE_2007"), pattern=_INDUSTRY.pattern,
                    clean=labelled, role=N_("ATECO dimension"),
                    hint=N_("a column ATECO_2007 or ECON_ACTIVITY_NACE_2007")),
    time=Column(("TIME", "TIME_PERIOD"), clean=labelled_year),
    value=Column(("Value", "OBS_VALUE")),
    flag=Column(("Flag Codes", "OBS_STATUS"), required=False),
    # Istat's aggregate ATECO codes: 0010 total, 0015 ...
    drops=(Drop("industry", pattern=r"00\d\d", reason="dropped:total", keep="keep_totals"),),
    dimensions=Dimensions(ignore=frozenset({"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION"})),
    region_classification="NUTS_ITTER107",
    industry_classification="ATECO2007",
    attribution=ATTRIBUTION,
)


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
    at = locate(SPEC, rows.header, path=path, line=rows.header_line,
                order=("region", "time", "value", "flag", "industry"))
    sdmx = rows.header[at["value"]] == "OBS_VALUE"
    report = ReadReport(path=str(path), format="istat-sdmx-csv" if sdmx else "istat")
    report.rows_read = report.cells_read = len(rows)
    table = LongTable(SPEC, path, rows, at, report, list(range(len(rows))))
    pinned = as_mapping(select, "select", path)
    keep_totals = as_bool(keep_totals, "keep_totals", path)
    table.pin_dimensions(pinned, labelled)
    table.drop({"keep_totals": keep_totals})
    edition = re.search(r"(\d{4})", rows.header[at["industry"]])
    meta = PanelMeta(SPEC.region_classification,
                     f"ATECO{edition.group(1)}" if edition else SPEC.industry_classification,
                     SPEC.measure, SPEC.attribution)
    return table.panel(meta, decimal=decimal, flag_column=True), report
