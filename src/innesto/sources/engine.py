"""The reading engine: any file a :class:`~innesto.sources.spec.Spec` describes, into a panel.

A reader is a spec plus the few lines that turn its options into the engine's calls:

1. the rows come from a row source that counts them against the row and cell budgets
   (:func:`~innesto.sources._tabular.read_csv_rows` for delimited text,
   :func:`~innesto.sources._parse.csv_rows` for Eurostat's strict CSV, the Excel reader);
2. :func:`locate` finds each role's column from the spec (usual names or a header
   pattern), or the column a reader option names, and errors name the file, the header line
   and the columns that exist;
3. a :class:`LongTable` holds the rows still kept: :meth:`LongTable.pin_dimensions` pins
   the other dimensions, :meth:`LongTable.drop` leaves out totals and aggregates by the
   spec's rules, each counted under its reason;
4. :meth:`LongTable.panel` parses the value cells with the one value parser
   (:mod:`innesto.sources.values`), counts every missing, confidential, corrupt, negative
   and flagged cell with its line and column, merges the file's own flags, and builds the
   panel with the spec's provenance.

Examples
--------
>>> import tempfile, pathlib
>>> from innesto.sources.spec import Column, CubeSpec, Drop, Spec
>>> spec = Spec(format="demo", region=Column(("area",)), industry=Column(("activity",)),
...             value=Column(("employees",)), drops=(Drop("industry", codes=frozenset({"TOT"})),))
>>> f = pathlib.Path(tempfile.mkdtemp()) / "demo.csv"
>>> _ = f.write_text("area,activity,employees\\nA1,C,10\\nA1,TOT,12\\nA2,C,:\\n")
>>> panel, report = read_long(spec, f)
>>> panel.n_rows, report.counts
(2, {'dropped:total': 1, 'missing': 1})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from innesto.errors import SourceError
from innesto.i18n import N_, Message, msg, nmsg
from innesto.panel import Panel, PanelMeta
from innesto.sources import _parse as P
from innesto.sources._parse import KeyFilter
from innesto.sources._tabular import (
    Rows,
    column,
    guess,
    map_unique,
    parse_values,
    read_csv_rows,
    with_flags,
)
from innesto.sources.report import ReadReport
from innesto.sources.spec import Column, CubeSpec, Drop, Spec
from innesto.sources.values import ParsedColumn

#: The order in which roles are looked for (and so which missing column is named first).
ORDER = ("region", "industry", "time", "value", "flag", "unit")
#: The roles' names as errors show them (a column's own ``role`` names it otherwise).
ROLE_NAMES = {"region": N_("region"), "industry": N_("industry"), "time": N_("time"),
              "value": N_("value"), "flag": N_("flag"), "unit": N_("unit")}


def locate(spec: Spec, header: Sequence[str], *, path: Path, line: int | None = 1,
           given: Mapping[str, str | None] | None = None,
           order: Sequence[str] = ORDER) -> dict[str, int]:
    """The column index of each role of ``spec`` found in ``header`` (roles absent and not
    required are left out); ``given`` names columns chosen by reader options."""
    given = given or {}
    at: dict[str, int] = {}
    for role in order:
        col = spec.column(role)
        if col is None:
            continue
        name = given.get(role)
        idx = column(path, header, name, Message(col.role or ROLE_NAMES[role]), line) \
            if name is not None else \
            _find(spec, col, role, header, path=path, line=line)
        if idx is not None:
            at[role] = idx
    return at


def locate_given_first(spec: Spec, header: Sequence[str], *, path: Path, line: int | None,
                       given: Mapping[str, str | None], order: Sequence[str]) -> dict[str, int]:
    """:func:`locate`, checking every column named by an option before looking for the
    others by their usual names (so a misnamed option is the error reported first)."""
    named = {r: n for r, n in given.items() if n is not None}
    at = locate(spec, header, path=path, line=line, given=named,
                order=[r for r in order if r in named])
    at.update(locate(spec, header, path=path, line=line,
                     order=[r for r in order if r not in named]))
    return at


def _find(spec: Spec, col: Column, role: str, header: Sequence[str], *, path: Path,
          line: int | None) -> int | None:
    what = Message(col.role or ROLE_NAMES[role])
    if col.pattern is not None:
        hits = [i for i, h in enumerate(header) if col.matches(h)]
        if len(hits) == 1:
            return hits[0]
        names = [header[i] for i in hits]
        raise SourceError(msg("expected one %(what)s, found %(found)s", what=what, found=names)
                          if hits else msg("expected one %(what)s", what=what),
                          path=path, line=line, expected=Message(col.hint) if col.hint else None)
    found = guess(header, col.names)
    if found is None:
        if not col.required:
            return None
        fill = {"role": what, "option": role, "columns": ", ".join(map(repr, header)),
                "names": ", ".join(col.names), "some": ", ".join(col.names[:6])}
        raise SourceError(Message(spec.missing, values=fill), path=path, line=line,
                          expected=Message(spec.expected, values=fill))
    return list(header).index(found)


@dataclass
class LongTable:
    """The rows of a long table (one value per row) on their way to a panel.

    ``at`` maps each role to its column; ``keep`` lists the rows still in. Codes are
    cleaned with each role's :class:`~innesto.sources.spec.Column` cleaner, once per
    distinct cell.
    """

    spec: Spec
    path: Path
    rows: Rows
    at: dict[str, int]
    report: ReadReport
    keep: list[int] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)
    _codes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def header(self) -> list[str]:
        return self.rows.header

    def codes(self, role: str) -> list[str]:
        """The cleaned codes of ``role`` for every row of the file (a role without a
        column takes its ``fixed`` value, or ``""``)."""
        if role not in self.at:
            return [self.fixed.get(role, "")] * len(self.rows)
        if role not in self._codes:
            col = self.spec.column(role)
            assert col is not None
            self._codes[role] = map_unique(self.rows.col(self.at[role]), col.clean)
        return self._codes[role]

    def pin_dimensions(self, select: Mapping[str, str], clean: Callable[[str], str]) -> None:
        """Pin every other dimension (see :class:`~innesto.sources.spec.Dimensions`) to its
        one value, or to the value ``select`` names; other rows are
        ``dropped:not-selected``. A dimension left with several values is an error."""
        dims = self._other_dimensions()
        names = [self.header[i] for i in dims]
        for name in select:
            if name not in names:
                raise SourceError(msg("select: no dimension %(name)s", name=repr(name)), path=self.path,
                                  line=self.rows.header_line, column=name,
                                  expected=msg("one of %(names)s", names=names))
        for i in dims:
            self._pin(i, select, clean)

    def _other_dimensions(self) -> list[int]:
        spec = self.spec.dimensions
        if spec is None:
            return []
        last = min(self.at[role] for role in spec.before)
        taken = {self.at["region"], self.at["industry"]}
        return [i for i, c in enumerate(self.header[:last])
                if _fullmatch(spec.pattern, c) and i not in taken and c not in spec.ignore]

    def _pin(self, i: int, select: Mapping[str, str], clean: Callable[[str], str]) -> None:
        name = self.header[i]
        cells = self.rows.col(i)
        vals = [clean(cells[k]) for k in self.keep]
        distinct = sorted(set(vals))
        if name in select:
            want = str(select[name])
            if want not in distinct:
                raise SourceError(msg("%(name)s=%(want)s is not in the file", name=name,
                                  want=repr(want)), path=self.path,
                                  column=name, expected=msg("one of %(what)s", what=distinct[:20]))
            kept = [k for k, v in zip(self.keep, vals, strict=True) if v == want]
            self.report.count("dropped:not-selected", len(self.keep) - len(kept), column=name)
            self.keep = kept
        elif len(distinct) > 1:
            raise SourceError(
                nmsg("the dimension %(name)s has %(n)d values (%(items)s%(what)s); choose "
                     "one with select={'%(name)s': ...}",
                     "the dimension %(name)s has %(n)d values (%(items)s%(what)s); choose "
                     "one with select={'%(name)s': ...}",
                     len(distinct), name=name, items=', '.join(distinct[:8]), what=' ...' if len(distinct) > 8 else ''),
                path=self.path, line=self.rows.header_line, column=name,
                expected=msg("one value per dimension"))

    def drop(self, options: Mapping[str, bool]) -> None:
        """Leave out the rows each of the spec's :class:`~innesto.sources.spec.Drop` rules
        hits (unless its ``keep`` option is true), counted once per rule with the first
        row's line, column and code."""
        for rule in self.spec.drops:
            if rule.keep is not None and options.get(rule.keep):
                continue
            self._drop(rule)

    def _drop(self, rule: Drop) -> None:
        codes = self.codes(rule.role)
        hit = [k for k in self.keep if rule.hits(codes[k])]
        if not hit:
            return
        self.report.count(rule.reason, len(hit), line=self.rows.lines[hit[0]],
                          column=self.header[self.at[rule.role]], raw=codes[hit[0]])
        gone = set(hit)
        self.keep = [k for k in self.keep if k not in gone]

    def recode(self, role: str, codes: list[str]) -> None:
        """Replace the codes of ``role`` (one per row of the file)."""
        self._codes[role] = codes

    def parse(self, *, decimal: str | None = None,
              nonnegative: bool | None = None) -> ParsedColumn:
        """The kept rows' values, read with the spec's value syntax (``decimal``, if given,
        sets its decimal mark: ``"."``, ``","`` or ``"auto"``) and counted."""
        keep, lines = self.keep, self.rows.lines
        raw = self.rows.col(self.at["value"])
        return parse_values([raw[k] for k in keep], [lines[k] for k in keep],
                            self.header[self.at["value"]], self.report, decimal=decimal,
                            nonnegative=self.spec.nonnegative if nonnegative is None
                            else nonnegative, path=self.path, syntax=self.spec.values)

    def panel(self, meta: PanelMeta, *, decimal: str | None = None,
              flag_column: bool = False, parsed: ParsedColumn | pa.Array | None = None
              ) -> Panel:
        """Parse the kept rows' values (unless ``parsed`` gives them), count their flags,
        and build the panel (``flag_column`` gives it a ``flag`` column even when no cell
        is flagged)."""
        keep = self.keep
        if parsed is None:
            parsed = self.parse(decimal=decimal)
        cols: dict[str, Any] = {
            role: pa.array([codes[k] for k in keep], pa.string())
            for role, codes in ((r, self.codes(r)) for r in ("region", "industry", "time"))
        }
        file_flags = self._file_flags()
        if isinstance(parsed, ParsedColumn):
            cols["value"] = parsed.values
            with_flags(cols, parsed, file_flags)
        else:
            cols["value"] = parsed
            if file_flags is not None:
                cols["flag"] = pa.array(file_flags, pa.string())
        if flag_column:
            cols.setdefault("flag", pa.nulls(len(keep), pa.string()))
        self._unit(cols)
        table = pa.table(cols)
        if self.spec.blank_codes != "keep":
            table = table.take(pa.array(self._coded(), pa.int64()))
        panel = Panel(table, meta)
        self.report.rows_kept = panel.n_rows
        return panel

    def _unit(self, cols: dict[str, Any]) -> None:
        """The ``unit`` column: the file's (blank is none), or the ``fixed`` one."""
        if "unit" in self.at:
            cells = self.rows.col(self.at["unit"])
            cols["unit"] = pa.array([cells[k].strip() or None for k in self.keep], pa.string())
        elif "unit" in self.fixed:
            cols["unit"] = pa.array([self.fixed["unit"]] * len(self.keep), pa.string())

    def _coded(self) -> list[int]:
        """The positions (in ``keep``) of the rows with a region and an industry code; the
        others are counted as ``dropped:blank-code``."""
        regions, inds = self.codes("region"), self.codes("industry")
        coded = [i for i, k in enumerate(self.keep) if regions[k] and inds[k]]
        if len(coded) < len(self.keep):
            blank = next(k for k in self.keep if not (regions[k] and inds[k]))
            where: dict[str, Any] = {}
            if self.spec.blank_codes == "drop-located":
                role = "region" if not regions[blank] else "industry"
                where = {"line": self.rows.lines[blank], "column": self.header[self.at[role]]}
            self.report.count("dropped:blank-code", len(self.keep) - len(coded), **where)
        return coded

    def _file_flags(self) -> list[str | None] | None:
        """The file's own flags of the kept rows (``None`` without a flag column), each
        distinct flag counted with the line of its first row."""
        if "flag" not in self.at:
            return None
        fi = self.at["flag"]
        cells = self.rows.col(fi)
        flags = [cells[k].strip() for k in self.keep]
        count_flags(self.report, flags, [self.rows.lines[k] for k in self.keep],
                    self.header[fi] if fi else None)
        return [f or None for f in flags]


