"""The one value parser (:mod:`innesto.sources.values`) as engine expressions.

The relational stage reads a text value column on DuckDB or Spark with the same grammar,
the same regular expressions and the same decimal-mark rule as the readers, so a file gives
the same values, flags and counts through ``innesto ingest`` and ``innesto pipeline``.
The patterns use ASCII classes and numbered groups only, which RE2 (DuckDB) and Java
(Spark) read as Python does; a Hypothesis test checks that the routes agree cell by cell.

Examples
--------
>>> import pandas as pd
>>> from innesto.engines.base import connect
>>> eng = connect()
>>> t = eng.table(pd.DataFrame({"v": ["12 p", "n/a", ": c", "1.5", "x"]}))
>>> p = parse(t, t.v)
>>> out = t.select(value=p.value, **p.parts)
>>> out.value.to_pyarrow().to_pylist()
[12.0, None, None, 1.5, None]
>>> p.counts(out.aggregate(**p.counters(out, ibis.literal(True))).to_pyarrow().to_pylist()[0])
{'missing': 1, 'corrupt': 1, 'confidential': 1, 'flag:p': 1}
>>> eng.close()
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from innesto.errors import SourceError
from innesto.i18n import msg
from innesto.sources.values import (
    BLANKS_RE,
    CONFIDENTIAL,
    CORRUPT,
    EUROSTAT_FLAGS,
    MISSING,
    NUMBER_PATTERNS,
    OK,
    TABULAR,
    ValueSyntax,
    number_value,
    trim,
)

_STATUS, _FLAGS = "_status", "_flags"


@dataclass
class EngineParse:
    """A parsed value column: ``value`` (float64), helper ``parts`` to select beside it,
    and the reductions that count statuses and flags."""

    value: ir.FloatingValue
    parts: dict[str, ir.Value]
    #: the cell's flag as the readers' ``flag`` column has it (null when none): a value's
    #: letters, ``c`` for a blank the format calls confidential, a symbol's own flag
    flag: ir.StringValue = ibis.null("string")
    letters: str = EUROSTAT_FLAGS
    decimal: str = "."
    statuses: tuple[str, ...] = (MISSING, CORRUPT, CONFIDENTIAL)

    def counters(self, t: ir.Table, keep: ir.BooleanValue) -> dict[str, ir.Scalar]:
        """Reductions over ``t`` (which holds :attr:`parts`): statuses and flag letters
        of the rows where ``keep`` holds."""
        st, fl = t[_STATUS], t[_FLAGS]
        out: dict[str, ir.Scalar] = {
            f"status_{i}": ((st == s) & keep).cast("int64").sum()
            for i, s in enumerate(self.statuses)
        }
        for ch in self.letters:
            has = keep & (st != CORRUPT) & fl.contains(ch)
            if ch == "c":
                has = has & (st != CONFIDENTIAL)
            out[f"flag_{ch}"] = has.cast("int64").sum()
        return out

    def counts(self, stats: dict[str, Any]) -> dict[str, int]:
        """The engine's sums as report counts: ``missing`` and ``corrupt`` (always), any
        other status and each ``flag:x`` (when not zero)."""
        out: dict[str, int] = {}
        for k, v in stats.items():
            n = int(v or 0)
            if k.startswith("flag_"):
                if n:
                    out[f"flag:{k[5:]}"] = n
            elif k.startswith("status_"):
                name = self.statuses[int(k[7:])]
                if n or name in (MISSING, CORRUPT):
                    out[name] = n
        return out


def _trim(col: ir.StringValue) -> ir.StringValue:
    return col.re_replace(f"^{BLANKS_RE}+|{BLANKS_RE}+$", "")


def parse(t: ir.Table, col: ir.Column, *, decimal: str = "auto",
          syntax: ValueSyntax = TABULAR, flag: ir.Column | None = None,
          source: str | Path | None = None, column: str | None = None) -> EngineParse:
    """The value column ``col`` of ``t`` read with ``syntax`` (decimal mark ``decimal``).

    A numeric column is taken as it is (NaN is missing); ``flag`` (a panel's flag column)
    then gives the flags. ``source`` and ``column`` locate an undecidable decimal mark.
    """
    if col.type().is_numeric():
        return _numeric(col, flag)
    text = _trim(col.cast("string"))
    pattern = syntax.cell_pattern(named=False)
    is_na = text.isnull() | text.isin(sorted(syntax.na))
    matched = text.re_search(pattern) & ~is_na
    num = text.re_extract(pattern, 1).fill_null("")
    exp = text.re_extract(pattern, 2).fill_null("") if syntax.exponent else ibis.literal("")
    flags = text.re_extract(pattern, 3).fill_null("")
    has_num = matched & (num != "")
    chosen = _fixed(syntax, decimal, source)
    if chosen == "auto":
        chosen = _decide(t, num, has_num, syntax, source, column or col.get_name())
    plain = num.replace(",", "") if chosen == "." else num.replace(".", "").replace(",", ".")
    whole = f"^(?:{NUMBER_PATTERNS[chosen, syntax.thousands]})$"
    value = ibis.ifelse(has_num & num.re_search(whole), (plain + exp).try_cast("float64"),
                        ibis.null("float64"))
    value = ibis.ifelse(value.isinf(), ibis.null("float64"), value)  # 1e999: not finite
    bad = has_num & value.isnull()
    blank = text.isnull() | (text == "")
    symbols = [(text == sym, ibis.literal(why)) for sym, (why, _) in syntax.symbols.items()]
    status = ibis.cases(
        (blank, ibis.literal(syntax.blank)),
        *symbols,
        (is_na, ibis.literal(MISSING)),
        (~matched | bad, ibis.literal(CORRUPT)),
        (~has_num & flags.contains("c"), ibis.literal(CONFIDENTIAL)),
        (~has_num, ibis.literal(MISSING)),
        else_=ibis.literal(OK),
    )
    # the flags counted letter by letter (a symbol's or a blank's are not: as the readers)
    kept_flags = ibis.ifelse(matched & ~bad, flags, ibis.literal(""))
    cell_flag = ibis.cases(
        *([(blank, ibis.literal("c"))] if syntax.blank == CONFIDENTIAL else []),
        *[(text == sym, ibis.literal(f)) for sym, (_, f) in syntax.symbols.items()],
        (kept_flags != "", kept_flags),
        else_=ibis.null("string"),
    )
    reasons = tuple(dict.fromkeys([MISSING, CORRUPT, CONFIDENTIAL,
                                   *(why for why, _ in syntax.symbols.values())]))
    return EngineParse(value.cast("float64"), {_STATUS: status, _FLAGS: kept_flags},
                       cell_flag, syntax.flags, chosen, reasons)


def _fixed(syntax: ValueSyntax, decimal: str, source: str | Path | None) -> str:
    """The decimal mark to use: the format's own, or ``decimal`` (``"auto"`` detects)."""
    if syntax.decimal == "auto" or decimal in ("auto", syntax.decimal):
        return decimal if syntax.decimal == "auto" else syntax.decimal
    raise SourceError(msg("the file's format always writes a decimal point"), path=source,
                      expected=msg("no --decimal option (or --decimal .)"))


def _numeric(col: ir.Column, flag: ir.Column | None) -> EngineParse:
    value = col.cast("float64")
    value = ibis.ifelse(value.isnan(), ibis.null("float64"), value)
    flags = flag.cast("string").fill_null("") if flag is not None else ibis.literal("")
    status = ibis.cases(
        (value.isnull() & flags.contains("c"), ibis.literal(CONFIDENTIAL)),
        (value.isnull(), ibis.literal(MISSING)),
        else_=ibis.literal(OK),
    )
    return EngineParse(value, {_STATUS: status, _FLAGS: flags},
                       ibis.ifelse(flags == "", ibis.null("string"), flags))


def _decide(t: ir.Table, num: ir.StringValue, has_num: ir.BooleanValue, syntax: ValueSyntax,
            source: str | Path | None, column: str) -> str:
    """The decimal mark of the column, by the rule of :mod:`innesto.sources.values`."""
    point = has_num & num.re_search(f"^(?:{NUMBER_PATTERNS['.', syntax.thousands]})$")
    comma = has_num & num.re_search(f"^(?:{NUMBER_PATTERNS[',', syntax.thousands]})$")
    only_point, only_comma, both = point & ~comma, comma & ~point, point & comma
    row = t.aggregate(
        n_point=only_point.cast("int64").sum(), n_comma=only_comma.cast("int64").sum(),
        e_point=num.min(where=only_point), e_comma=num.min(where=only_comma),
        e_both=num.min(where=both & num.re_search("[.,]")),
    ).to_pyarrow().to_pylist()[0]
    n_point, n_comma = int(row["n_point"] or 0), int(row["n_comma"] or 0)
    if n_point and n_comma:
        raise _located(
            msg("numbers in two locales: %(e_point)s reads only with a decimal point, %(e_comma)s "
            "only with a decimal comma", e_point=repr(row['e_point']),
            e_comma=repr(row['e_comma'])), source, column,
            row["e_comma"], "one decimal mark per column (fix the file, or set --decimal , "
            "or --decimal .)")
    if n_point or n_comma:
        return "." if n_point else ","
    if row["e_both"] is not None:
        text = row["e_both"]
        a = number_value(text, ".", thousands=syntax.thousands)
        b = number_value(text, ",", thousands=syntax.thousands)
        raise _located(
            msg("ambiguous number %(text)s: %(a)s with a decimal point, %(b)s with a decimal "
            "comma, and no other cell of the column decides", text=repr(text), a=format(a, 'g'),
            b=format(b, 'g')), source, column, text,
            "a decimal mark set with --decimal , or --decimal .")
    return "."


def _located(message: str, source: str | Path | None, column: str, text: str,
             expected: str) -> SourceError:
    """A :class:`SourceError` naming the file, and the line of ``text`` in ``column`` when
    the source is a local CSV file (found by reading it again, on this error path only)."""
    return SourceError(message, path=source, line=_find_line(source, column, text),
                       column=column, expected=expected)


def _find_line(source: str | Path | None, column: str, text: str) -> int | None:
    if source is None or "://" in str(source):
        return None
    path = Path(source)
    if not path.is_file() or not str(path).lower().endswith((".csv", ".txt", ".csv.gz")):
        return None
    from innesto.sources._tabular import decode, sniff_delimiter

    body, _ = decode(path)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sniff_delimiter(body))
    header = next(reader, [])
    if column not in header:
        return None
    i = header.index(column)
    cell = re.compile(TABULAR.cell_pattern())
    for row in reader:
        m = cell.match(trim(row[i])) if len(row) > i else None
        if m is not None and m.group("num") == text:
            return reader.line_num
    return None
