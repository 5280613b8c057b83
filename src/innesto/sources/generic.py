"""Generic long tables: CSV/TSV/semicolon text, Parquet and Excel, with a column mapping.

Name the columns with ``region=``, ``industry=``, ``value=`` and, optionally, ``time=``,
``flag=`` and ``unit=``; when omitted, the usual names (``region``/``geo``/``country``,
``industry``/``nace_r2``/``sector``/``product``, ``time``/``year``, ``value``/``count``) are
tried. Every cell is read as a string first, so codes keep their leading zeros (HS ``0101``
stays ``0101``). Values that are blank or NA are ``missing``, values that do not parse are
``corrupt`` (both kept as null and counted with their line); with ``nonnegative=True`` a
negative value (impossible for counts) is nulled and counted as ``negative``.

Text files: the encoding is UTF-8 or detected (a Latin-1 Italian file with ``à`` reads
right); the delimiter is sniffed (``,``, ``;``, tab, ``|``) unless given. Values are read
by the one value parser (:mod:`innesto.sources.values`): the decimal mark is detected per
column (``1.234,5`` is 1234.5 in a column that also has ``0,5``) or set with
``decimal=","`` / ``decimal="."``; a column that cannot decide is refused with its line;
a value with Eurostat flags (``12 p``) keeps its value and its flag.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "t.csv").write_text("prov;hs;anno;v\\nTO;0101;2017;1,5\\nTO;0102;2017;n.a.\\n")
>>> panel, report = read_csv(d / "t.csv", region="prov", industry="hs", time="anno",
...                          value="v", decimal=",")
>>> panel.industries, panel.to_pandas()["value"].tolist()[0], report.counts
(['0101', '0102'], 1.5, {'missing': 1})
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from innesto.errors import SourceError
from innesto.i18n import N_, msg
from innesto.panel import Panel, PanelMeta
from innesto.sources import limits
from innesto.sources._tabular import (
    Rows,
    as_bool,
    as_int,
    column,
    guess,
    int_string,
    parse_values,
    read_csv_rows,
    reject_unknown,
    sniff_delimiter,
)
from innesto.sources.engine import LongTable, locate
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.spec import Column, Spec, whole
from innesto.sources.values import ParsedColumn

USUAL = {
    "region": ("region", "geo", "country", "area", "territory", "location", "reporter", "nuts"),
    "industry": ("industry", "nace_r2", "nace", "sector", "activity", "product", "ateco",
                 "naics", "code"),
    "time": ("time", "year", "time_period", "period", "anno", "date"),
    "value": ("value", "count", "obs_value", "employment", "val", "amount", "valore"),
}
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}

#: Generic long tables as data: the usual names of each role; flag and unit columns only
#: when named; rows without a region or industry code are dropped and counted.
SPEC = Spec(
    format="csv",
    region=Column(USUAL["region"]),
    industry=Column(USUAL["industry"]),
    time=Column(USUAL["time"], clean=whole, required=False),
    value=Column(USUAL["value"]),
    flag=Column(required=False),
    unit=Column(required=False),
    blank_codes="drop-located",
    missing=N_("no column for the %(role)s: name it with %(option)s=...; the columns are "
               "%(columns)s"),
    expected=N_("a column for the %(role)s"),
)
Values = Callable[[int, ReadReport], "ParsedColumn | pa.Array"]


def build_panel(
    path: Path,
    fmt: str,
    rows: Rows,
    *,
    names: dict[str, str | None],
    meta: PanelMeta,
    values: Values | None = None,
    **parse: Any,
) -> tuple[Panel, ReadReport]:
    """Map columns to the panel (``names`` gives a column per role, or ``None`` for the
    usual names), parse values and count everything in a report.

    ``values(index, report)``, if given, returns the value column already typed (Parquet).
    """
    report = ReadReport(path=str(path), format=fmt)
    report.rows_read = report.cells_read = len(rows)
    at = _columns(path, rows.header, names)
    table = LongTable(SPEC, path, rows, at, report, list(range(len(rows))))
    parsed = values(at["value"], report) if values is not None else table.parse(**parse)
    return table.panel(meta, parsed=parsed), report


def _columns(path: Path, header: Sequence[str], names: dict[str, str | None]) -> dict[str, int]:
    """Region, industry and value (named, else by their usual names), then the time (named,
    else a usual name not taken), flag and unit (only when named)."""
    at = locate(SPEC, header, path=path, given=names, order=("region", "industry", "value"))
    if names.get("time") is not None:
        at["time"] = column(path, header, str(names["time"]), "time")
    else:
        found = guess(header, USUAL["time"])
        if found is not None and found not in {header[i] for i in at.values()}:
            at["time"] = list(header).index(found)
    for role in ("flag", "unit"):
        given = names.get(role)
        if given is not None:
            at[role] = column(path, header, given, role)
    return at


class _LazyRows(Rows):
    """Rows whose columns are made on demand by ``get`` (Excel and Parquet)."""

    def __init__(self, *args: Any, get: Callable[[int], list[str]]) -> None:
        super().__init__(*args)
        self._get = get

    def col(self, index: int) -> list[str]:
        return self._get(index)


def _meta(region_classification: str, industry_classification: str, measure: str,
          attribution: str) -> PanelMeta:
    return PanelMeta(region_classification, industry_classification, measure, attribution)


def _sniff_csv(path: Path, head: str) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if head.startswith(("PAR1", "PK\x03\x04")) or "\x00" in head[:4096]:
        return False  # Parquet, zip (xlsx) or other binary content
    if any(s in _TEXT_SUFFIXES for s in suffixes):
        return True
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    return "\ufffd" not in first and first.count(sniff_delimiter(head)) >= 1


@register_reader("csv", sniff=_sniff_csv,
                 description="Generic long CSV/TSV/semicolon table with a column mapping")
def read_csv(
    path: Path,
    *,
    region: str | None = None,
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    flag: str | None = None,
    unit: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str = "auto",
    nonnegative: bool = False,
    skip: int = 0,
    region_classification: str = "user",
    industry_classification: str = "user",
    measure: str = "value",
    attribution: str = "",
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """Generic long CSV/TSV/semicolon table with a column mapping (see the module docs)."""
    path = Path(path)
    reject_unknown(path, "csv", unknown)
    nonnegative = as_bool(nonnegative, "nonnegative", path)
    rows = read_csv_rows(path, delimiter=delimiter, encoding=encoding,
                         skip=as_int(skip, "skip", path) or 0)
    panel, report = build_panel(
        path, "csv", rows, names=dict(region=region, industry=industry, time=time,
                                      value=value, flag=flag, unit=unit),
        meta=_meta(region_classification, industry_classification, measure, attribution),
        decimal=decimal, nonnegative=nonnegative,
    )
    if rows.encoding != "utf-8":
        report.notes.append(f"read as {rows.encoding}")
    return panel, report


@register_reader("tsv", description="Generic long tab-separated table (the csv reader with a tab)")
def read_tsv(path: Path, *, delimiter: str = "\t", decimal: str = "auto",
             **options: Any) -> tuple[Panel, ReadReport]:
    """Generic long tab-separated table: :func:`read_csv` with ``delimiter="\\t"``."""
    panel, report = read_csv(path, delimiter=delimiter, decimal=decimal, **options)
    report.format = "tsv"
    return panel, report


def _sniff_parquet(path: Path, head: str) -> bool:
    return path.suffix.lower() in (".parquet", ".pq") or head.startswith("PAR1")


@register_reader("parquet", sniff=_sniff_parquet,
                 description="Parquet long table (e.g. a panel written by innesto ingest)")
def read_parquet(
    path: Path,
    *,
    region: str | None = None,
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    flag: str | None = None,
    unit: str | None = None,
    nonnegative: bool = False,
    region_classification: str | None = None,
    industry_classification: str | None = None,
    measure: str | None = None,
    attribution: str | None = None,
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """Parquet long table with a column mapping (numbers stay numbers, codes become strings)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = Path(path)
    reject_unknown(path, "parquet", unknown)
    nonnegative = as_bool(nonnegative, "nonnegative", path)
    try:
        _parquet_budget(path)
        table = pq.read_table(path)
    except FileNotFoundError:
        raise SourceError(msg("file not found"), path=path) from None
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(msg("not a readable Parquet file: %(exc)s", exc=exc), path=path) from None
    own = PanelMeta.from_metadata(table.schema.metadata)
    meta = PanelMeta(region_classification or own.region_classification,
                     industry_classification or own.industry_classification,
                     measure or own.measure,
                     own.attribution if attribution is None else attribution)
    header = table.column_names
    n = table.num_rows
    if flag is None and "flag" in header:
        flag = "flag"
    if unit is None and "unit" in header:
        unit = "unit"

    def get(i: int) -> list[str]:
        col = table.column(i)
        if pa.types.is_floating(col.type):
            return ["" if v is None or v != v else int_string(repr(v))
                    for v in col.to_pylist()]
        if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            try:
                col = pc.cast(col, pa.string())
            except pa.ArrowException:
                raise SourceError(msg("a %(type)s column cannot hold codes or values",
                                  type=col.type),
                                  path=path, column=header[i],
                                  expected=msg("text or numbers")) from None
        return ["" if v is None else v for v in col.to_pylist()]

    def values(i: int, report: ReadReport) -> pa.Array:
        col = table.column(i).combine_chunks()
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or \
                pa.types.is_decimal(col.type):
            col = pc.cast(col, pa.float64())
            nan = pc.fill_null(pc.is_nan(col), False)
            col = pc.if_else(nan, pa.scalar(None, pa.float64()), col)
            missing = [j for j, v in enumerate(col.is_null().to_pylist()) if v]
            if missing:
                report.count("missing", len(missing), line=missing[0] + 1, column=header[i])
            if nonnegative:
                neg = pc.fill_null(pc.less(col, 0.0), False)
                k = int(pc.sum(neg).as_py() or 0)
                report.count("negative", k, column=header[i])
                col = pc.if_else(neg, pa.scalar(None, pa.float64()), col)
            return col
        return parse_values(get(i), list(range(1, n + 1)), header[i], report,
                            nonnegative=nonnegative)

    panel, report = build_panel(
        path, "parquet", _LazyRows(header, [], list(range(1, n + 1)), "", "", get=get),
        names=dict(region=region, industry=industry, time=time, value=value, flag=flag,
                   unit=unit),
        meta=meta, values=values,
    )
    report.notes.append("line numbers are row numbers (1 = first data row)")
    return panel, report


