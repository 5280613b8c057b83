"""Wide tables: one row per region (and period), one column per sector.

The generic reader takes the region and time columns by name and turns every other
column (or those picked by ``industry_columns``, ``industry_map`` or ``industry_pattern``)
into an industry. A preset recognises the Data Commons export of Eurostat's
``nama_10r_3empers``::

    Date,GeoId,Count_Person_Employed_NACE/A,...,Count_Person_Employed_NACE/M-N,...,Count_Person_Employed
    2017,dcid:nuts/ITC11,9500.0,...

and maps it to Eurostat's ``nace_r2`` codes (``A``, ``B-E``, ``C``, ``F``, ``G-I``, ``G-J``,
``J``, ``K``, ``K-N``, ``L``, ``M_N``, ``O-Q``, ``O-U``, ``R-U`` and ``TOTAL`` for the plain
``Count_Person_Employed``), regions to NUTS codes without ``dcid:nuts/``. Empty cells are
missing values, counted in the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from innesto.errors import SourceError
from innesto.i18n import Message, msg
from innesto.panel import Panel, PanelMeta
from innesto.sources import _parse as P
from innesto.sources import values as V
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport

FORMAT = "wide"
_DC_PREFIX = "Count_Person_Employed_NACE/"
_DC_TOTAL = "Count_Person_Employed"
#: Data Commons sector suffix -> Eurostat nace_r2 code (Eurostat writes M_N, not M-N).
DATACOMMONS_NACE: dict[str, str] = {
    s: s.replace("M-N", "M_N")
    for s in ("A", "B-E", "C", "F", "G-I", "G-J", "J", "K", "K-N", "L", "M-N", "O-Q", "O-U",
              "R-U")
}
DATACOMMONS_META = PanelMeta(
    region_classification="NUTS2016",
    industry_classification="NACE_R2",
    measure="employment",
    attribution="Source: Eurostat, nama_10r_3empers",
)


def _is_datacommons(header: Sequence[str]) -> bool:
    return (
        len(header) > 2
        and header[0] == "Date"
        and header[1] == "GeoId"
        and all(h == _DC_TOTAL or h.startswith(_DC_PREFIX) for h in header[2:])
    )


def _sniff(path: Path, head: str) -> bool:
    first = head.split("\n", 1)[0].strip()
    return _is_datacommons([h.strip() for h in first.split(",")])


def _delimiter(first_line: str) -> str:
    return max((",", ";", "\t"), key=first_line.count)


@register_reader(FORMAT, sniff=_sniff, description="wide table, one column per sector")
def read_wide(
    path: str | Path,
    *,
    region: str | None = None,
    time: str | None = None,
    industry: str | None = None,
    value: str | None = None,
    industry_columns: str | Sequence[str] | None = None,
    industry_map: Mapping[str, str] | str | None = None,
    industry_pattern: str | None = None,
    ignore_columns: str | Sequence[str] | None = None,
    region_pattern: str | None = None,
    sep: str | None = None,
    decimal: str = "auto",
    region_classification: str = "user",
    industry_classification: str = "user",
    measure: str = "value",
    attribution: str = "",
) -> tuple[Panel, ReadReport]:
    """Read a wide table (one column per sector) into a panel and a report.

    Parameters
    ----------
    region, time:
        The region column and the (optional) period column. Without ``region`` the file
        must be the Data Commons ``nama_10r_3empers`` layout, read with its preset.
    industry_columns, industry_map, industry_pattern:
        Which columns are sectors and their codes: an explicit list (code = column
        name), a ``{column: code}`` mapping, or a regular expression whose first group
        (or whole match) is the code. By default every other column is a sector.
    ignore_columns:
        Other id columns (names, labels) to leave out.
    region_pattern:
        A regular expression whose first group is the region code, e.g.
        ``r"dcid:nuts/(.+)"``; a region that does not match is an error.
    decimal:
        ``"auto"`` (the cells decide, see :mod:`innesto.sources.values`), ``"."`` or ``","``.
    industry, value:
        Not options of this format (sectors come from the column names).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "w.csv"
    >>> _ = f.write_text("year;prov;Manifattura;Servizi\\n2017;TO;10;\\n")
    >>> panel, report = read_wide(f, region="prov", time="year",
    ...                           industry_map={"Manifattura": "C", "Servizi": "G-U"})
    >>> sorted(panel.to_pandas()["industry"]), report.counts
    (['C', 'G-U'], {'missing': 1})
    """
    path = Path(path)
    text = P.read_text(path)
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if not first.strip():
        raise SourceError(msg("empty file"), path=path, line=1, expected=msg("a header row"))
    rows = P.csv_rows(path, text, delimiter=sep or _delimiter(first))
    header = _header(path, rows, industry, value)
    layout = _Layout(region, time, region_pattern, industry_map,
                     PanelMeta(region_classification, industry_classification, measure,
                               attribution))
    if region is None and _is_datacommons(header):
        layout = DATACOMMONS
    layout.check(path, header)
    sectors = _sectors(path, header, layout.region, layout.time, industry_columns,
                       layout.industry_map, industry_pattern, ignore_columns)
    report = ReadReport(path=str(path), format=FORMAT + (
        " (Data Commons preset)" if layout is DATACOMMONS else ""))
    ignored = [h for h in header if h not in sectors and h not in (layout.region, layout.time)]
    if ignored:
        report.notes.append(f"columns not read as sectors: {', '.join(ignored)}")
    cols = _values(path, _melt(path, rows, header, layout, sectors, report), decimal, report)
    if layout.meta.region_classification.startswith("NUTS"):
        report.notes.extend(P.nuts_version_notes(cols.region))
    return cols.panel(layout.meta), report


def _values(path: Path, cells: list[tuple[str, str, str, int, str, str]], decimal: str,
            report: ReadReport) -> P.Columns:
    """Parse every sector cell (the decimal mark decided over all of them), count them,
    and collect the observations (a key seen twice is an error)."""
    raws = [c[5] for c in cells]
    lines = [c[3] for c in cells]
    where_cols = [c[4] for c in cells]
    parsed = V.parse_column(raws, V.TABULAR.with_decimal(V.check_decimal(decimal, path)),
                            where=V.Where(path, where_cols, lines))
    parsed.record(report, raws, lines, where_cols)
    cols = P.Columns(path)
    for (reg, code, period, n, col, _raw), val, flags in zip(
            cells, parsed.values.to_pylist(), parsed.flags.to_pylist(), strict=True):
        cols.add(reg, code, period, val, flags or "", line=n, column=col)
    return cols


@dataclass(frozen=True)
class _Layout:
    """Where a wide table's keys are: the region column (and the pattern its code is
    taken from), the period column, the sector columns' codes, the panel's provenance."""

    region: str | None
    time: str | None
    region_pattern: str | None
    industry_map: Mapping[str, str] | str | None
    meta: PanelMeta

    def check(self, path: Path, header: list[str]) -> None:
        if self.region is None:
            raise SourceError(msg("name the region column with region=..."), path=path, line=1,
                              expected=msg("one of %(items)s", items=', '.join(header)))
        for name, col in (("region", self.region), ("time", self.time)):
            if col is not None and col not in header:
                raise SourceError(msg("no %(name)s column %(col)s", name=Message(name), col=repr(col)), path=path, line=1,
                                  expected=msg("one of %(items)s", items=', '.join(header)))


#: The Data Commons export of nama_10r_3empers, as data.
DATACOMMONS = _Layout(
    region="GeoId", time="Date", region_pattern=r"dcid:nuts/(.+)",
    industry_map={**{_DC_PREFIX + k: v for k, v in DATACOMMONS_NACE.items()},
                  _DC_TOTAL: "TOTAL"},
    meta=DATACOMMONS_META,
)


def _header(path: Path, rows: list[tuple[int, list[str]]], industry: str | None,
            value: str | None) -> list[str]:
    header = [h.strip() for h in rows[0][1]]
    if len(set(header)) != len(header) or not all(header):
        raise SourceError(msg("empty or repeated column name in the header"), path=path, line=1,
                          expected=msg("distinct column names"))
    if industry is not None or value is not None:
        raise SourceError(
            msg("a wide table takes its sectors from the column names"), path=path, line=1,
            expected=msg("industry_columns=, industry_map= or industry_pattern= instead of "
                     "industry=/value="),
        )
    return header


def _melt(path: Path, rows: list[tuple[int, list[str]]], header: list[str], layout: _Layout,
          sectors: dict[str, str], report: ReadReport) -> list[tuple[str, str, str, int, str, str]]:
    """One (region, code, period, line, column, cell) per sector cell of every data row."""
    rpat = _compile(path, layout.region_pattern, "region_pattern")
    idx = {h: j for j, h in enumerate(header)}
    region, time = str(layout.region), layout.time
    cells: list[tuple[str, str, str, int, str, str]] = []
    for n, row in P.data_rows(path, rows, len(header), report):
        reg = _region(path, rpat, row[idx[region]].strip(), n, region)
        period = row[idx[time]].strip() if time is not None else ""
        if not reg or (time is not None and not period):
            raise SourceError(msg("empty region or period"), path=path, line=n,
                              column=region if not reg else time, expected=msg("a code"))
        report.rows_kept += 1
        cells.extend((reg, code, period, n, col, row[idx[col]]) for col, code in sectors.items())
    if report.rows_kept == 0:
        raise SourceError(msg("no data rows"), path=path, line=2, expected=msg("at least one data line"))
    report.cells_read = len(cells)
    return cells


def _region(path: Path, rpat: re.Pattern[str] | None, reg: str, n: int, column: str) -> str:
    """The region code of a cell (the pattern's first group, or its whole match)."""
    if rpat is None:
        return reg
    m = rpat.fullmatch(reg)
    if m is None:
        raise SourceError(msg("region %(what)s does not match %(pattern)s", what=repr(reg[:60]),
                          pattern=repr(rpat.pattern)),
                          path=path, line=n, column=column, expected=msg("a region code"))
    return m.group(1) if rpat.groups else m.group(0)


def _compile(path: Path, pattern: str | None, what: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SourceError(msg("bad regular expression %(pattern)s (%(exc)s)",
                          pattern=repr(pattern), exc=exc), path=path,
                          expected=msg("a valid %(what)s", what=what)) from None


def _sectors(
    path: Path,
    header: list[str],
    region: str | None,
    time: str | None,
    columns: str | Sequence[str] | None,
    mapping: Mapping[str, str] | str | None,
    pattern: str | None,
    ignore: str | Sequence[str] | None,
) -> dict[str, str]:
    """{column: industry code} for the sector columns."""
    skip = {region, time, *(P.split_values(ignore) if ignore else [])}
    if isinstance(mapping, str):
        mapping = _parse_map(path, mapping)
    if mapping is not None:
        out = dict(mapping)
    elif columns is not None:
        out = {c: c for c in P.split_values(columns)}
    else:
        out = _by_pattern(path, header, skip, pattern)
    absent = [c for c in out if c not in header]
    if absent:
        raise SourceError(msg("sector column(s) %(items)s not found", items=', '.join(absent)), path=path,
                          line=1, expected=msg("columns among %(items)s", items=', '.join(header)))
    out = {c: code for c, code in out.items() if c not in skip}
    if not out:
        raise SourceError(msg("no sector columns"), path=path, line=1,
                          expected=msg("columns besides the region and time columns"))
    if len(set(out.values())) != len(out):
        raise SourceError(msg("two columns map to the same industry code"), path=path, line=1,
                          expected=msg("one column per industry"))
    return out


def _parse_map(path: Path, mapping: str) -> dict[str, str]:
    """``"Col A:C,Col B:F"`` -> ``{"Col A": "C", "Col B": "F"}``."""
    pairs = [item.rsplit(":", 1) for item in P.split_values(mapping)]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise SourceError(msg("bad industry_map %(mapping)s", mapping=repr(mapping)), path=path, line=1,
                          expected=msg("column:code pairs separated by commas"))
    return {c.strip(): code.strip() for c, code in pairs}


def _by_pattern(path: Path, header: list[str], skip: set[str | None],
                pattern: str | None) -> dict[str, str]:
    """Every column not skipped, or those matching ``pattern`` (code: its first group)."""
    pat = _compile(path, pattern, "industry_pattern")
    out = {}
    for h in header:
        if h in skip:
            continue
        if pat is None:
            out[h] = h
        elif (m := pat.fullmatch(h)) is not None:
            out[h] = m.group(1) if pat.groups else m.group(0)
    return out
