"""Shared helpers of the tabular readers (generic CSV/Excel/Parquet, ABS, BEA, trade, Istat).

- :func:`decode` reads a file's text: UTF-8 (with or without BOM) first, else the encoding
  charset-normalizer detects (Istat and Excel exports are often Latin-1 or cp1252).
- :func:`sniff_delimiter` picks ``,``, ``;``, tab or ``|`` from the first lines.
- :func:`read_csv_rows` parses every cell as a string (codes keep their leading zeros) and
  remembers each record's line number; a ragged row raises a :class:`SourceError` there.
- :func:`column` finds a named column or raises naming the columns that exist and the
  closest match; :func:`guess` finds one of several usual names.
- :func:`parse_values` reads a column of strings with the one value parser
  (:mod:`innesto.sources.values`), counting every blank/NA (``missing``), unparseable
  (``corrupt``), flagged and, where impossible, negative cell.
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from innesto.errors import SourceError
from innesto.i18n import msg, nmsg
from innesto.sources import limits
from innesto.sources.report import ReadReport
from innesto.sources.values import (
    TABULAR,
    ParsedColumn,
    ValueSyntax,
    Where,
    check_decimal,
    parse_column,
)

DELIMITERS = (",", ";", "\t", "|")
FAST_PATH_CHARS = 1_000_000  # larger UTF-8 files try Arrow's parser first
WESTERN = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman", "utf_16")


@dataclass
class Rows:
    """The parsed cells of a delimited text file, column by column, with line numbers."""

    header: list[str]
    columns: list[list[str]]
    lines: list[int]
    encoding: str
    delimiter: str
    header_line: int = 1

    @classmethod
    def from_rows(cls, header: list[str], rows: list[list[str]], lines: list[int],
                  encoding: str, delimiter: str, header_line: int = 1) -> Rows:
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in header]
        return cls(header, columns, lines, encoding, delimiter, header_line)

    def col(self, index: int) -> list[str]:
        return self.columns[index]

    @property
    def rows(self) -> list[list[str]]:
        """Row-major cells (built on demand)."""
        return [list(r) for r in zip(*self.columns, strict=True)]

    def __len__(self) -> int:
        return len(self.lines)


def reject_unknown(path: Path, fmt: str, unknown: dict[str, Any]) -> None:
    """Raise a :class:`SourceError` naming options a reader does not take."""
    if unknown:
        raise SourceError(
            msg("the %(format)s reader takes no option %(options)s", format=fmt,
                options=", ".join(map(repr, sorted(unknown)))),
            path=path,
        )


def as_bool(value: bool | str, name: str, path: Path) -> bool:
    """An option that may come from the command line as text (``-O nonnegative=true``)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on"):
        return True
    if text in ("0", "false", "no", "n", "off", ""):
        return False
    raise SourceError(msg("option %(name)s=%(value)s is not true or false", name=name,
                      value=repr(value)), path=path)


def as_int(value: int | str | None, name: str, path: Path) -> int | None:
    if value is None or isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise SourceError(msg("option %(name)s=%(value)s is not a whole number", name=name,
                          value=repr(value)), path=path) from None


def as_list(value: Sequence[str] | str | None) -> list[str] | None:
    """``"12,34"`` or ``["12", "34"]`` -> ``["12", "34"]``."""
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def as_mapping(value: Any, name: str, path: Path) -> dict[str, str]:
    """``{"DATA_TYPE": "EMP"}`` or the text ``"DATA_TYPE=EMP,SEX=T"`` (``:`` also works)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    out = {}
    for pair in str(value).split(","):
        key, sep, val = pair.replace(":", "=", 1).partition("=")
        if not sep or not key.strip():
            raise SourceError(msg("option %(name)s=%(value)s: expected DIM=VALUE[,DIM=VALUE]",
                              name=name, value=repr(value)),
                              path=path)
        out[key.strip()] = val.strip()
    return out


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped if gzip, within :mod:`innesto.sources.limits`."""
    return limits.read_bytes(path)