def count_flags(report: ReadReport, flags: Sequence[str], lines: Sequence[int] | None,
                column: str | None) -> None:
    """Count each distinct flag of a file's flag column (``flag:p``), with the line of
    its first row."""
    first: dict[str, int] = {}
    n: dict[str, int] = {}
    for i, f in enumerate(flags):
        if f:
            first.setdefault(f, i)
            n[f] = n.get(f, 0) + 1
    for f in sorted(n):
        report.count(f"flag:{f}", n[f], line=None if lines is None else lines[first[f]],
                     column=column, raw=f)


def _fullmatch(pattern: str, text: str) -> bool:
    return re.match(pattern, text) is not None


def read_long(spec: Spec, path: Path, *, encoding: str | None = None,
              decimal: str | None = None) -> tuple[Panel, ReadReport]:
    """Read a plain long table with ``spec``: locate, drop, parse, build (the whole engine
    for a format with no option of its own)."""
    rows = read_csv_rows(path, encoding=encoding)
    at = locate(spec, rows.header, path=path, line=rows.header_line)
    report = ReadReport(path=str(path), format=spec.format)
    report.rows_read = report.cells_read = len(rows)
    table = LongTable(spec, path, rows, at, report, list(range(len(rows))))
    table.drop({})
    meta = PanelMeta(spec.region_classification, spec.industry_classification, spec.measure,
                     spec.attribution)
    return table.panel(meta, decimal=decimal), report




