"""The tidy panel: one long table of (region, industry, time, value).

Every reader in :mod:`innesto.sources` returns a :class:`Panel`, and every measure in
:mod:`innesto.measures` accepts one. The table is held as an Arrow table, so that it moves
to pandas, polars and DuckDB without copying where the libraries allow it.

Column contract
---------------
``region``, ``industry`` and ``time`` are strings (codes keep their leading zeros: HS
``0101`` stays ``0101``; years are ``"2017"``). ``value`` is a float64 that may be null:
a missing value is null, never zero. Optional columns: ``flag`` (the statistics office's
flag, e.g. Eurostat ``p`` or ``c``), ``unit`` and ``source``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from innesto.errors import PanelError
from innesto.i18n import msg, nmsg

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pandas as pd
    import polars as pl
    import scipy.sparse as sp

KEYS: tuple[str, str, str] = ("region", "industry", "time")
REQUIRED: tuple[str, ...] = (*KEYS, "value")
OPTIONAL: tuple[str, ...] = ("flag", "unit", "source")

SCHEMA_FIELDS: dict[str, pa.DataType] = {
    "region": pa.string(),
    "industry": pa.string(),
    "time": pa.string(),
    "value": pa.float64(),
    "flag": pa.string(),
    "unit": pa.string(),
    "source": pa.string(),
}

_META_PREFIX = b"innesto."


@dataclass(frozen=True)
class PanelMeta:
    """What a panel's codes mean.

    ``region_classification`` is e.g. ``"NUTS2021"``, ``"NUTS2016"``, ``"SA3"``, ``"ISO3"``;
    ``industry_classification`` is e.g. ``"NACE_R2"``, ``"ATECO2007"``, ``"NAICS2017"``,
    ``"HS92"``, ``"SITC2"``, ``"ANZSIC2006"`` or ``"user"``. ``measure`` names what ``value``
    counts (``"employment"``, ``"exports"``, ``"gdp"``), and ``attribution`` is the line to
    show users wherever the data appears; ``dataset`` is the publisher's table code,
    ``licence`` its licence or rights statement and ``released`` (ISO date) the release
    date of the vintage, when known.
    """

    region_classification: str = "user"
    industry_classification: str = "user"
    measure: str = "value"
    attribution: str = ""
    dataset: str = ""
    licence: str = ""
    released: str = ""

    def as_metadata(self) -> dict[bytes, bytes]:
        return {
            _META_PREFIX + k.encode(): str(v).encode()
            for k, v in self.__dict__.items()
        }

    @classmethod
    def from_metadata(cls, meta: dict[bytes, bytes] | None) -> PanelMeta:
        if not meta:
            return cls()
        kwargs = {
            k[len(_META_PREFIX):].decode(): v.decode()
            for k, v in meta.items()
            if k.startswith(_META_PREFIX)
        }
        known = {k: v for k, v in kwargs.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Panel:
    """A tidy long table of (region, industry, time, value) with optional flag/unit/source.

    Build one with :meth:`from_pandas`, :meth:`from_polars`, :meth:`from_arrow` or
    :meth:`from_records`; readers in :mod:`innesto.sources` return one too.

    Examples
    --------
    >>> p = Panel.from_records(
    ...     [("ITC11", "J", 2017, 40.0), ("ITC11", "K", 2017, 20.0), ("IT", "J", 2017, None)]
    ... )
    >>> p.n_rows, p.n_missing
    (3, 1)
    >>> p.regions
    ['IT', 'ITC11']
    """

    table: pa.Table
    meta: PanelMeta = field(default_factory=PanelMeta)

    def __post_init__(self) -> None:
        self.table = _normalise(self.table)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrow(cls, table: pa.Table, meta: PanelMeta | None = None) -> Panel:
        """Wrap an Arrow table that already has the panel's column names."""
        if meta is None:
            meta = PanelMeta.from_metadata(table.schema.metadata)
        return cls(table, meta)

    @classmethod
    def from_pandas(
        cls,
        df: pd.DataFrame,
        *,
        region: str = "region",
        industry: str = "industry",
        time: str | None = "time",
        value: str = "value",
        meta: PanelMeta | None = None,
    ) -> Panel:
        """Build a panel from a pandas DataFrame, naming the columns to use.

        ``time=None`` (or a missing ``time`` column) gives a single-period panel whose
        time is ``""``.
        """
        mapping, cols = _renaming(list(df.columns), region, industry, time, value)
        _check_columns(list(df.columns), [c for c in mapping if c != time or time])
        out = df[cols].rename(columns=mapping)
        table = pa.Table.from_pandas(out, preserve_index=False)
        return cls(_with_time(table), meta or PanelMeta())

    @classmethod
    def from_polars(
        cls,
        df: pl.DataFrame,
        *,
        region: str = "region",
        industry: str = "industry",
        time: str | None = "time",
        value: str = "value",
        meta: PanelMeta | None = None,
    ) -> Panel:
        """Build a panel from a polars DataFrame (zero-copy through Arrow where possible)."""
        mapping, cols = _renaming(list(df.columns), region, industry, time, value)
        _check_columns(list(df.columns), list(mapping))
        table = df.select(cols).rename(mapping).to_arrow()
        return cls(_with_time(table), meta or PanelMeta())

    @classmethod
    def from_records(
        cls,
        records: Iterable[Sequence[Any]],
        *,
        columns: Sequence[str] = REQUIRED,
        meta: PanelMeta | None = None,
    ) -> Panel:
        """Build a small panel from tuples; handy in examples and tests."""
        rows = list(records)
        data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        arrays = {}
        for c, vals in data.items():
            if c == "value":
                arrays[c] = pa.array([None if v is None else float(v) for v in vals], pa.float64())
            else:
                arrays[c] = pa.array([None if v is None else str(v) for v in vals], pa.string())
        return cls(pa.table(arrays), meta or PanelMeta())

    @classmethod
    def read_parquet(cls, path: str | Path) -> Panel:
        """Read a panel written by :meth:`write_parquet` (or any Parquet with panel columns)."""
        table = pq.read_table(path)
        return cls.from_arrow(table)

    # ------------------------------------------------------------------ conversions
    def to_arrow(self) -> pa.Table:
        """The Arrow table, with the panel's metadata in its schema."""
        return self.table.replace_schema_metadata(
            {**(self.table.schema.metadata or {}), **self.meta.as_metadata()}
        )

    def to_pandas(self) -> pd.DataFrame:
        """A pandas DataFrame (Arrow-backed strings; null values stay NaN, never 0)."""
        return self.table.to_pandas()

    def to_polars(self) -> pl.DataFrame:
        """A polars DataFrame (zero-copy from Arrow)."""
        import polars as pl

        out = pl.from_arrow(self.table)
        assert isinstance(out, pl.DataFrame)
        return out

    def to_duckdb(self, con: duckdb.DuckDBPyConnection | None = None, name: str = "panel") -> Any:
        """Register the panel as a DuckDB relation (no copy) and return it."""
        import duckdb

        con = con or duckdb.connect()
        con.register(name, self.table)
        return con.table(name)

    def write_parquet(self, path: str | Path) -> Path:
        """Write the panel to Parquet atomically (temporary file, then rename)."""
        from innesto._atomic import atomic_path

        with atomic_path(path, suffix=".parquet") as tmp:
            pq.write_table(self.to_arrow(), tmp)
        return Path(path)

    # ------------------------------------------------------------------ facts
    @property
    def n_rows(self) -> int:
        return int(self.table.num_rows)

    @property
    def n_missing(self) -> int:
        """How many rows have no value (null): reported, never turned into zeros."""
        return int(self.table.column("value").null_count)

    @property
    def regions(self) -> list[str]:
        return sorted(pc.unique(self.table.column("region")).drop_null().to_pylist())

    @property
    def industries(self) -> list[str]:
        return sorted(pc.unique(self.table.column("industry")).drop_null().to_pylist())

    @property
    def times(self) -> list[str]:
        return sorted(pc.unique(self.table.column("time")).drop_null().to_pylist())

    def __len__(self) -> int:
        return self.n_rows

    def __repr__(self) -> str:
        return (
            f"Panel({self.n_rows} rows, {len(self.regions)} regions x "
            f"{len(self.industries)} industries x {len(self.times)} periods, "
            f"{self.n_missing} missing; {self.meta.region_classification} x "
            f"{self.meta.industry_classification})"
        )

    # ------------------------------------------------------------------ selections
    def filter(
        self,
        *,
        region: str | Sequence[str] | None = None,
        industry: str | Sequence[str] | None = None,
        time: str | int | Sequence[str | int] | None = None,
    ) -> Panel:
        """Keep the rows whose region/industry/time are in the given values."""
        table = self.table
        for col, want in (("region", region), ("industry", industry), ("time", time)):
            if want is None:
                continue
            values = [str(want)] if isinstance(want, (str, int)) else [str(v) for v in want]
            table = table.filter(pc.is_in(table.column(col), pa.array(values, pa.string())))
        return Panel(table, self.meta)

    def dropna(self) -> Panel:
        """The rows that have a value (use :attr:`n_missing` first to report what goes)."""
        return Panel(self.table.filter(pc.is_valid(self.table.column("value"))), self.meta)

    def matrix(self, time: str | int | None = None) -> PanelMatrix:
        """The region x industry matrix of one period, as a SciPy CSR matrix.

        Missing values are left out of the sparse matrix (a structural zero); use
        :attr:`n_missing` to report them. Duplicate (region, industry) pairs are summed.
        With ``time=None`` the panel must hold exactly one period.
        """
        codes = self._codes()
        if time is None:
            if len(codes.times) > 1:
                raise PanelError(
                    nmsg("the panel holds %(n)d periods (%(what)s..%(what2)s); name one with "
                         "time=...",
                         "the panel holds %(n)d periods (%(what)s..%(what2)s); name one with "
                         "time=...",
                         len(codes.times), what=codes.times[0], what2=codes.times[-1])
                )
            mask = codes.valid
        else:
            pos = int(np.searchsorted(codes.times, str(time)))
            if pos >= len(codes.times) or codes.times[pos] != str(time):
                raise PanelError(msg("no rows for time %(time)s; periods are %(what)s",
                                 time=repr(time), what=list(codes.times)))
            mask = codes.valid & (codes.time == pos)
        return codes.matrix(mask)

    def _codes(self) -> _Codes:
        """Integer codes of the key columns, computed once per table (the hot path of
        every per-period measure: encoding strings once instead of once per period)."""
        cached = self.__dict__.get("_codes_cache")
        if cached is not None and cached[0] is self.table:
            return cached[1]
        codes = _Codes.from_table(self.table)
        self.__dict__["_codes_cache"] = (self.table, codes)
        return codes


