"""Shared helpers of the Eurostat-family readers: text decoding, counting parsed cells, and
a column builder that counts every flagged, missing, confidential or corrupt cell.

A Eurostat cell is a number optionally followed by flags (``123.4 p``, ``0 d``), or ``:``
for "not available", optionally flagged (``: c`` confidential, ``: z`` not applicable).
:func:`parse_cell` (from :mod:`innesto.sources.values`, the one value parser) turns one
into ``(value, flags, status)``; :class:`Columns` collects the parsed observations and
:func:`record` counts each in the :class:`ReadReport`.

Examples
--------
>>> parse_cell("123.4 p")
(123.4, 'p', 'ok')
>>> parse_cell(": c")
(None, 'c', 'confidential')
>>> parse_cell(":")
(None, '', 'missing')
>>> parse_cell("12:00 AM")
(None, '', 'corrupt')
>>> from innesto.sources.values import EUROSTAT_SBS
>>> parse_cell("", EUROSTAT_SBS)
(None, 'c', 'confidential')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from innesto.errors import SourceError
from innesto.i18n import N_, Message, msg, nmsg
from innesto.panel import Panel, PanelMeta
from innesto.sources import limits
from innesto.sources._tabular import text_lines
from innesto.sources.report import ReadReport
from innesto.sources.values import (  # noqa: F401  (the readers' names for the one parser)
    CONFIDENTIAL,
    CORRUPT,
    EUROSTAT_FLAGS,
    MISSING,
    OK,
    parse_cell,
    parse_cell_cached,
)

#: Eurostat's observation flags (the letters :mod:`innesto.sources.values` reads).
FLAGS = frozenset(EUROSTAT_FLAGS)


def read_raw(path: Path) -> bytes:
    """The file's bytes as stored, within the size limit (:mod:`innesto.sources.limits`);
    :class:`SourceError` if it is missing, unreadable or too large."""
    return limits.read_raw(path)


def read_text(path: Path) -> str:
    """The file's text: gunzipped if gzip, UTF-16 with a BOM, UTF-8 (BOM stripped), else
    Windows-1252.

    Raises :class:`SourceError` for a missing, binary or undecodable file.
    """
    raw = limits.read_bytes(path)
    text16 = limits.utf16(raw, path)
    if text16 is not None:
        return text16
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SourceError(msg("binary data (NUL byte)"), path=path, line=line, expected=msg("text"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            line = raw[: exc.start].count(b"\n") + 1
            raise SourceError(
                msg("the file is neither UTF-8 nor Windows-1252 text"),
                path=path, line=line, expected=msg("text"),
            ) from None
    return text.lstrip("\ufeff")


def record(
    report: ReadReport, status: str, flags: str, *, line: int, column: str, raw: str
) -> None:
    """Count one parsed cell in ``report``: its status (unless ok) and each flag letter."""
    if status != OK:
        report.count(status, line=line, column=column, raw=raw)
    for letter in dict.fromkeys(flags):
        if letter == "c" and status == CONFIDENTIAL:
            continue  # counted as "confidential" already
        report.count(f"flag:{letter}", line=line, column=column, raw=raw)


class Columns:
    """Accumulates observations and refuses duplicate (region, industry, time) keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.region: list[str] = []
        self.industry: list[str] = []
        self.time: list[str] = []
        self.value: list[float | None] = []
        self.flag: list[str | None] = []
        self.unit: list[str | None] = []
        self._seen: dict[tuple[str, str, str], int] = {}

    def add(
        self,
        region: str,
        industry: str,
        time: str,
        value: float | None,
        flags: str,
        *,
        line: int,
        column: str | int | None = None,
        unit: str | None = None,
    ) -> None:
        key = (region, industry, time)
        first = self._seen.get(key)
        if first is not None:
            raise SourceError(
                msg("duplicate observation for region %(region)s, industry %(industry)s, time "
                "%(time)s (first seen on line %(first)s)", region=repr(region),
                industry=repr(industry), time=repr(time), first=first),
                path=self.path, line=line, column=column,
                expected=msg("one observation per region, industry and time"),
            )
        self._seen[key] = line
        self.region.append(region)
        self.industry.append(industry)
        self.time.append(time)
        self.value.append(value)
        self.flag.append(flags or None)
        self.unit.append(unit)

    def add_series(
        self,
        region: str,
        industry: str,
        periods: Sequence[str],
        values: Sequence[float | None],
        flags: Sequence[str | None],
        *,
        line: int,
        unit: str | None = None,
    ) -> None:
        """Add one series (distinct periods) at once; duplicates are checked per series."""
        key = (region, industry, "")
        first = self._seen.get(key)
        if first is not None:
            raise SourceError(
                msg("duplicate series for region %(region)s, industry %(industry)s (first seen on "
                "line %(first)s)", region=repr(region), industry=repr(industry), first=first),
                path=self.path, line=line, column=1,
                expected=msg("one series per region and industry"),
            )
        self._seen[key] = line
        k = len(periods)
        self.region.extend([region] * k)
        self.industry.extend([industry] * k)
        self.time.extend(periods)
        self.value.extend(values)
        self.flag.extend(flags)
        self.unit.extend([unit] * k)

    def panel(self, meta: PanelMeta) -> Panel:
        data: dict[str, pa.Array] = {
            "region": pa.array(self.region, pa.string()),
            "industry": pa.array(self.industry, pa.string()),
            "time": pa.array(self.time, pa.string()),
            "value": pa.array(self.value, pa.float64()),
        }
        if any(f is not None for f in self.flag):
            data["flag"] = pa.array(self.flag, pa.string())
        if any(u is not None for u in self.unit):
            data["unit"] = pa.array(self.unit, pa.string())
        return Panel(pa.table(data), meta)


