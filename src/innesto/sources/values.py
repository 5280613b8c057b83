"""The one reading of cell values: numbers, blanks, flags, confidential markers and locale.

Every reader (Eurostat TSV and SBS, SDMX-CSV, wide, generic CSV/Excel/Parquet, ABS, BEA,
Istat, trade) and the relational stage on DuckDB and Spark
(:func:`innesto.engines.relational.clean`) read a cell with the grammar defined here, so a
file gives the same values and the same flags by every route.

The grammar of a cell (after trimming ASCII blanks)
---------------------------------------------------
- a **not-available token** (:data:`NA_TOKENS`: blank, ``:``, ``NA``, ``n/a``, ``..``,
  ``-``, ...): no value, status ``missing`` (a blank is ``confidential`` in formats that
  say so, e.g. Eurostat SBS extracts);
- a **symbol** of the format (BEA's ``(D)``): no value, the symbol's own status and flag;
- otherwise ``[NUMBER | :] [FLAGS]``: a number, optionally followed (with or without a
  space) by Eurostat flag letters (:data:`EUROSTAT_FLAGS`: ``123.4 p``, ``0 d``), or ``:``
  followed by flags (``: c`` confidential, ``: z`` not applicable), or flags alone (SBS's
  `` d``). A value keeps its flags; a cell whose flags include ``c`` and that has no value
  is ``confidential``;
- anything else is ``corrupt`` (kept as null and counted, never guessed).

Numbers and locale
------------------
A number is ASCII digits with a decimal mark and optional thousands separators in groups of
three (``1,234.5`` or ``1.234,5``), an optional sign and, where the format allows it, an
exponent (``1.5e3``). With ``decimal="."`` or ``decimal=","`` the mark is fixed. With
``decimal="auto"`` (tabular files) the column decides: each cell is read both ways;
``1,5`` or ``1.234,5`` can only be a decimal comma, ``2.5`` or ``1,234,567`` only a decimal
point, ``1234`` is the same either way, and ``40.100`` or ``1,234`` are *ambiguous* (40.1 or
40100). The column takes the only mark its cells allow; a column whose cells contradict each
other, or whose only evidence is ambiguous, is refused with a :class:`SourceError` naming
the file, line and column and the option to set (``--decimal ,`` or ``--decimal .``). A
number is never read as another number.

Examples
--------
>>> parse_cell("123.4 p")
(123.4, 'p', 'ok')
>>> parse_cell(": c")
(None, 'c', 'confidential')
>>> parse_cell("n/a")
(None, '', 'missing')
>>> parse_cell("12:00 AM")
(None, '', 'corrupt')
>>> parse_cell("1.234,5", TABULAR.with_decimal(","))
(1234.5, '', 'ok')
>>> col = parse_column(["1.234,5", "40.100", "7"], TABULAR)
>>> col.values.to_pylist(), col.decimal
([1234.5, 40100.0, 7.0], ',')
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from innesto.errors import SourceError
from innesto.i18n import msg
from innesto.sources.report import MAX_EXAMPLES, ReadReport

OK, MISSING, CONFIDENTIAL, CORRUPT, NEGATIVE = "ok", "missing", "confidential", "corrupt", \
    "negative"
#: Eurostat's observation flags (b break, c confidential, d definition differs, e estimated,
#: f forecast, i see metadata, n not significant, p provisional, r revised, s Eurostat
#: estimate, u low reliability, z not applicable).
EUROSTAT_FLAGS = "bcdefinprsuz"
#: Cells that mean "no value", in every format and on every route.
NA_TOKENS = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "..",
                       ":", "n.a.", "#N/A", "-"})
#: The blanks trimmed from a cell (ASCII only, so Python, Arrow, DuckDB and Spark agree).
BLANKS = " \t\r\n\x0b\x0c"
BLANKS_RE = "[ \\t\\r\\n\\x0b\\x0c]"

# The parts of the grammar, as regular expressions that Python's re, RE2 (Arrow, DuckDB)
# and Java (Spark) read the same way: ASCII classes only, numbered groups only.
SIGN = "[+-]?"
EXPONENT = "[eE][+-]?[0-9]+"
#: A number with a decimal point: plain (``1234.5``, ``.5``) or grouped (``1,234.5``).
POINT_NUMBER = "[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:[.][0-9]*)?)"
#: A number with a decimal comma: plain (``1234,5``) or grouped (``1.234,5``).
COMMA_NUMBER = "[+-]?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+|[1-9][0-9]{0,2}(?:[.][0-9]{3})+(?:,[0-9]*)?)"
#: What may be a number in either locale (checked by the two patterns above).
NUMBER_TEXT = "[+-]?[0-9.,]*[0-9][0-9.,]*"


@dataclass(frozen=True)
class ValueSyntax:
    """How a format writes its values (see the module docs for the grammar).

    ``decimal`` is ``"."``, ``","`` or ``"auto"``; ``thousands`` admits separators in
    groups of three (the other mark); ``exponent`` admits ``1.5e3``; ``flags``
    are the flag letters a value may carry; ``blank`` is the status of an empty cell
    (``"missing"`` or ``"confidential"``); ``symbols`` maps whole-cell symbols to
    ``(status, flag)`` (BEA's ``(D)`` -> ``("confidential", "D")``); ``nonnegative`` reads a
    negative number as null with status ``"negative"`` (counts cannot be negative).
    """

    decimal: str = "auto"
    thousands: bool = True
    exponent: bool = True
    flags: str = EUROSTAT_FLAGS
    blank: str = MISSING
    na: frozenset[str] = NA_TOKENS
    symbols: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    nonnegative: bool = False

    def __post_init__(self) -> None:
        if self.decimal not in (".", ",", "auto"):
            raise ValueError(f"decimal must be '.', ',' or 'auto', not {self.decimal!r}")

    def __hash__(self) -> int:
        return hash((self.decimal, self.thousands, self.exponent, self.flags, self.blank, self.na,
                     tuple(sorted(self.symbols.items())), self.nonnegative))

    def with_decimal(self, decimal: str | None) -> ValueSyntax:
        """This syntax with ``decimal`` fixed (``None`` keeps it)."""
        return self if decimal is None else replace(self, decimal=decimal)

    def cell_pattern(self, named: bool = True) -> str:
        """The regex of a non-NA cell: groups ``num`` (1), ``exp`` (2) and ``flags`` (3).

        ``named=False`` leaves the groups unnamed (Java's regex, used by Spark, writes
        names another way); the groups are numbered the same.
        """
        def g(name: str, body: str) -> str:
            return f"(?P<{name}>{body})" if named else f"({body})"

        flags = f"[{self.flags}]*" if self.flags else ""
        exp = g("exp", EXPONENT) + "?" if self.exponent else g("exp", "")
        return f"^(?:{g('num', NUMBER_TEXT)}{exp}|:)?[ \\t]*{g('flags', flags)}$"


#: Tabular files (generic CSV/Excel/Parquet text, Istat, ABS, trade, the relational stage).
TABULAR = ValueSyntax()
#: Eurostat TSV cells: decimal point, no exponent (``12e`` is 12 flagged ``e``).
EUROSTAT = ValueSyntax(decimal=".", thousands=False, exponent=False)
#: Eurostat SBS extracts: as :data:`EUROSTAT`, and a blank cell is confidential.
EUROSTAT_SBS = ValueSyntax(decimal=".", thousands=False, exponent=False, blank=CONFIDENTIAL)
#: SDMX-CSV ``OBS_VALUE``: decimal point, exponents allowed, flags in their own column.
SDMX = ValueSyntax(decimal=".", thousands=False, flags="")


def trim(text: str) -> str:
    """Strip the ASCII blanks of :data:`BLANKS` (and nothing else) from both ends."""
    return text.strip(BLANKS)


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: The whole-number patterns by (decimal mark, thousands separators allowed).
NUMBER_PATTERNS = {
    (".", True): POINT_NUMBER, (",", True): COMMA_NUMBER,
    (".", False): "[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)",
    (",", False): "[+-]?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+)",
}
_WHOLE = {k: re.compile(f"^(?:{v})$") for k, v in NUMBER_PATTERNS.items()}


def number_value(text: str, decimal: str, exponent: str = "", *,
                 thousands: bool = True) -> float | None:
    """The number ``text`` (plus ``exponent``) written with ``decimal``, or ``None``.

    >>> number_value("1.234,5", ","), number_value("1,234.5", "."), number_value("1,5", ".")
    (1234.5, 1234.5, None)
    """
    if _WHOLE[decimal, thousands].match(text) is None:
        return None
    if decimal == ".":
        plain = text.replace(",", "")
    else:
        plain = text.replace(".", "").replace(",", ".")
    value = float(plain + exponent)
    return value if math.isfinite(value) else None


@functools.lru_cache(maxsize=64)
def _cell_re(syntax: ValueSyntax) -> re.Pattern[str]:
    return re.compile(syntax.cell_pattern())


def _status_without_value(flags: str) -> str:
    return CONFIDENTIAL if "c" in flags else MISSING


def parse_cell(raw: str, syntax: ValueSyntax = EUROSTAT) -> tuple[float | None, str, str]:
    """One cell as ``(value, flags, status)`` under ``syntax`` (its decimal mark fixed).

    A column with ``decimal="auto"`` needs :func:`parse_column` (one cell cannot tell
    ``40.100`` from ``40,100``): a ``ValueError`` here.
    """
    if syntax.decimal == "auto":
        raise ValueError("parse_cell needs a fixed decimal mark; use parse_column for 'auto'")
    text = trim(raw)
    if not text:
        return (None, "c", CONFIDENTIAL) if syntax.blank == CONFIDENTIAL else (None, "", MISSING)
    if text in syntax.symbols:
        status, flag = syntax.symbols[text]
        return None, flag, status
    if text in syntax.na:
        return None, "", MISSING
    m = _cell_re(syntax).match(text)
    if m is None:
        return None, "", CORRUPT
    num, exp, flags = m.group(1), m.group(2) or "", m.group(3)
    if num is None:
        return None, flags, _status_without_value(flags)
    value = number_value(num, syntax.decimal, exp, thousands=syntax.thousands)
    if value is None:
        return None, "", CORRUPT
    if syntax.nonnegative and value < 0:
        return None, flags, NEGATIVE
    return value, flags, OK


#: :func:`parse_cell` memoised: official tables repeat the same cells (``:``, ``: c``,
#: round numbers) many times, so large files parse several times faster.
parse_cell_cached = functools.lru_cache(maxsize=1 << 16)(parse_cell)


STATUSES = (OK, MISSING, CONFIDENTIAL, CORRUPT, NEGATIVE)


@dataclass
class ParsedColumn:
    """A parsed column: float64 ``values`` (null where there is none), ``flags`` (null
    where none), the ``status`` of each cell (codes into ``names``), and the ``decimal``
    mark it was read with."""

    values: pa.Array
    flags: pa.Array
    codes: np.ndarray
    names: tuple[str, ...]
    decimal: str
    note: str | None = None
    symbolic: np.ndarray | None = None  # cells whose flag is a symbol's or a blank's

    @property
    def status(self) -> list[str]:
        """The status of each cell (``"ok"``, ``"missing"``, ...)."""
        return [self.names[c] for c in self.codes]

    def record(self, report: ReadReport, raw: Sequence[str], lines: Sequence[int] | None,
               column: str | Sequence[str]) -> None:
        """Count every status but ``ok`` and every flag letter in ``report``.

        ``column`` names the column, or each cell's column (a wide table). A ``c`` flag on
        a confidential cell is counted once, as ``confidential``.
        """
        counts = np.bincount(self.codes, minlength=len(self.names))
        for code, name in enumerate(self.names):
            if name != OK and counts[code]:
                _count(report, name, np.flatnonzero(self.codes == code), raw, lines, column)
        distinct = [f for f in pc.unique(self.flags).to_pylist() if f]
        confidential = self.codes == self.names.index(CONFIDENTIAL)
        for ch in sorted({ch for f in distinct for ch in f}):
            has = _mask(pc.match_substring(self.flags, ch))
            if ch == "c":
                has &= ~confidential
            if self.symbolic is not None:
                has &= ~self.symbolic
            _count(report, f"flag:{ch}", np.flatnonzero(has), raw, lines, column)
        if self.note:
            report.notes.append(self.note)


def _count(report: ReadReport, reason: str, idx: np.ndarray, raw: Sequence[str],
           lines: Sequence[int] | None, column: str | Sequence[str]) -> None:
    if len(idx) == 0:
        return
    report.count(reason, len(idx))
    ex = report.examples.setdefault(reason, [])
    for i in idx[: max(0, MAX_EXAMPLES - len(ex))]:
        ex.append({"line": None if lines is None else int(lines[i]),
                   "column": column if isinstance(column, str) else column[i],
                   "raw": raw[i]})


def _mask(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow array as a NumPy mask (null is False)."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    return _mask(pc.match_substring_regex(arr, pattern))


def _to_float(num: pa.Array, exp: pa.Array, decimal: str, valid: np.ndarray) -> pa.Array:
    text = pc.replace_substring(num, ",", "") if decimal == "." else \
        pc.replace_substring(pc.replace_substring(num, ".", ""), ",", ".")
    text = pc.binary_join_element_wise(text, exp, "")
    text = pc.if_else(pa.array(valid), text, pa.scalar(None, pa.string()))
    values = pc.cast(text, pa.float64())
    finite = pc.fill_null(pc.is_finite(values), False)
    return pc.if_else(finite, values, pa.scalar(None, pa.float64()))


@dataclass
class Where:
    """Where a column comes from, for errors: file, column name and the line of each cell."""

    path: str | Path | None = None
    column: str | Sequence[str] = "value"
    lines: Sequence[int] | None = None

    def line(self, i: int) -> int | None:
        return None if self.lines is None else int(self.lines[i])

    def col(self, i: int) -> str:
        """The column of cell ``i`` (one name, or one per cell in a wide table)."""
        return self.column if isinstance(self.column, str) else self.column[i]


def parse_column(raw: Sequence[str] | pa.Array, syntax: ValueSyntax = TABULAR, *,
                 where: Where | None = None) -> ParsedColumn:
    """Parse a column of cells (vectorised with Arrow) under ``syntax``.

    With ``syntax.decimal == "auto"`` the column's cells choose the decimal mark (see the
    module docs); a column that cannot decide raises a :class:`SourceError` located by
    ``where``.
    """
    where = where or Where()
    arr = raw.cast(pa.string()) if isinstance(raw, pa.Array) else pa.array(raw, pa.string())
    text = pc.utf8_trim(pc.fill_null(arr, ""), characters=BLANKS)
    names = STATUSES + tuple(dict.fromkeys(
        st for st, _ in syntax.symbols.values() if st not in STATUSES))
    code = {name: i for i, name in enumerate(names)}
    codes = np.zeros(len(text), dtype=np.int8)
    override: dict[int, str] = {}  # flags of blanks and symbols, by row

    blank = _mask(pc.equal(text, ""))
    decided = _mask(pc.is_in(text, value_set=pa.array(sorted(syntax.na), pa.string())))
    codes[decided] = code[MISSING]
    if syntax.blank == CONFIDENTIAL and blank.any():
        codes[blank] = code[CONFIDENTIAL]
        override.update(dict.fromkeys(np.flatnonzero(blank).tolist(), "c"))
    decided |= blank
    for sym, (sym_status, sym_flag) in syntax.symbols.items():
        hit = _mask(pc.equal(text, sym))
        codes[hit] = code[sym_status]
        override.update(dict.fromkeys(np.flatnonzero(hit).tolist(), sym_flag))
        decided |= hit

    parts = pc.extract_regex(text, syntax.cell_pattern())
    live = ~decided & _mask(pc.is_valid(parts))
    codes[~decided & ~live] = code[CORRUPT]
    num = pc.fill_null(pc.struct_field(parts, [0]), "")
    exp = pc.fill_null(pc.struct_field(parts, [1]), "")
    flg = pc.fill_null(pc.struct_field(parts, [2]), "")
    has_num = live & _mask(pc.not_equal(num, ""))
    decimal, note = _decide_decimal(num, has_num, syntax, where)
    pattern = NUMBER_PATTERNS[decimal, syntax.thousands]
    values = _to_float(num, exp, decimal, has_num & _matches(num, f"^(?:{pattern})$"))
    bad = has_num & ~_mask(pc.is_valid(values))
    codes[bad] = code[CORRUPT]
    no_value = live & ~has_num
    codes[no_value] = code[MISSING]
    codes[no_value & _mask(pc.match_substring(flg, "c"))] = code[CONFIDENTIAL]
    if syntax.nonnegative:
        neg = _mask(pc.less(values, 0.0))
        codes[neg] = code[NEGATIVE]
        values = pc.if_else(pa.array(neg), pa.scalar(None, pa.float64()), values)
    keep = live & ~bad & _mask(pc.not_equal(flg, ""))
    flags = pc.if_else(pa.array(keep), flg, pa.scalar(None, pa.string()))
    symbolic = None
    if override:
        listed = flags.to_pylist()
        for i, f in override.items():
            listed[i] = f
        flags = pa.array(listed, pa.string())
        symbolic = np.zeros(len(codes), dtype=bool)
        symbolic[list(override)] = True
    return ParsedColumn(values, flags, codes, names, decimal, note, symbolic)


def _decide_decimal(num: pa.Array, candidate: np.ndarray, syntax: ValueSyntax,
                    where: Where) -> tuple[str, str | None]:
    """The decimal mark of a column (see the module docs); raises when it cannot decide."""
    if syntax.decimal != "auto":
        return syntax.decimal, None
    point = _matches(num, f"^(?:{NUMBER_PATTERNS['.', syntax.thousands]})$") & candidate
    comma = _matches(num, f"^(?:{NUMBER_PATTERNS[',', syntax.thousands]})$") & candidate
    only_point = np.flatnonzero(point & ~comma)
    only_comma = np.flatnonzero(comma & ~point)
    texts = num.to_numpy(zero_copy_only=False)
    if len(only_point) and len(only_comma):
        i, j = sorted((int(only_point[0]), int(only_comma[0])))
        first = "a decimal point" if i in only_point else "a decimal comma"
        second = "a decimal comma" if first == "a decimal point" else "a decimal point"
        raise SourceError(
            msg("numbers in two locales: %(what)s (line %(what2)s) reads only with %(first)s, "
            "%(what3)s only with %(second)s", what=repr(texts[i]), what2=where.line(i),
            first=first, what3=repr(texts[j]), second=second),
            path=where.path, line=where.line(j), column=where.col(j),
            expected=msg("one decimal mark per column (fix the file, or set --decimal , or "
                     "--decimal . ; reader option decimal=)"),
        )
    if len(only_point) or len(only_comma):
        decimal = "." if len(only_point) else ","
        note = None
        if decimal == ",":
            k = int(only_comma[0])
            at = f"line {where.line(k)}: " if where.lines is not None else ""
            note = f"column {where.col(k)}: decimal comma detected (e.g. {at}{texts[k]!r})"
        return decimal, note
    both = np.flatnonzero(point & comma)
    for i in both.tolist():
        a = number_value(texts[i], ".", thousands=syntax.thousands)
        b = number_value(texts[i], ",", thousands=syntax.thousands)
        if a != b:
            raise SourceError(
                msg("ambiguous number %(what)s: %(a)s with a decimal point, %(b)s with a decimal "
                "comma, and no other cell of the column decides", what=repr(texts[i]),
                a=format(a, 'g'), b=format(b, 'g')),
                path=where.path, line=where.line(i), column=where.col(i),
                expected=msg("a decimal mark set with --decimal , or --decimal . (reader option "
                         "decimal=)"),
            )
    return ".", None


def check_decimal(decimal: str | None, path: str | Path) -> str | None:
    """Validate a ``decimal`` option (``None``, ``"."``, ``","`` or ``"auto"``)."""
    if decimal is None:
        return None
    if decimal not in (".", ",", "auto"):
        raise SourceError(msg("decimal must be '.', ',' or 'auto', not %(decimal)s",
                          decimal=repr(decimal)), path=path)
    return decimal
