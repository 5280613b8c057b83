"""Eurostat ``;``-separated extracts such as the regional SBS table ``sbs_r_nuts06_r2``.

The layout is long in the dimensions and wide in the years::

    nace_r2;geo;n2015
    B;AT;7089
    B;PL11; d
    C10;FR;
    B05;IS;12:00 AM

Each year column (``n2015``, or a bare ``2015``) gives ``time``. Cells are Eurostat cells
(``1234 d``: value and flag; ``: `` missing), with the extract's own convention that a
**blank cell is confidential** (null value, flag ``c``); a flag without a value (`` d``)
is missing with that flag; anything else (``12:00 AM``, a spreadsheet's reinterpretation
of a number) is corrupt. Every such cell is counted with its line and column, and files
that mix NUTS 2006/2010/2013 codes get a note in the report.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import N_, msg
from innesto.panel import Panel
from innesto.sources import _parse as P
from innesto.sources.engine import Cube, eurostat_attribution
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import CubeSpec
from innesto.sources.values import EUROSTAT_SBS

FORMAT = "eurostat-sbs"
#: The SBS extract as data: ';'-separated, years in nYYYY columns, blank cells confidential.
SPEC = CubeSpec(format=FORMAT, values=EUROSTAT_SBS, delimiter=";", periods=r"n?(\d{4})",
                region_classification="NUTS2013", nothing=N_("no data rows"), matching=False)
_YEAR_COL = re.compile(str(SPEC.periods))


def _sniff(path: Path, head: str) -> bool:
    fields = [f.strip().strip('"') for f in head.split("\n", 1)[0].split(";")]
    return (
        len(fields) >= 3
        and "geo" in (f.lower() for f in fields)
        and any(_YEAR_COL.fullmatch(f) for f in fields)
    )


@register_reader(FORMAT, sniff=_sniff, description="Eurostat ';'-separated extract (SBS)",
                 values=SPEC.values)
def read_eurostat_sbs(
    path: str | Path,
    *,
    region: str = "geo",
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    region_classification: str = "NUTS2013",
    measure: str = "value",
    attribution: str | None = None,
    **filters: Any,
) -> tuple[Panel, ReadReport]:
    """Read a ``;``-separated Eurostat extract into a panel and a report.

    ``region``/``industry`` name the dimension columns (default ``geo`` and ``nace_r2``);
    ``value`` names one year column to read (default: every ``nYYYY`` column); ``time``
    is not an option here (periods come from the year columns). Other dimension columns
    are filtered with ``column=value`` keyword arguments and must end with one value.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "sbs_r_nuts06_r2.csv"
    >>> _ = f.write_text("nace_r2;geo;n2015\\nB;AT;7089\\nB;AT1;2343 d\\nB;AT2; \\n"
    ...                  "B05;IS;12:00 AM\\n")
    >>> panel, report = read_eurostat_sbs(f)
    >>> report.counts
    {'confidential': 1, 'corrupt': 1, 'flag:d': 1}
    >>> panel.filter(region="AT2").to_pandas()[["value", "flag"]].values.tolist()
    [[nan, 'c']]
    """
    path = Path(path)
    rows = P.csv_rows(path, P.read_text(path), delimiter=SPEC.delimiter)
    header, years = _header(path, rows, value, time)
    dims = [h for h in header if not _YEAR_COL.fullmatch(h)]
    if not dims:
        raise SourceError(msg("no dimension columns"), path=path, line=1,
                          expected=msg("columns such as nace_r2 and geo"))
    cube = Cube.open(SPEC, path, dims, region, industry, filters)
    idx = {h: j for j, h in enumerate(header)}
    for n, row in P.data_rows(path, rows, len(header), cube.report,
                              fields=N_("';'-separated fields")):
        for d in (cube.region, cube.industry):
            if not row[idx[d]].strip():
                raise SourceError(msg("empty %(d)s code", d=d), path=path, line=n, column=d,
                                  expected=msg("a code"))
        cube.offer(n, {d: row[idx[d]].strip() for d in dims}, row)
    cube.close()
    cols = _cells(cube, idx, years)
    report = cube.report
    if report.counter.get(P.CONFIDENTIAL):
        report.notes.append("blank cells are read as confidential (flag c), as in Eurostat "
                            "SBS extracts")
    meta = cube.meta(cols, region_classification, measure,
                     eurostat_attribution(path, attribution))
    return cols.panel(meta), report


def _header(path: Path, rows: list[tuple[int, list[str]]], value: str | None,
            time: str | None) -> tuple[list[str], dict[str, str]]:
    """The column names and the year columns to read (``{column: year}``)."""
    if not rows or not any(c.strip() for c in rows[0][1]):
        raise SourceError(msg("empty file"), path=path, line=1, expected=msg("a header like nace_r2;geo;n2015"))
    header = [h.strip() for h in rows[0][1]]
    if len(set(header)) != len(header) or not all(header):
        raise SourceError(msg("empty or repeated column name in the header"), path=path, line=1,
                          expected=msg("distinct column names"))
    years = {h: m.group(1) for h in header if (m := _YEAR_COL.fullmatch(h))}
    if value is not None:
        if value not in years:
            raise SourceError(msg("no year column %(value)s", value=repr(value)), path=path, line=1,
                              expected=msg("one of %(what)s",
                                       what=', '.join(years) or '(none: nYYYY columns)'))
        years = {value: years[value]}
    if not years:
        raise SourceError(
            msg("no year column"), path=path, line=1,
            expected=msg("a column such as n2015; the columns are %(items)s",
                     items=', '.join(header)),
        )
    if time is not None:
        raise SourceError(msg("periods come from the year columns; there is no time column"),
                          path=path, line=1, expected=msg("no time= option for this format"))
    return header, years


def _cells(cube: Cube, idx: dict[str, int], years: dict[str, str]) -> P.Columns:
    """Every year cell of the rows kept, read with the SBS syntax and counted."""
    cols = P.Columns(cube.path)
    report = cube.report
    for n, _key, row in cube.kept:
        report.rows_kept += 1
        for col, year in years.items():
            raw = row[idx[col]]
            report.cells_read += 1
            val, flags, status = P.parse_cell_cached(raw, SPEC.values)
            P.record(report, status, flags, line=n, column=col, raw=raw)
            cols.add(row[idx[cube.region]].strip(), row[idx[cube.industry]].strip(), year, val,
                     flags, line=n, column=col)
    return cols