def split_values(value: str | Sequence[str]) -> list[str]:
    """``"A,B"`` or ``["A", "B"]`` -> ``["A", "B"]`` (options from the CLI arrive as text)."""
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return [v.strip() for v in items if v.strip()]


def check_filters(
    path: Path, dims: Mapping[str, Iterable[str]], filters: Mapping[str, str | Sequence[str]]
) -> dict[str, set[str]]:
    """Validate ``dim=values`` filters against the dimensions found in a file."""
    out: dict[str, set[str]] = {}
    for dim, want in filters.items():
        if dim not in dims:
            raise SourceError(
                msg("unknown option or dimension %(dim)s", dim=repr(dim)), path=path, line=1,
                expected=msg("one of the file's dimensions: %(items)s", items=', '.join(dims)),
            )
        out[dim] = set(split_values(want))
    return out


def several_values_error(path: Path, dim: str, values: Iterable[str]) -> SourceError:
    """The error raised when a dimension other than region/industry/time is not pinned."""
    vals = sorted(values)
    shown = ", ".join(vals[:20]) + (f", ... ({len(vals)} in all)" if len(vals) > 20 else "")
    return SourceError(
        msg("dimension %(dim)s has several values (%(shown)s); a panel holds one", dim=repr(dim),
        shown=shown),
        path=path, line=1, column=dim, expected=msg("a filter such as %(dim)s=%(what)s", dim=dim,
                                                what=vals[0]),
    )


# --------------------------------------------------------------------- NUTS versions
# Codes (levels 0-2) that exist in one NUTS version and not the next, from Eurostat's NUTS
# history (changes 2006->2010 and 2010->2013). Used to note files that mix versions.
_NUTS_2006_ONLY = frozenset({"FI13", "FI18", "FI1A"})
_NUTS_2010_ONLY = frozenset(
    {"DE41", "DE42", "EL1", "EL11", "EL12", "EL13", "EL14", "EL2", "EL21", "EL22", "EL23",
     "EL24", "EL25", "FR9", "FR91", "FR92", "FR93", "FR94", "HR01", "HR02", "SI01", "SI02",
     "UKI1", "UKI2"}
)
_NUTS_2013_NEW = frozenset(
    {"DE40", "EL5", "EL51", "EL52", "EL53", "EL54", "EL6", "EL61", "EL62", "EL63", "EL64",
     "EL65", "FRA", "FRA1", "FRA2", "FRA3", "FRA4", "FRA5", "HR04", "SI03", "SI04", "UKI3",
     "UKI4", "UKI5", "UKI6", "UKI7"}
)


def nuts_version_notes(codes: Iterable[str]) -> list[str]:
    """Notes for a report when region codes come from different NUTS versions.

    >>> nuts_version_notes(["DE40", "DE41", "ITC1"])[0][:44]
    'region codes mix NUTS versions: NUTS 2006/20'
    >>> nuts_version_notes(["ITC1", "ITC11"])
    []
    """
    present = set(codes)
    old = sorted(present & (_NUTS_2006_ONLY | _NUTS_2010_ONLY))
    new = sorted(present & _NUTS_2013_NEW)
    if not (old and new):
        return []
    old2006 = sorted(present & _NUTS_2006_ONLY)
    text = (
        "region codes mix NUTS versions: NUTS 2006/2010-only codes "
        f"{', '.join(old)} appear beside NUTS 2013 codes {', '.join(new)}"
    )
    if old2006:
        text += f" (of which NUTS 2006: {', '.join(old2006)})"
    return [text + "; compare regions across versions with care"]


# --------------------------------------------------------------------- dimension cubes
_INDUSTRY_DIMS = ("nace_r2", "nace_r21", "nace_r1", "cpa2_1", "cpa2008", "nace")
_INDUSTRY_CLASS = {"nace_r2": "NACE_R2", "nace_r21": "NACE_R21", "nace_r1": "NACE_R1"}


