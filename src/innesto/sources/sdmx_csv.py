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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import N_, msg
from innesto.panel import Panel
from innesto.sources import _parse as P
from innesto.sources.engine import Cube
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import CubeSpec
from innesto.sources.values import SDMX

FORMAT = "sdmx-csv"
_STRUCTURE = {"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"}
#: SDMX-CSV as data: one observation per row, dimensions before TIME_PERIOD.
SPEC = CubeSpec(format=FORMAT, values=SDMX, delimiter=",", time="TIME_PERIOD",
                value="OBS_VALUE", flag="OBS_FLAG", structure=frozenset(_STRUCTURE),
                nothing=N_("no observations left"))
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
                 values=SPEC.values)
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
    rows = P.csv_rows(path, P.read_text(path), delimiter=SPEC.delimiter)
    head = _Header.parse(path, rows, time, value)
    cube = Cube.open(SPEC, path, head.dims, region, industry, filters,
                     fmt=f"{FORMAT} {head.version}")
    structures = _offer(cube, head, rows)
    unit = cube.close().get("unit")
    cols = P.Columns(path)
    for n, key, row in cube.kept:
        _observation(cube, head, cols, n, key, row, unit)
    meta = cube.meta(cols, region_classification, measure,
                     attribution or _attribution(structures, path))
    return cols.panel(meta), cube.report


@dataclass
class _Header:
    """An SDMX-CSV header: its column names (labels removed), which were labelled, the
    version, the TIME_PERIOD and OBS_VALUE columns and the dimensions before them."""

    names: list[str]
    labelled: list[bool]
    version: str
    dims: list[str]
    idx: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.idx = {h: j for j, h in enumerate(self.names)}

    def cell(self, row: list[str], name: str) -> str:
        """A row's code in column ``name`` (its label removed if the header had labels)."""
        j = self.idx[name]
        return _code(row[j]) if self.labelled[j] else row[j].strip()

    def get(self, row: list[str], name: str) -> str | None:
        """A row's cell in an optional column, stripped (``None`` without the column)."""
        j = self.idx.get(name)
        return None if j is None else row[j].strip()

    @classmethod
    def parse(cls, path: Path, rows: list[tuple[int, list[str]]], time: str | None,
              value: str | None) -> _Header:
        if not rows or not any(c.strip() for c in rows[0][1]):
            raise SourceError(msg("empty file"), path=path, line=1, expected=msg("an SDMX-CSV header"))
        labelled = [":" in h for h in rows[0][1]]
        header = [_code(h) if lab else h.strip()
                  for h, lab in zip(rows[0][1], labelled, strict=True)]
        version = _version(path, header)
        _check_options(path, time, value)
        it, iv = header.index("TIME_PERIOD"), header.index("OBS_VALUE")
        dims = [h for j, h in enumerate(header) if j < iv and j != it and h not in _STRUCTURE]
        if not dims:
            raise SourceError(msg("no dimension columns before TIME_PERIOD"), path=path, line=1,
                              expected=msg("dimensions such as geo and nace_r2"))
        return cls(header, labelled, version, dims)


def _version(path: Path, header: list[str]) -> str:
    """The SDMX-CSV version of a header (1.0 starts with DATAFLOW, 2.0 with STRUCTURE);
    an error unless it has one TIME_PERIOD, one OBS_VALUE and distinct names."""
    version = {"DATAFLOW": "1.0", "STRUCTURE": "2.0"}.get(header[0])
    if version is None or any(header.count(c) != 1 for c in ("TIME_PERIOD", "OBS_VALUE")):
        raise SourceError(
            msg("not an SDMX-CSV header (columns: %(what)s)", what=', '.join(header)[:200]),
            path=path, line=1,
            expected=msg("DATAFLOW or STRUCTURE first, one TIME_PERIOD and one OBS_VALUE column"),
        )
    if len(set(header)) != len(header):
        raise SourceError(msg("a column name appears twice"), path=path, line=1,
                          expected=msg("distinct column names"))
    return version


def _check_options(path: Path, time: str | None, value: str | None) -> None:
    if time is not None and time != "TIME_PERIOD":
        raise SourceError(msg("SDMX-CSV's time column is TIME_PERIOD, not %(time)s",
                          time=repr(time)), path=path,
                          line=1)
    if value is not None and value != "OBS_VALUE":
        raise SourceError(msg("SDMX-CSV's value column is OBS_VALUE, not %(value)s",
                          value=repr(value)), path=path,
                          line=1)


def _offer(cube: Cube, head: _Header, rows: list[tuple[int, list[str]]]) -> set[str]:
    """Offer every data row to the cube (rows marked for deletion are counted and left
    out); returns the structures (dataflows) of the rows kept."""
    structures: set[str] = set()
    path, report = cube.path, cube.report
    for n, row in P.data_rows(path, rows, len(head.names), report):
        key = {d: head.cell(row, d) for d in head.dims}
        for d in (cube.region, cube.industry):
            if not key[d]:
                raise SourceError(msg("empty %(d)s code", d=d), path=path, line=n, column=d,
                                  expected=msg("a code"))
        if not head.get(row, "TIME_PERIOD"):
            raise SourceError(msg("empty TIME_PERIOD"), path=path, line=n, column="TIME_PERIOD",
                              expected=msg("a period such as 2017"))
        if head.get(row, "ACTION") == "D":
            report.count("dropped:action D (deletion)", line=n, column="ACTION", raw="D")
            continue
        if cube.offer(n, key, row):
            structure = head.get(row, "STRUCTURE_ID") if "STRUCTURE_ID" in head.idx else \
                head.get(row, "DATAFLOW")
            if structure is not None:
                structures.add(structure)
    return structures


def _observation(cube: Cube, head: _Header, cols: P.Columns, n: int, key: dict[str, str],
                 row: list[str], unit: str | None) -> None:
    """Read one kept row's value and flags (OBS_FLAG, and CONF_STATUS codes that withhold
    the value as flag ``c``), count them and add the observation."""
    report = cube.report
    report.rows_kept += 1
    report.cells_read += 1
    raw = row[head.idx["OBS_VALUE"]]
    flags = head.get(row, "OBS_FLAG") or ""
    if not _FLAG_RE.fullmatch(flags):
        report.count("corrupt", line=n, column="OBS_FLAG", raw=flags)
        flags = ""
    flags = flags.lower()
    if (head.get(row, "CONF_STATUS") or "").upper() in _CONFIDENTIAL_STATUS and "c" not in flags:
        flags += "c"
    val, _, status = P.parse_cell_cached(raw, SPEC.values)
    if status == P.MISSING and "c" in flags:
        status = P.CONFIDENTIAL
    P.record(report, status, flags, line=n, column="OBS_VALUE", raw=raw)
    cols.add(key[cube.region], key[cube.industry], head.cell(row, "TIME_PERIOD"), val, flags,
             line=n, column="OBS_VALUE", unit=unit)


def _attribution(structures: set[str], path: Path) -> str:
    """``ESTAT:NAMA_10R_3EMPERS(1.0)`` -> ``Source: Eurostat, nama_10r_3empers``."""
    codes = sorted(
        {m.group(1).lower() for s in structures if (m := re.match(r"ESTAT:([A-Za-z0-9_]+)", s))}
    )
    if codes:
        return "Source: Eurostat, " + ", ".join(codes)
    return "Source: Eurostat" if any(s.startswith("ESTAT") for s in structures) else ""