def _parquet_budget(path: Path) -> None:
    """Refuse a Parquet file whose footer declares more rows or cells than the budgets
    (``INNESTO_MAX_ROWS``, ``INNESTO_MAX_CELLS``), before any of its data is read; the
    line named is the first row over (line numbers are row numbers). A footer that cannot
    be read is left to the reader, which names the problem."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
    except (pa.ArrowException, OSError):
        return
    lim = limits.current()
    rows, width = metadata.num_rows, metadata.num_columns
    if rows > lim.rows:
        raise SourceError(msg("more than %(rows)s rows (INNESTO_MAX_ROWS)",
                          rows=format(lim.rows, ',')), path=path,
                          line=lim.rows + 1, expected=msg("a smaller table"))
    if rows * width > lim.cells:
        raise SourceError(msg("more than %(cells)s cells (INNESTO_MAX_CELLS)",
                          cells=format(lim.cells, ',')), path=path,
                          line=lim.cells // max(width, 1) + 1, expected=msg("a smaller table"))


def _sniff_excel(path: Path, head: str) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


@register_reader("excel", sniff=_sniff_excel,
                 description="Excel (.xlsx) long table with a column mapping")
def read_excel(
    path: Path,
    *,
    region: str | None = None,
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    flag: str | None = None,
    unit: str | None = None,
    sheet: str | int = 0,
    decimal: str = ".",
    nonnegative: bool = False,
    region_classification: str = "user",
    industry_classification: str = "user",
    measure: str = "value",
    attribution: str = "",
    **unknown: Any,
) -> tuple[Panel, ReadReport]:
    """Excel (.xlsx) long table: the header is the first non-empty row of ``sheet``."""
    from innesto.sources._excel import excel_rows

    path = Path(path)
    reject_unknown(path, "excel", unknown)
    nonnegative = as_bool(nonnegative, "nonnegative", path)
    if isinstance(sheet, str) and sheet.strip().isdigit():
        sheet = int(sheet)
    header, rows, lines = excel_rows(path, sheet)
    panel, report = build_panel(
        path, "excel", _LazyRows(header, [], lines, "", "", get=lambda i: [r[i] for r in rows]),
        names=dict(region=region, industry=industry, time=time, value=value, flag=flag,
                   unit=unit),
        meta=_meta(region_classification, industry_classification, measure, attribution),
        decimal=decimal, nonnegative=nonnegative,
    )
    report.notes.append("line numbers are spreadsheet row numbers")
    return panel, report