def pick_dims(
    path: Path, dims: Sequence[str], region: str, industry: str | None
) -> tuple[str, str, str]:
    """Check the region and industry dimension names; return them and the industry
    classification (``"NACE_R2"`` for ``nace_r2``, ``"user"`` for unknown names)."""
    lower = {d.lower(): d for d in dims}
    if region.lower() not in lower:
        raise SourceError(
            msg("no region dimension %(region)s", region=repr(region)), path=path, line=1,
            expected=msg("one of %(items)s (name it with region=...)", items=', '.join(dims)),
        )
    region = lower[region.lower()]
    if industry is None:
        found = [lower[d] for d in _INDUSTRY_DIMS if d in lower]
        found += [d for d in dims if d.lower().startswith("nace") and d not in found]
        if not found:
            raise SourceError(
                msg("no industry dimension (nace_r2, ...) found"), path=path, line=1,
                expected=msg("one of %(items)s named with industry=...",
                         items=', '.join(d for d in dims if d != region)),
            )
        industry = found[0]
    elif industry.lower() in lower:
        industry = lower[industry.lower()]
    else:
        raise SourceError(
            msg("no industry dimension %(industry)s", industry=repr(industry)), path=path, line=1,
            expected=msg("one of %(items)s", items=', '.join(dims)),
        )
    if industry == region:
        raise SourceError(
            msg("dimension %(region)s cannot be both region and industry", region=repr(region)), path=path, line=1
        )
    return region, industry, _INDUSTRY_CLASS.get(industry.lower(), "user")


def constant_dims(
    path: Path, seen: Mapping[str, set[str]], report: ReadReport
) -> dict[str, str]:
    """The single value of each remaining dimension; error if one has several values."""
    out: dict[str, str] = {}
    for dim, values in seen.items():
        if len(values) > 1:
            raise several_values_error(path, dim, values)
        if values:
            out[dim] = next(iter(values))
    if out:
        report.notes.append(
            "held constant: " + ", ".join(f"{k}={v}" for k, v in out.items())
        )
    return out


class KeyFilter:
    """``dim=values`` filters applied row by row: remembers which filter values matched
    (``found``, for :func:`unmatched_filter_notes`) and which values the other dimensions
    took in the rows kept (``seen``, for :func:`constant_dims`)."""

    def __init__(self, wanted: Mapping[str, set[str]], others: Iterable[str]) -> None:
        self.wanted = wanted
        self.found: dict[str, set[str]] = {d: set() for d in wanted}
        self.seen: dict[str, set[str]] = {d: set() for d in others}

    def keep(self, key: Mapping[str, str], report: ReadReport) -> bool:
        """Whether a row with these dimension values passes; a row that does not is
        counted as ``dropped:filtered out``."""
        for d, want in self.wanted.items():
            if key[d] in want:
                self.found[d].add(key[d])
        if any(key[d] not in want for d, want in self.wanted.items()):
            report.count("dropped:filtered out")
            return False
        for d, values in self.seen.items():
            values.add(key[d])
        return True


def unmatched_filter_notes(
    wanted: Mapping[str, set[str]], found: Mapping[str, set[str]]
) -> list[str]:
    """Notes for filter values that matched nothing in the file."""
    notes = []
    for dim, values in wanted.items():
        missing = sorted(values - found.get(dim, set()))
        if missing:
            notes.append(f"filter {dim}={','.join(missing)} matched no rows")
    return notes


def dataset_code(path: Path) -> str | None:
    """``nama_10r_3empers`` from ``nama_10r_3empers.tsv.gz`` (a Eurostat-looking stem)."""
    stem = path.name.split(".")[0]
    return stem if re.fullmatch(r"[a-z][a-z0-9_]{2,40}", stem) else None


def csv_rows(path: Path, text: str, *, delimiter: str) -> list[tuple[int, list[str]]]:
    """The CSV rows with the line each starts on (quoted fields may span lines).

    The rows after the header are counted against the row and cell budgets
    (:class:`~innesto.sources.limits.Budget`) as they are parsed."""
    reader = csv.reader(text_lines(text), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    budget = limits.Budget(path)
    start = 1
    try:
        for row in reader:
            if rows:
                budget.row(len(row), line=start)
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(msg("malformed CSV (%(exc)s)", exc=exc), path=path, line=start,
                          expected=msg("%(delimiter)s-separated fields, double-quoted",
                                   delimiter=repr(delimiter))) from None
    return rows


def data_rows(
    path: Path, rows: Sequence[tuple[int, list[str]]], width: int, report: ReadReport,
    *, fields: str = N_("fields"),
) -> Iterator[tuple[int, list[str]]]:
    """The rows of :func:`csv_rows` after the header, with their lines: blank rows skipped,
    each other row counted in ``report.rows_read``; a row that has not ``width`` fields
    (the header's) raises a :class:`SourceError` naming its line (``fields`` names them)."""
    for n, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        if len(row) != width:
            raise SourceError(nmsg("%(n)d %(fields)s", "%(n)d %(fields)s", len(row),
                                   fields=Message(fields)), path=path, line=n,
                              expected=msg("%(width)s like the header", width=width))
        report.rows_read += 1
        yield n, row
