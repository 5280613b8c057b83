"""The relational stage, written once as Ibis expressions (DuckDB or Spark run them).

Reading, cleaning, joins with classifications and aggregation to regions, industries and
levels; and microdata (one row per unit: firm, establishment, patent, job posting) to a
panel with weights. Every step returns an Ibis table with the panel's columns ``region``,
``industry``, ``time`` (strings) and ``value`` (float64, may be null), after
:func:`clean` also the cell's ``flag`` (string, null when none); :func:`collect`
turns one into a :class:`~innesto.panel.Panel` and a
:class:`~innesto.sources.report.ReadReport`-style count of what cleaning set aside.

Examples
--------
>>> import pandas as pd
>>> from innesto.engines.base import connect
>>> eng = connect()
>>> raw = eng.table(pd.DataFrame({"geo": ["ITC11", "ITC11", "ITC12"], "nace": ["C10", "C11", "C10"],
...                               "year": ["2017.0", "2017", "2017"], "n": ["12", "x", ""]}))
>>> t, counts = clean(raw, region="geo", industry="nace", time="year", value="n")
>>> counts
{'rows': 3, 'missing': 1, 'corrupt': 1, 'no_key': 0}
>>> panel = collect(aggregate(to_level(t, "industry", 2)))
>>> panel.to_pandas().sort_values("region").values.tolist()
[['ITC11', 'C1', '2017', nan, nan], ['ITC12', 'C1', '2017', nan, nan]]
>>> eng.close()
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from innesto.engines import keys
from innesto.errors import EngineError
from innesto.i18n import msg
from innesto.panel import Panel, PanelMeta
from innesto.sources.values import TABULAR, ValueSyntax

KEYS = ("region", "industry", "time")


def _column(t: ir.Table, name: str) -> ir.Column:
    if name not in t.columns:
        raise EngineError(
            msg("column %(name)s not found; the columns are %(items)s", name=repr(name),
            items=', '.join(map(repr, t.columns))))
    return t[name]


def _key(col: ir.Column, *, period: bool = False) -> ir.StringValue:
    """A key as text: strings trimmed, numbers as digits (``2017.0`` becomes ``2017``);
    the rule of :mod:`innesto.engines.keys`.

    A period that arrives as the text ``"2017.0"`` (a year that went through a float in a
    CSV file) becomes ``"2017"`` too; other string codes are only trimmed.
    """
    dt = col.type()
    if dt.is_string():
        s = col.strip()
        return _drop_zero_fraction(s, keys.PERIOD_WHOLE) if period else s
    if dt.is_floating():
        return _drop_zero_fraction(col.cast("string"), keys.FLOAT_WHOLE)
    return col.cast("string")


def _drop_zero_fraction(s: ir.StringValue, whole: str) -> ir.StringValue:
    """``2017.0`` -> ``2017`` where ``s`` matches ``whole``; no back-reference in the
    replacement, which DuckDB writes ``\\1`` and Spark ``$1``."""
    return ibis.ifelse(s.re_search(whole), s.re_replace(keys.ZERO_FRACTION, ""), s)


def clean(t: ir.Table, *, region: str, industry: str, time: str | None,
          value: str, decimal: str = "auto", flag: str | None = None,
          source: str | Path | None = None, syntax: ValueSyntax = TABULAR
          ) -> tuple[ir.Table, dict[str, int]]:
    """Rename to the panel's columns, keys as text, value as float64; count what is set aside.

    A text value is read by the one value parser (:mod:`innesto.sources.values`, here as
    engine expressions): ``123 p`` keeps 123 and counts ``flag:p``; a blank or NA token
    (``n/a``, ``:``) stays a null (``missing``), ``: c`` is ``confidential``, anything else
    null and ``corrupt``. ``decimal="auto"`` lets the column choose its decimal mark and
    refuses a column that cannot decide (:class:`~innesto.errors.SourceError`). A numeric
    value column is taken as it is, with the letters of its ``flag`` column (a panel's)
    counted. ``syntax`` is the format's (``source``'s, see
    :func:`innesto.sources.registry.value_syntax`); ``source`` also locates a refusal. Rows without a region or industry are left out (``no_key``). The counts are
    computed by the engine in one pass (two when the decimal mark is detected).
    """
    from innesto.engines.values import parse

    keys = {
        "region": _key(_column(t, region)),
        "industry": _key(_column(t, industry)),
        "time": _key(_column(t, time), period=True) if time is not None else ibis.literal(""),
    }
    parsed = parse(t, _column(t, value), decimal=decimal, source=source, column=value,
                   syntax=syntax,
                   flag=_column(t, flag) if flag is not None and flag in t.columns else None)
    out = t.select(**keys, value=parsed.value, flag=parsed.flag, **parsed.parts)
    no_key = out.region.isnull() | (out.region == "") | out.industry.isnull() \
        | (out.industry == "")
    stats = out.aggregate(rows=out.count(), no_key=no_key.cast("int64").sum(),
                          **parsed.counters(out, ~no_key)).to_pyarrow().to_pylist()[0]
    rows, dropped = stats.pop("rows"), stats.pop("no_key")
    counts = {"rows": int(rows or 0), **parsed.counts(stats), "no_key": int(dropped or 0)}
    kept = out.filter(~no_key).select(*KEYS, "value", "flag")
    return kept, counts


def aggregate(t: ir.Table, by: tuple[str, ...] = KEYS) -> ir.Table:
    """Sum ``value`` over duplicate keys (industry codes cut to a level, duplicate rows).

    The rule of the library's sector sums (:mod:`innesto.classifications.sums`): a group
    with a null component is null (never a partial sum, never 0).
    A ``flag`` column keeps the largest of the group's flags (by text; null when none),
    as the matrix stage does for duplicate cells.
    """
    complete = t.value.count() == t.count()
    flag = {"flag": t.flag.max()} if "flag" in t.columns else {}
    return t.group_by(list(by)).aggregate(
        value=ibis.ifelse(complete, t.value.sum(), ibis.null("float64")), **flag)


def to_level(t: ir.Table, column: str, length: int) -> ir.Table:
    """Truncate a hierarchical code (NACE/ATECO/NAICS/HS/ANZSIC) to its first ``length`` characters.

    Aggregate afterwards with :func:`aggregate`.
    """
    if length < 1:
        raise EngineError(msg("level length must be >= 1, not %(length)s", length=length))
    return t.mutate(**{column: _column(t, column).substr(0, length)})


def join_classification(t: ir.Table, mapping: ir.Table, *, column: str = "industry",
                        source: str = "from", target: str = "to",
                        weight: str | None = None) -> tuple[ir.Table, int]:
    """Recode ``column`` through a correspondence table (``source`` -> ``target``).

    With ``weight``, a code split across several targets contributes ``value * weight`` to
    each. Returns the recoded table (aggregate it afterwards) and how many input rows had no
    correspondence (they are left out, and the caller must report them).
    """
    m = mapping.select(
        _src=_key(_column(mapping, source)),
        _dst=_key(_column(mapping, target)),
        _w=_column(mapping, weight).cast("float64") if weight else ibis.literal(1.0),
    )
    joined = t.inner_join(m, t[column] == m._src)
    recoded = joined.mutate(**{column: joined._dst, "value": joined.value * joined._w})
    recoded = recoded.select(*t.columns)
    codes = m.select(_src=m._src).distinct()
    missing = t.anti_join(codes, t[column] == codes._src).count().to_pyarrow().as_py()
    return recoded, int(missing)


def microdata(t: ir.Table, *, unit: str, region: str, industry: str, time: str | None = None,
              weight: str | None = None, count: str = "weight") -> ir.Table:
    """Microdata (one row per unit and code) to a panel.

    ``count="weight"`` sums ``weight`` (e.g. employees; 1 per row without ``weight``),
    ``count="units"`` counts distinct units (firms, patents) per region, industry and time.
    Rows without a unit, region or industry are left out.
    """
    cols: dict[str, Any] = {
        "unit": _column(t, unit),  # only compared and counted: no conversion needed
        "region": _key(_column(t, region)),
        "industry": _key(_column(t, industry)),
        "time": _key(_column(t, time), period=True) if time is not None else ibis.literal(""),
        "w": _column(t, weight).cast("float64") if weight else ibis.literal(1.0),
    }
    u = t.select(**cols)
    u = u.filter(u.unit.notnull() & u.region.notnull() & u.industry.notnull())
    if count == "weight":
        return u.group_by(list(KEYS)).aggregate(value=u.w.sum())
    if count == "units":
        return u.group_by(list(KEYS)).aggregate(value=u.unit.nunique().cast("float64"))
    raise EngineError(msg("count must be 'weight' or 'units', not %(count)s", count=repr(count)))


def collect(t: ir.Table, meta: PanelMeta | None = None) -> Panel:
    """Run the expression and return the rows as a :class:`Panel` (keys sorted; with the
    ``flag`` column when the expression has one)."""
    cols = [*KEYS, "value", *(["flag"] if "flag" in t.columns else [])]
    try:
        arrow = t.select(*cols).order_by(list(KEYS)).to_pyarrow()
    except Exception as exc:  # engine errors come in backend-specific types
        raise EngineError(msg("the relational stage failed: %(exc)s", exc=exc)) from None
    return Panel(arrow, meta or PanelMeta())