@dataclass(frozen=True)
class _Codes:
    """Rank-ordered integer codes for region/industry/time, and the values as NumPy."""

    region: np.ndarray
    industry: np.ndarray
    time: np.ndarray
    regions: np.ndarray
    industries: np.ndarray
    times: np.ndarray
    value: np.ndarray
    valid: np.ndarray

    @classmethod
    def from_table(cls, table: pa.Table) -> _Codes:
        enc = {col: sorted_codes(table.column(col)) for col in KEYS}
        value = table.column("value").combine_chunks()
        values = value.fill_null(np.nan).to_numpy(zero_copy_only=False).astype(np.float64)
        valid = ~np.isnan(values) & (enc["region"][1] >= 0) & (enc["industry"][1] >= 0)
        return cls(enc["region"][1], enc["industry"][1], enc["time"][1],
                   enc["region"][0], enc["industry"][0], enc["time"][0], values, valid)

    def matrix(self, mask: np.ndarray) -> PanelMatrix:
        """The matrix of the selected rows, over the regions and industries present in them."""
        r, i, v = self.region[mask], self.industry[mask], self.value[mask]
        rp = np.bincount(r, minlength=len(self.regions)) > 0
        ip = np.bincount(i, minlength=len(self.industries)) > 0
        rnew = np.cumsum(rp) - 1
        inew = np.cumsum(ip) - 1
        import scipy.sparse as sp  # imported on use: keeps `import innesto` light

        m = sp.coo_matrix((v, (rnew[r], inew[i])), shape=(int(rp.sum()), int(ip.sum()))).tocsr()
        m.sum_duplicates()
        return PanelMatrix(m, self.regions[rp], self.industries[ip])


