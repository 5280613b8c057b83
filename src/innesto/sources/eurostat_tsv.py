"""Eurostat's TSV format (bulk download and dissemination API ``format=TSV``).

The header's first cell lists the series dimensions and, after a backslash, the time
dimension (``freq,unit,nace_r2,geo\\TIME_PERIOD``, or ``...\\time`` in old bulk files); the
other header cells are periods (``2017 ``, with a trailing space). Each data line is one
series: its comma-separated key, then one cell per period such as ``945.3``, ``950.1 p``,
``: `` (not available) or ``: c`` (confidential). The file may be gzip-compressed.

Dimensions other than region and industry are filtered with reader options
(``unit="THS"``); a dimension left with several values is an error that lists them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import N_, msg, nmsg
from innesto.panel import Panel
from innesto.sources import _parse as P
from innesto.sources import limits
from innesto.sources._tabular import iter_lines
from innesto.sources.engine import Cube, eurostat_attribution
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import CubeSpec
from innesto.sources.values import EUROSTAT

FORMAT = "eurostat-tsv"
#: Eurostat TSV as data: a tab-separated series key, periods in the header after a backslash.
SPEC = CubeSpec(format=FORMAT, values=EUROSTAT, delimiter="\t", nothing=N_("no series left"))


def _sniff(path: Path, head: str) -> bool:
    first = head.split("\n", 1)[0]
    return "\t" in first and ("\\TIME_PERIOD" in first or "\\time" in first)


@register_reader(FORMAT, sniff=_sniff, description="Eurostat TSV (unit,nace_r2,geo\\TIME_PERIOD)",
                 values=SPEC.values)
def read_eurostat_tsv(
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
    """Read a Eurostat TSV file into a panel and a report.

    Parameters
    ----------
    path:
        The ``.tsv`` or ``.tsv.gz`` file.
    region, industry:
        The dimensions that become ``region`` (default ``geo``) and ``industry`` (default
        the first of ``nace_r2``, ``nace_r21``, ``nace_r1``, ... found).
    time, value:
        Not options of this format (time is the header's periods); naming a different
        time dimension or any value column is an error.
    region_classification, measure, attribution:
        Go to the panel's :class:`~innesto.panel.PanelMeta`.
    **filters:
        ``dimension=value`` or ``dimension="v1,v2"``: keep those series only. Every
        dimension other than region and industry must end with one value.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "nama_10r_3empers.tsv"
    >>> _ = f.write_text("unit,nace_r2,geo\\\\TIME_PERIOD\\t2016 \\t2017 \\n"
    ...                  "THS,J,ITC11\\t40.1 \\t41.2 p\\nTHS,K,ITC11\\t: c\\t:\\n")
    >>> panel, report = read_eurostat_tsv(f)
    >>> panel.n_rows, panel.n_missing, report.counts
    (4, 2, {'confidential': 1, 'flag:p': 1, 'missing': 1})
    """
    path = Path(path)
    text = P.read_text(path)
    lines = iter_lines(text)
    first = next(lines, "")
    if not first.strip():
        raise SourceError(msg("empty file"), path=path, line=1, expected=msg("a Eurostat TSV header"))
    header = first.split(SPEC.delimiter)
    dims, periods = _header(path, header, time, value)
    cube = Cube.open(SPEC, path, dims, region, industry, filters)
    budget = limits.Budget(path)
    for n, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        fields = line.split(SPEC.delimiter)
        if len(fields) != len(header):
            raise SourceError(
                nmsg("%(n)d tab-separated fields",
                     "%(n)d tab-separated fields",
                     len(fields)), path=path, line=n,
                expected=nmsg("%(n)d like the header",
                              "%(n)d like the header",
                              len(header)),
            )
        budget.row(len(fields), line=n)
        key = [k.strip() for k in fields[0].split(",")]
        if len(key) != len(dims) or not all(key):
            raise SourceError(
                msg("series key %(what)s", what=repr(fields[0][:60])), path=path, line=n, column=1,
                expected=nmsg("%(n)d comma-separated codes (%(items)s)",
                              "%(n)d comma-separated codes (%(items)s)",
                              len(dims), items=','.join(dims)),
            )
        cube.report.rows_read += 1
        cube.offer(n, dict(zip(dims, key, strict=True)), fields[1:])
    unit = cube.close().get("unit")
    cols = _series(cube, periods, unit)
    meta = cube.meta(cols, region_classification, measure,
                     eurostat_attribution(path, attribution))
    return cols.panel(meta), cube.report


def _header(path: Path, header: list[str], time: str | None,
            value: str | None) -> tuple[list[str], list[str]]:
    """The series dimensions and the periods of a Eurostat TSV header."""
    first = header[0].strip()
    if "\\" not in first:
        raise SourceError(
            msg("header cell %(what)s has no '\\'", what=repr(first[:60])), path=path, line=1, column=1,
            expected=msg("dimensions then '\\TIME_PERIOD', e.g. 'unit,nace_r2,geo\\TIME_PERIOD'"),
        )
    dim_part, time_dim = first.rsplit("\\", 1)
    dims = [d.strip() for d in dim_part.split(",")]
    if not all(dims) or len(set(dims)) != len(dims):
        raise SourceError(
            msg("bad dimension list %(what)s", what=repr(dim_part[:60])), path=path, line=1, column=1,
            expected=msg("distinct comma-separated dimension names"),
        )
    if value is not None:
        raise SourceError(
            msg("a Eurostat TSV file has no value column to name"), path=path, line=1,
            expected=msg("no value= option for this format"),
        )
    if time is not None and time.lower() != time_dim.strip().lower():
        raise SourceError(
            msg("the time dimension is %(what)s, not %(time)s", what=repr(time_dim.strip()),
            time=repr(time)), path=path, line=1,
            column=1,
        )
    return dims, _periods(path, header)


def _periods(path: Path, header: list[str]) -> list[str]:
    periods = [h.strip() for h in header[1:]]
    for j, p in enumerate(periods, start=2):
        if not p:
            raise SourceError(msg("empty period in the header"), path=path, line=1, column=j,
                              expected=msg("a period such as 2017"))
    if len(set(periods)) != len(periods):
        raise SourceError(msg("a period appears twice in the header"), path=path, line=1,
                          expected=msg("distinct periods"))
    return periods


def _series(cube: Cube, periods: list[str], unit: str | None) -> P.Columns:
    """Every cell of the series kept, read with the Eurostat syntax and counted."""
    cols = P.Columns(cube.path)
    report = cube.report
    parse, record, ok, syntax = P.parse_cell_cached, P.record, P.OK, SPEC.values
    for n, key, cells in cube.kept:
        report.rows_kept += 1
        nums: list[float | None] = []
        flag_col: list[str | None] = []
        for period, raw in zip(periods, cells, strict=True):
            val, flags, status = parse(raw, syntax)
            if status != ok or flags:
                record(report, status, flags, line=n, column=period, raw=raw)
            nums.append(val)
            flag_col.append(flags or None)
        report.cells_read += len(periods)
        cols.add_series(key[cube.region], key[cube.industry], periods, nums, flag_col, line=n,
                        unit=unit)
    return cols