# --------------------------------------------------------------------- dimension cubes
@dataclass
class Cube:
    """A Eurostat-style cube on its way to a panel: dimensions (one of them the region,
    one the industry), ``dim=values`` filters, and the others pinned to one value each.

    The format's reader parses its header into dimension names, offers each data row's key
    with :meth:`offer`, then :meth:`close` checks what is left and :meth:`meta` gives the
    panel's provenance. Its cells go into a :class:`~innesto.sources._parse.Columns`, which
    refuses a (region, industry, time) seen twice.
    """

    spec: CubeSpec
    path: Path
    region: str
    industry: str
    industry_class: str
    wanted: dict[str, set[str]]
    report: ReadReport
    flt: KeyFilter
    kept: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)

    @classmethod
    def open(cls, spec: CubeSpec, path: Path, dims: Sequence[str], region: str,
             industry: str | None, filters: Mapping[str, Any], *,
             fmt: str | None = None) -> Cube:
        """Pick the region and industry dimensions and check the filters (``fmt`` names
        the format in the report when it is more than the spec's, e.g. a version)."""
        region, industry, industry_class = P.pick_dims(path, dims, region, industry)
        wanted = P.check_filters(path, {d: () for d in dims}, filters)
        others = [d for d in dims if d not in (region, industry)]
        return cls(spec, path, region, industry, industry_class, wanted,
                   ReadReport(path=str(path), format=fmt or spec.format),
                   KeyFilter(wanted, others))

    def offer(self, line: int, key: dict[str, str], row: list[str]) -> bool:
        """Keep a row if its key passes the filters (else it is counted as filtered out)."""
        if not self.flt.keep(key, self.report):
            return False
        self.kept.append((line, key, row))
        return True

    def close(self) -> dict[str, str]:
        """Note unmatched filters, refuse a cube with no row left (the spec's ``nothing``
        says what, e.g. ``"no series left"``), and return the value each other dimension
        is held at."""
        report = self.report
        report.notes.extend(P.unmatched_filter_notes(self.wanted, self.flt.found))
        if not self.kept:
            nothing = Message(self.spec.nothing)
            raise SourceError(
                msg("%(nothing)s after the filters", nothing=nothing) if self.wanted
                else nothing, path=self.path, line=1,
                expected=msg("at least one data line matching the filters")
                if self.wanted and self.spec.matching else msg("at least one data line"))
        return P.constant_dims(self.path, self.flt.seen, report)

    def meta(self, cols: P.Columns, region_classification: str, measure: str,
             attribution: str) -> PanelMeta:
        """Note regions from different NUTS versions; the panel's classifications (a
        region dimension other than ``geo`` is ``user``) and provenance."""
        self.report.notes.extend(P.nuts_version_notes(cols.region))
        return PanelMeta(
            region_classification=region_classification if self.region.lower() == "geo"
            else "user",
            industry_classification=self.industry_class,
            measure=measure,
            attribution=attribution,
        )


def eurostat_attribution(path: Path, attribution: str | None) -> str:
    """``attribution``, else ``Source: Eurostat`` and the dataset code of the file name."""
    code = P.dataset_code(path)
    return attribution or ("Source: Eurostat" + (f", {code}" if code else ""))


__all__ = ["Cube", "LongTable", "ParsedColumn", "count_flags", "eurostat_attribution", "locate",
           "locate_given_first", "read_long"]