def decode(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding used (explicit, UTF-8, or detected)."""
    raw = read_bytes(path)
    text16 = limits.utf16(raw, path)
    if text16 is not None and encoding is None:
        return text16, "utf-16"
    if b"\x00" in raw[:65536] and encoding is None:
        raise SourceError(msg("binary content where text was expected (NUL byte)"), path=path,
                          expected=msg("a delimited text file"))
    if encoding is not None:
        try:
            return raw.decode(encoding).lstrip("\ufeff"), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise SourceError(msg("cannot decode as %(encoding)s: %(reason)s",
                                  encoding=encoding, reason=exc), path=path) from None
    try:
        return raw.decode("utf-8").lstrip("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Statistics offices in Europe and the Americas write Western encodings; left free,
    # charset-normalizer may pick e.g. cp1258 for a short Italian file and garble "Forlì".
    best = from_bytes(raw[:1_000_000], cp_isolation=list(WESTERN)).best()
    if best is None:
        best = from_bytes(raw[:1_000_000]).best()
    enc = best.encoding if best is not None else "cp1252"
    try:
        return raw.decode(enc).lstrip("\ufeff"), enc
    except (UnicodeDecodeError, LookupError):
        return raw.decode("latin-1"), "latin-1"


_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``str.splitlines`` one at a time (a large file's lines are never all
    in memory at once).

    >>> list(iter_lines("a\\r\\nb\\x0bc\\n")) == "a\\r\\nb\\x0bc\\n".splitlines()
    True
    """
    start = 0
    for m in _LINE_BREAK.finditer(text):
        yield text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield text[start:]


def text_lines(text: str, chunk: int = 1 << 16) -> Iterator[str]:
    """The lines ``io.StringIO(text, newline="")`` gives (ends kept, for :mod:`csv`), read
    through one chunk of about ``chunk`` characters at a time: a StringIO of the whole text
    would copy it at four bytes a character.

    >>> list(text_lines("a\\r\\nb\\rc\\nd", chunk=2))
    ['a\\r\\n', 'b\\r', 'c\\n', 'd']
    """
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start + chunk)
        end = n if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of fields."""
    lines = [ln for ln in itertools.islice(iter_lines(text), 30) if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        first = counts[0]
        if first < 2:
            continue
        consistent = sum(1 for c in counts if c == first)
        score = (consistent, first)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv_rows(
    path: Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    skip: int = 0,
    decoded: tuple[str, str] | None = None,
) -> Rows:
    """Parse a delimited text file into string cells (header on line ``skip + 1``).

    ``decoded`` is the file's text and encoding when the caller has already read them
    with :func:`decode` (a reader that looks at the text first does not read it twice).

    Blank lines are skipped; a record with a different number of fields than the header
    raises a :class:`SourceError` naming its line. The data rows and cells are counted
    against the budgets of :mod:`innesto.sources.limits` (``INNESTO_MAX_ROWS``,
    ``INNESTO_MAX_CELLS``) as they are parsed: a file over budget is refused at the first
    row past it, before the rest is parsed.
    """
    text, enc = decoded if decoded is not None else decode(path, encoding)
    if skip:
        text = "\n".join(text.splitlines()[skip:])
    delim = delimiter or sniff_delimiter(text)
    if enc == "utf-8" and len(text) > FAST_PATH_CHARS and _within_budget(text, delim):
        fast = _arrow_rows(text, delim, skip)
        if fast is not None:
            return fast
    collect = _Collector(path, delim, skip)
    reader = csv.reader(text_lines(text), delimiter=delim)
    try:
        for rec in reader:
            collect.add(rec, reader.line_num + skip)
    except csv.Error as exc:
        raise SourceError(msg("malformed CSV: %(reason)s", reason=exc), path=path,
                          line=reader.line_num + skip) from None
    return collect.rows(enc)


class _Collector:
    """The records of :func:`read_csv_rows` as they come: the header, then the data rows
    (blank ones skipped, ragged ones refused), each counted against the budget."""

    def __init__(self, path: Path, delim: str, skip: int) -> None:
        self.path, self.delim, self.skip = path, delim, skip
        self.header: list[str] | None = None
        self.header_line = 1
        self.data: list[list[str]] = []
        self.lines: list[int] = []
        self.budget = limits.Budget(path)

    def add(self, rec: list[str], line: int) -> None:
        if not any(rec):
            return
        if self.header is None:
            self._set_header(rec, line)
            return
        width = len(self.header)
        if len(rec) != width:
            if not "".join(rec).strip():
                return
            # tolerate a trailing empty field (``a,b,c,``) written by some exporters
            if len(rec) == width + 1 and not rec[-1].strip():
                rec = rec[:-1]
            else:
                raise SourceError(msg("%(n)s fields where the header has %(width)s",
                                      n=len(rec), width=width),
                                  path=self.path, line=line,
                                  expected=msg("%(width)s fields separated by %(delimiter)s",
                                               width=width, delimiter=repr(self.delim)))
        self.budget.row(width, line=line)
        self.data.append(rec)
        self.lines.append(line)

    def _set_header(self, rec: list[str], line: int) -> None:
        header = [h.strip() for h in rec]
        if len(set(header)) != len(header):
            dup = sorted({h for h in header if header.count(h) > 1})
            raise SourceError(nmsg("duplicate column name %(names)s",
                                   "duplicate column names %(names)s", len(dup),
                                   names=", ".join(map(repr, dup))),
                              path=self.path, line=line, expected=msg("unique names"))
        self.header, self.header_line = header, line

    def rows(self, enc: str) -> Rows:
        header, data = self.header, self.data
        if header is None:
            raise SourceError(msg("the file is empty"), path=self.path,
                              expected=msg("a header line"))
        if header and header[-1] == "" and all(not r[-1].strip() for r in data):
            header = header[:-1]
            data = [r[:-1] for r in data]
        return Rows.from_rows(header, data, self.lines, enc, self.delim, self.header_line)


def _within_budget(text: str, delim: str) -> bool:
    """Whether the file's lines (an upper bound of its records) fit the row and cell
    budgets; if not, the exact parser reads it and refuses it at the first row over."""
    lim = limits.current()
    records = text.count("\n") + 1
    end = text.find("\n")
    width = text.count(delim, 0, len(text) if end < 0 else end) + 1
    return records <= lim.rows and records * width <= lim.cells


def _arrow_rows(text: str, delim: str, skip: int) -> Rows | None:
    """Fast path for large, clean UTF-8 files: Arrow's CSV parser, every column as text.

    It only succeeds on files whose records are one line each with no blank lines, so that
    line numbers are exact (header on the first line, record ``i`` on line ``i + 2``);
    anything else returns ``None`` and the exact Python parser takes over (and names the
    line of any problem).
    """
    import pyarrow.csv as pacsv

    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        header = [h.strip() for h in next(csv.reader([first], delimiter=delim))]
    except (csv.Error, StopIteration):
        return None
    if not header or len(set(header)) != len(header) or "" in header:
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_rows:
        empty = pc.equal(table.column(names[0]), "")
        for n in names[1:]:
            empty = pc.and_(empty, pc.equal(table.column(n), ""))
        if pc.any(empty).as_py():
            return None  # a blank line: the exact parser skips it and keeps line numbers
    columns = [table.column(n).to_pylist() for n in names]
    lines = list(range(skip + 2, skip + 2 + table.num_rows))
    return Rows(header, columns, lines, "utf-8", delim, skip + 1)


def _key(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", name.strip().lower())


def guess(header: Sequence[str], candidates: Iterable[str]) -> str | None:
    """The first header name matching one of ``candidates`` (case, spaces, ``_.-`` ignored)."""
    keys = {_key(h): h for h in header}
    for c in candidates:
        if _key(c) in keys:
            return keys[_key(c)]
    return None


def column(path: Path | str, header: Sequence[str], name: str, role: str,
           line: int | None = 1) -> int:
    """The index of column ``name``; raises naming the existing columns and the closest one."""
    if name in header:
        return list(header).index(name)
    folded = guess(header, [name])
    if folded is not None:
        return list(header).index(folded)
    close = difflib.get_close_matches(name, list(header), n=1, cutoff=0.5)
    columns = ", ".join(map(repr, header))
    text = msg("no column '%(name)s' for the %(role)s; did you mean '%(close)s'? The columns "
               "are %(columns)s", name=name, role=role, close=close[0], columns=columns) \
        if close else msg("no column '%(name)s' for the %(role)s; the columns are "
                          "%(columns)s", name=name, role=role, columns=columns)
    raise SourceError(text, path=path, line=line, column=name,
                      expected=msg("a column naming the %(role)s", role=role))


def parse_values(
    raw: Sequence[str],
    lines: Sequence[int] | None,
    column_name: str,
    report: ReadReport,
    *,
    decimal: str | None = "auto",
    nonnegative: bool = False,
    path: str | Path | None = None,
    syntax: ValueSyntax = TABULAR,
) -> ParsedColumn:
    """Parse a column of strings with the one value parser and count it in ``report``.

    Every blank, NA, corrupt and (if ``nonnegative``) negative cell becomes null and is
    counted; flagged values (``12 p``) keep their value and their flag; ``decimal="auto"``
    lets the column decide its decimal mark (see :mod:`innesto.sources.values`).

    Examples
    --------
    >>> r = ReadReport(path="x.csv", format="csv")
    >>> parse_values(["1", " 2.5", "", "12:00 AM", "-3"], [2, 3, 4, 5, 6], "v", r,
    ...              nonnegative=True).values.to_pylist()
    [1.0, 2.5, None, None, None]
    >>> r.counts
    {'corrupt': 1, 'missing': 1, 'negative': 1}
    >>> parse_values(["1.234,5"], None, "v", r, decimal=",").values.to_pylist()
    [1234.5]
    """
    check_decimal(decimal, path or report.path)
    syn = syntax.with_decimal(decimal)
    if nonnegative:
        syn = replace(syn, nonnegative=True)
    parsed = parse_column(raw, syn, where=Where(path or report.path, column_name, lines))
    parsed.record(report, raw, lines, column_name)
    return parsed


def with_flags(table: dict[str, Any], parsed: ParsedColumn,
               others: Sequence[str | None] | None = None) -> dict[str, Any]:
    """Add a ``flag`` column to ``table`` (column name -> Arrow array or list) when the
    parsed values carry flags or ``others`` (a flag column of the file) has any; the
    letters of both are joined."""
    mine = parsed.flags.to_pylist()
    if others is not None:
        mine = ["".join(dict.fromkeys((a or "") + (b or ""))) or None
                for a, b in zip(mine, others, strict=True)]
    if any(mine):
        table["flag"] = pa.array(mine, pa.string())
    return table


def map_unique(values: Sequence[str], func: Any) -> list[str]:
    """``[func(v) for v in values]``, calling ``func`` once per distinct value."""
    cache: dict[str, str] = {}
    out = []
    for v in values:
        r = cache.get(v)
        if r is None:
            r = cache[v] = func(v)
        out.append(r)
    return out


def int_string(s: str) -> str:
    """``"2021.0"`` -> ``"2021"`` (years and codes written as floats by R or pandas)."""
    t = s.strip()
    if t.endswith(".0") and t[:-2].lstrip("-").isdigit():
        return t[:-2]
    return t