@dataclass(frozen=True)
class PanelMatrix:
    """A region x industry matrix with its row and column labels."""

    matrix: sp.csr_matrix
    regions: np.ndarray
    industries: np.ndarray

    @classmethod
    def from_columns(cls, region: Any, industry: Any, value: Any) -> PanelMatrix:
        regions, rows = sorted_codes(region)
        industries, cols = sorted_codes(industry)
        vals = np.asarray(value.to_numpy(zero_copy_only=False), dtype=np.float64)
        import scipy.sparse as sp

        m = sp.coo_matrix((vals, (rows, cols)), shape=(len(regions), len(industries))).tocsr()
        m.sum_duplicates()
        return cls(m, regions, industries)

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            self.matrix.toarray(), index=list(self.regions), columns=list(self.industries)
        )


# ---------------------------------------------------------------------- helpers
def sorted_codes(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique labels of a string column and each row's position among them.

    The labels are an object array of str in sorted order, so that integer codes sort as
    the labels do; a null key gets -1.

    Examples
    --------
    >>> labels, codes = sorted_codes(pa.chunked_array([["b", "a", None, "b"]]))
    >>> labels.tolist(), codes.tolist()
    (['a', 'b'], [1, 0, -1, 1])
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    arr = pc.dictionary_encode(column)
    labels = np.asarray(arr.dictionary.to_pylist(), dtype=object)
    order = np.argsort(labels)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    idx = arr.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return labels[order], np.where(idx >= 0, rank[np.maximum(idx, 0)], -1)


def _renaming(
    columns: Sequence[str], region: str, industry: str, time: str | None, value: str
) -> tuple[dict[str, str], list[str]]:
    """The renaming of a data frame's named columns to the panel's (``time`` only when it
    is among ``columns``) and the columns to take: those, then any optional ones present."""
    mapping = {region: "region", industry: "industry", value: "value"}
    if time is not None and time in columns:
        mapping[time] = "time"
    return mapping, list(mapping) + [c for c in OPTIONAL if c in columns and c not in mapping]


def _with_time(table: pa.Table) -> pa.Table:
    """``table`` with a ``time`` column of ``""`` (a single period) if it has none."""
    if "time" not in table.column_names:
        table = table.append_column("time", pa.array([""] * table.num_rows, pa.string()))
    return table


def _check_columns(existing: Sequence[str], wanted: Sequence[str]) -> None:
    missing = [c for c in wanted if c not in existing]
    if missing:
        raise PanelError(
            msg("column(s) %(items)s not found; the columns are %(items2)s",
            items=', '.join(map(repr, missing)), items2=', '.join(map(repr, existing)))
        )


def _normalise(table: pa.Table) -> pa.Table:
    """Cast to the panel schema: string keys, float64 value, optional columns kept."""
    _check_columns(table.column_names, REQUIRED)
    cols = []
    names = []
    for name in (*REQUIRED, *OPTIONAL):
        if name not in table.column_names:
            continue
        col = table.column(name)
        want = SCHEMA_FIELDS[name]
        if col.type != want:
            if name == "value":
                try:
                    col = pc.cast(col, want)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                    raise PanelError(msg("column 'value' must be numeric: %(exc)s", exc=exc)) from None
            else:
                col = _to_string(col)
        cols.append(col)
        names.append(name)
    return pa.Table.from_arrays(cols, names=names, metadata=table.schema.metadata)


def _to_string(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_floating(col.type):
        # 2017.0 -> "2017": integral floats come from pandas columns with NaN
        arr = col.to_numpy(zero_copy_only=False)
        out = [
            None if v is None or (isinstance(v, float) and np.isnan(v))
            else (str(int(v)) if float(v).is_integer() else str(v))
            for v in arr
        ]
        return pa.chunked_array([pa.array(out, pa.string())])
    if pa.types.is_dictionary(col.type):
        col = pc.cast(col, col.type.value_type)
    return pc.cast(col, pa.string())


def concat(panels: Sequence[Panel]) -> Panel:
    """Stack panels with the same classifications into one."""
    if not panels:
        raise PanelError(msg("nothing to concatenate"))
    tables = [p.table for p in panels]
    table = pa.concat_tables(tables, promote_options="default")
    return Panel(table, panels[0].meta)
