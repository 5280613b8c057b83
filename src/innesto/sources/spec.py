"""Readers described as data: one :class:`Spec` per source format.

A statistics office's format is a few facts: which columns hold the region, the industry,
the period and the value (their usual names, or a header pattern), how a cell becomes a
code, how values are written (:class:`~innesto.sources.values.ValueSyntax`, the one value
parser), which rows are totals or aggregates to leave out, which other dimensions must be
pinned to one value, and the panel's classifications and provenance. A :class:`Spec` holds
those facts; :mod:`innesto.sources.engine` reads any file with them, counting every
dropped, flagged, missing, confidential or corrupt cell in the report and naming file,
line and column in every error.

Adding an office's format is therefore a spec and a fixture (see ``docs/readers.md``):

>>> from innesto.sources.values import ValueSyntax
>>> SPEC = Spec(
...     format="demo-office",
...     region=Column(("territory", "area")),
...     industry=Column(("activity",)),
...     time=Column(("year",), clean=year),
...     value=Column(("employees",)),
...     values=ValueSyntax(decimal=","),
...     drops=(Drop("industry", codes=frozenset({"TOT"})),),
...     region_classification="NUTS2021",
...     attribution="Source: Demo office",
... )
>>> SPEC.roles()
('region', 'industry', 'time', 'value')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from innesto.i18n import N_
from innesto.sources.values import EUROSTAT, TABULAR, ValueSyntax

Cleaner = Callable[[str], str]


def strip(cell: str) -> str:
    """A code as written, without surrounding blanks (the default cleaner).

    >>> strip(" ITC11 ")
    'ITC11'
    """
    return cell.strip()


def year(cell: str) -> str:
    """A period, with the ``.0`` of a year written as a float removed.

    >>> year("2021.0"), year(" 2017 ")
    ('2021', '2017')
    """
    t = cell.strip()
    if t.endswith(".0") and t[:-2].lstrip("-").isdigit():
        return t[:-2]
    return t


#: A code or period written as a whole float (``"0101.0"`` -> ``"0101"``): :func:`year`.
whole = year


def labelled(cell: str) -> str:
    """A code exported with its label (``"ITC11: Torino"``) without the label.

    >>> labelled("ITC11: Torino"), labelled("Valle d'Aosta: Aoste"), labelled(" C ")
    ('ITC11', "Valle d'Aosta: Aoste", 'C')
    """
    s = cell.strip()
    head, sep, _ = s.partition(": ")
    return head if sep and " " not in head else s


def labelled_year(cell: str) -> str:
    """:func:`labelled`, then :func:`year`.

    >>> labelled_year("2021.0: anno 2021")
    '2021'
    """
    return year(labelled(cell))


@dataclass(frozen=True)
class Column:
    """Where a role's values are: a column with one of ``names`` (case, blanks and
    ``_.-`` ignored) or, with ``pattern``, the one column whose name matches it; ``clean``
    turns a cell into a code; an absent column that is not ``required`` is no error."""

    names: tuple[str, ...] = ()
    pattern: str | None = None
    clean: Cleaner = strip
    required: bool = True
    role: str = ""  # how errors name it, when not the role's own name
    hint: str = ""  # what a pattern column's error expects

    def matches(self, header: str) -> bool:
        """Whether ``header`` is this column by its pattern."""
        return self.pattern is not None and re.match(self.pattern, header, re.I) is not None


@dataclass(frozen=True)
class Drop:
    """Rows whose ``role`` code is in ``codes`` or fully matches ``pattern`` are left out
    and counted under ``reason`` (unless the reader option ``keep`` is true)."""

    role: str
    codes: frozenset[str] = frozenset()
    pattern: str | None = None
    reason: str = "dropped:total"
    keep: str | None = None

    def hits(self, code: str) -> bool:
        """Whether a code is one of the rows this rule leaves out.

        >>> Drop("industry", pattern=r"00\\d\\d").hits("0010")
        True
        """
        if code in self.codes:
            return True
        return self.pattern is not None and re.fullmatch(self.pattern, code) is not None


@dataclass(frozen=True)
class Dimensions:
    """The other dimensions of a file: columns before ``before`` whose names match
    ``pattern`` and are none of ``ignore``. Each must hold one value, or be pinned with the
    reader option ``select={"DIM": "code"}``; the rows of other values are counted as
    ``dropped:not-selected``."""

    pattern: str = r"^[A-Z][A-Z0-9_]*$"
    ignore: frozenset[str] = frozenset()
    before: tuple[str, ...] = ("time", "value")


@dataclass(frozen=True)
class Spec:
    """One source format as data (see the module docs).

    ``format`` names it in the registry and in reports; ``region``, ``industry``, ``time``
    and ``value`` say where each role is (``time`` may be ``None`` for formats whose period
    comes from elsewhere); ``flag`` and ``unit`` are optional columns; ``values`` is how the
    value cells are written and ``nonnegative`` refuses negative counts; ``drops`` are the
    totals and aggregates left out; ``dimensions`` the other dimensions to pin; the
    classifications, ``measure`` and ``attribution`` are the panel's provenance defaults;
    ``missing`` and ``expected`` are the error when a required column is absent (``%(role)s``,
    ``%(option)s`` (its option's name), ``%(columns)s``, ``%(names)s`` and ``%(some)s``, the first six names, are filled in;
    catalogued messages, marked with :func:`~innesto.i18n.N_`);
    ``blank_codes`` is what becomes of a row whose region or industry is blank, after its
    value is read: ``"keep"``, ``"drop"`` (counted as ``dropped:blank-code``) or
    ``"drop-located"`` (counted with the first such row's line and column).
    """

    format: str
    region: Column
    industry: Column
    value: Column
    time: Column | None = None
    flag: Column | None = None
    unit: Column | None = None
    values: ValueSyntax = TABULAR
    nonnegative: bool = False
    drops: tuple[Drop, ...] = ()
    dimensions: Dimensions | None = None
    region_classification: str = "user"
    industry_classification: str = "user"
    measure: str = "value"
    attribution: str = ""
    missing: str = N_("no %(role)s column; the columns are %(columns)s")
    expected: str = N_("one of %(names)s")
    blank_codes: str = "keep"

    def roles(self) -> tuple[str, ...]:
        """The roles this format has a column for, in the panel's order."""
        named = (("region", self.region), ("industry", self.industry), ("time", self.time),
                 ("value", self.value), ("flag", self.flag), ("unit", self.unit))
        return tuple(role for role, col in named if col is not None)

    def column(self, role: str) -> Column | None:
        """The :class:`Column` of ``role`` (``None`` if the format has none)."""
        col: Column | None = getattr(self, role)
        return col


@dataclass(frozen=True)
class CubeSpec:
    """A Eurostat-style cube format as data: its dimensions are columns (or a series key),
    one of them the region (``region``, by default) and one the industry; ``delimiter``
    separates fields; ``periods`` is the regular expression of the period columns of a
    wide cube (``n2015``), ``time`` and ``value`` the columns of a long one
    (``TIME_PERIOD``, ``OBS_VALUE``), ``flag`` its flag column; ``structure`` names columns
    that are neither; ``values`` is how cells are written; the panel's region
    classification and measure are the defaults; ``nothing`` is the error when no row
    is left (``matching`` adds "matching the filters" to what it expects).

    >>> SBS = CubeSpec(format="eurostat-sbs", delimiter=";", periods=r"n?(\\d{4})")
    >>> SBS.region, SBS.values.decimal
    ('geo', '.')
    """

    format: str
    values: ValueSyntax = EUROSTAT
    delimiter: str = ","
    region: str = "geo"
    region_classification: str = "NUTS2021"
    measure: str = "value"
    periods: str | None = None
    time: str | None = None
    value: str | None = None
    flag: str | None = None
    structure: frozenset[str] = frozenset()
    nothing: str = N_("no data rows")
    matching: bool = True
