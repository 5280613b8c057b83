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

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from innesto.errors import SourceError
from innesto.panel import Panel, PanelMeta
from innesto.sources._tabular import (
    as_bool,
    as_int,
    column,
    guess,
    int_string,
    map_unique,
    parse_values,
    read_csv_rows,
    reject_unknown,
    sniff_delimiter,
    with_flags,
)
from innesto.sources.registry import register_reader
from innesto.sources.report import ReadReport
from innesto.sources.values import ParsedColumn

USUAL = {
    "region": ("region", "geo", "country", "area", "territory", "location", "reporter", "nuts"),
    "industry": ("industry", "nace_r2", "nace", "sector", "activity", "product", "ateco",
                 "naics", "code"),
    "time": ("time", "year", "time_period", "period", "anno", "date"),
    "value": ("value", "count", "obs_value", "employment", "val", "amount", "valore"),
}
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}


def build_panel(
    path: Path,
    fmt: str,
    header: Sequence[str],
    get: Any,
    lines: Sequence[int] | None,
    n_rows: int,
    *,
    region: str | None,
    industry: str | None,
    time: str | None,
    value: str | None,
    flag: str | None,
    unit: str | None,
    meta: PanelMeta,
    values: Any = None,
    **parse: Any,
) -> tuple[Panel, ReadReport]:
    """Map columns to the panel, parse values and count everything in a report.

    ``get(index)`` returns a column as a list of strings; ``values(index)``, if given,
    returns already-typed float values with their null mask (Parquet).
    """
    report = ReadReport(path=str(path), format=fmt)
    report.rows_read = n_rows
    names = {}
    for role, given in (("region", region), ("industry", industry), ("value", value)):
        if given is None:
            found = guess(header, USUAL[role])
            if found is None:
                raise SourceError(
                    f"no column for the {role}: name it with {role}=...; the columns are "
                    f"{', '.join(map(repr, header))}", path=path, line=1,
                    expected=f"a column for the {role}",
                )
            given = found
        names[role] = column(path, header, given, role)
    if time is None:
        found = guess(header, USUAL["time"])
        if found is not None and found not in {header[i] for i in names.values()}:
            names["time"] = header.index(found)
    else:
        names["time"] = column(path, header, time, "time")
    for role, given in (("flag", flag), ("unit", unit)):
        if given is not None:
            names[role] = column(path, header, given, role)
    report.cells_read = n_rows

    regions = [s.strip() for s in get(names["region"])]
    inds = [s.strip() for s in get(names["industry"])]
    times = map_unique(get(names["time"]), int_string) if "time" in names else [""] * n_rows
    parsed = values(names["value"], report) if values is not None else \
        parse_values(get(names["value"]), lines, header[names["value"]], report, path=path,
                     **parse)
    vals = parsed.values if isinstance(parsed, ParsedColumn) else parsed
    cols: dict[str, Any] = {"region": regions, "industry": inds, "time": times}
    file_flags = _flag_column(get, names, header, lines, report)
    if isinstance(parsed, ParsedColumn):
        with_flags(cols, parsed, file_flags)
    elif file_flags is not None:
        cols["flag"] = file_flags
    if "unit" in names:
        cols["unit"] = [s.strip() or None for s in get(names["unit"])]

    keep = [i for i in range(n_rows) if regions[i] and inds[i]]
    if len(keep) < n_rows:
        blank = [i for i in range(n_rows) if not (regions[i] and inds[i])]
        report.count("dropped:blank-code", len(blank),
                      line=None if lines is None else lines[blank[0]],
                      column=header[names["region"] if not regions[blank[0]] else names["industry"]])
    arrays = {k: pa.array([v[i] for i in keep] if len(keep) < n_rows else v, pa.string())
              if not isinstance(v, pa.Array) else
              (v.take(pa.array(keep, pa.int64())) if len(keep) < n_rows else v)
              for k, v in cols.items()}
    arrays["value"] = vals.take(pa.array(keep, pa.int64())) if len(keep) < n_rows else vals
    panel = Panel(pa.table(arrays), meta)
    report.rows_kept = panel.n_rows
    return panel, report


def _flag_column(get: Any, names: dict[str, int], header: Sequence[str],
                 lines: Sequence[int] | None, report: ReadReport) -> list[str | None] | None:
    """The file's own flag column (if named), each distinct flag counted in ``report``."""
    if "flag" not in names:
        return None
    flags = [s.strip() for s in get(names["flag"])]
    for f in sorted(set(flags) - {""}):
        idx = [i for i, x in enumerate(flags) if x == f]
        report.count(f"flag:{f}", len(idx), line=None if lines is None else lines[idx[0]],
                     column=header[names["flag"]], raw=f)
    return [f or None for f in flags]


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
        path, "csv", rows.header, rows.col, rows.lines, len(rows),
        region=region, industry=industry, time=time, value=value, flag=flag, unit=unit,
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
        table = pq.read_table(path)
    except FileNotFoundError:
        raise SourceError("file not found", path=path) from None
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"not a readable Parquet file: {exc}", path=path) from None
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
                raise SourceError(f"a {col.type} column cannot hold codes or values",
                                  path=path, column=header[i],
                                  expected="text or numbers") from None
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
        path, "parquet", header, get, list(range(1, n + 1)), n,
        region=region, industry=industry, time=time, value=value, flag=flag, unit=unit,
        meta=meta, values=values,
    )
    report.notes.append("line numbers are row numbers (1 = first data row)")
    return panel, report


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

    def get(i: int) -> list[str]:
        return [r[i] for r in rows]

    panel, report = build_panel(
        path, "excel", header, get, lines, len(rows),
        region=region, industry=industry, time=time, value=value, flag=flag, unit=unit,
        meta=_meta(region_classification, industry_classification, measure, attribution),
        decimal=decimal, nonnegative=nonnegative,
    )
    report.notes.append("line numbers are spreadsheet row numbers")
    return panel, report
