"""Tidy tables and Parquet files from the matrix stage's results, built in Arrow.

The same table comes out of the sparse and the dense path: ``cells`` holds every cell with
a stored input value, every cell of the input without a value (blank, confidential,
missing: value, RCA and M null, with its ``flag``, never 0) or with a flag, and every cell
with a non-zero density (a row that is not there means value 0 and density 0). With
``density_min`` (``--density sparse``) ``cells`` keeps every cell with a stored input value,
a flag or no value and, of the others, only those whose density is at least
``density_min``.

Every table is built per period, straight from the matrices (integer codes into Arrow
dictionary arrays: no pandas and no Python string per row), and ``cells`` in blocks of
regions, so that :class:`TableSink` can write each block to Parquet as it comes and the
long table is never whole in memory.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from innesto import _arrow as arrow
from innesto._atomic import atomic_path, discard, place, temporary_path
from innesto.errors import EngineError
from innesto.i18n import msg

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import scipy.sparse as sp

    from innesto.engines.pipeline import PeriodResult, PipelineResult

TABLES = ("cells", "regions", "industries", "proximity")
#: the Arrow schema of each table (the order of the columns is the files')
SCHEMAS = {
    "cells": pa.schema([("region", pa.string()), ("industry", pa.string()),
                        ("time", pa.string()), ("value", pa.float64()), ("flag", pa.string()),
                        ("rca", pa.float64()), ("m", pa.int8()), ("density", pa.float64())]),
    "regions": pa.schema([("region", pa.string()), ("time", pa.string()),
                          ("diversity", pa.int64()), ("eci", pa.float64())]),
    "industries": pa.schema([("industry", pa.string()), ("time", pa.string()),
                             ("ubiquity", pa.int64()), ("pci", pa.float64())]),
    "proximity": pa.schema([("industry_a", pa.string()), ("industry_b", pa.string()),
                            ("time", pa.string()), ("proximity", pa.float64())]),
}
_DICT = pa.dictionary(pa.int32(), pa.string())
#: pieces waiting for each table's writer thread at most (each up to :data:`BLOCK_CELLS`
#: rows): two keep the writers busy; more only hold memory that the kernel then has to
#: zero again (measured on set (a) of bench/peers.py: kernel time 0.7 to 1.2 s with two
#: against 1.0 to 1.9 s with four, peak 0.87 GiB against 0.92)
QUEUED = 2
#: ``cells`` is built in blocks of regions of about this many region x industry cells
BLOCK_CELLS = 1 << 20


def check_tables(names: Iterable[str]) -> tuple[str, ...]:
    """The requested tables in the canonical order; an unknown name is an error.

    >>> check_tables(["industries", "regions"])
    ('regions', 'industries')
    """
    wanted = {n.strip() for n in names if n.strip()}
    unknown = sorted(wanted - set(TABLES))
    if unknown or not wanted:
        raise EngineError(msg("unknown table(s) %(what)s; choose among %(items)s",
                          what=', '.join(unknown) or '(none)', items=', '.join(TABLES)))
    return tuple(n for n in TABLES if n in wanted)


#: the same schemas with the label columns dictionary-encoded, as the tables are built
BUILT = {name: pa.schema([pa.field(f.name, _DICT) if f.type == pa.string() else f
                          for f in schema]) for name, schema in SCHEMAS.items()}
#: Parquet dictionary encoding for label columns and M only (values rarely repeat)
_DICTIONARY_COLUMNS = ["region", "industry", "time", "flag", "industry_a", "industry_b", "m"]
#: no Parquet min/max statistics for the label columns that change row by row: every row
#: group spans all their labels, so the statistics would never let a reader skip one, and
#: computing them on text is most of the writer's time
_NO_STATISTICS = ("industry", "industry_b")


#: the schema each file is written with: the built tables' (labels as dictionaries), but
#: ``flag`` as plain text, so that the all-null flag column of a panel without flags is
#: written without dictionary statistics (the same file: nothing to encode)
_FILE = {name: schema.set(schema.get_field_index("flag"), pa.field("flag", pa.string()))
         if "flag" in schema.names else schema for name, schema in BUILT.items()}
#: values handed to the Parquet encoder at a time: Arrow's default of 1,024 splits every
#: page (at most 20,000 rows) into 20 calls; one call per page writes the same pages
_BATCH = 20_000


def _flags_as_text(cells: pa.Table) -> pa.Table:
    """A ``cells`` piece with its flag column as text (nulls alone when no cell has one)."""
    i = cells.schema.get_field_index("flag")
    flag = cells.column(i)
    text = pa.nulls(len(flag), pa.string()) if flag.null_count == len(flag) \
        else flag.cast(pa.string())
    return cells.set_column(i, _FILE["cells"].field(i), text)


def _dictionary(labels: np.ndarray) -> pa.Array:
    """The label strings once, as the dictionary of every label column built from them."""
    return arrow.array([str(v) for v in labels])


def _labels(dictionary: pa.Array, idx: np.ndarray) -> pa.DictionaryArray:
    """``labels[idx]`` as an Arrow dictionary array: integer codes, no string per row.

    The codes are positions in ``dictionary`` by construction, so Arrow's check of every
    code against the dictionary's length (a pass over the rows) is skipped."""
    return pa.DictionaryArray.from_arrays(arrow.array(idx, pa.int32()), dictionary,
                                          safe=False)


def _constant(text: str, n: int) -> pa.DictionaryArray:
    """A label column holding ``text`` on each of ``n`` rows."""
    return pa.DictionaryArray.from_arrays(arrow.array(np.zeros(n, np.int32)),
                                          arrow.array([text]), safe=False)


def plain(table: pa.Table) -> pa.Table:
    """A built table with its label columns as plain strings (for pandas, Spark, IPC)."""
    return table.cast(SCHEMAS[_name_of(table)])


def _name_of(table: pa.Table) -> str:
    for name, schema in BUILT.items():
        if table.schema.names == schema.names:
            return name
    raise EngineError(msg("not an output table: columns %(names)s", names=table.schema.names))


def _block(x: Any, r0: int, r1: int, dtype: Any = np.float64) -> np.ndarray:
    """Rows ``r0:r1`` of a sparse or dense matrix as a dense array (0 where not stored)."""
    import scipy.sparse as sp

    if sp.issparse(x):
        return np.asarray(sp.csr_matrix(x)[r0:r1].toarray(), dtype=dtype)
    return np.asarray(x[r0:r1], dtype=dtype)


class _Grid:
    """The label columns of full blocks (every region x industry cell listed), built once
    per period and shape: the industry codes of a block repeat block after block."""

    def __init__(self, regions: pa.Array, industries: pa.Array, time: str) -> None:
        self.regions, self.industries, self.time = regions, industries, time
        self._same: dict[int, tuple[pa.Array, pa.Array]] = {}

    def columns(self, r0: int, r1: int) -> list[pa.Array]:
        n_cols = len(self.industries)
        n = (r1 - r0) * n_cols
        if n not in self._same:
            cols = np.tile(np.arange(n_cols, dtype=np.int32), r1 - r0)
            self._same[n] = (_labels(self.industries, cols), _constant(self.time, n))
        rows = np.repeat(np.arange(r0, r1, dtype=np.int32), n_cols)
        return [_labels(self.regions, rows), *self._same[n]]


def cell_blocks(p: PeriodResult, density_min: float | None = None,
                block_cells: int | None = None) -> Iterator[pa.Table]:
    """The ``cells`` rows of one period, in blocks of regions of about ``block_cells``
    region x industry cells (default :data:`BLOCK_CELLS`), rows sorted by region, industry.

    A block where every cell is listed (a filled panel: every density non-zero) is built
    from the blocks' arrays as they are, without selecting cells. A cell of the input
    without a value (blank, confidential, missing: ``p.marks``) is listed with a null value,
    RCA and M (and its density, when its region and industry are in the matrix), never as
    0; a flagged cell carries its flag."""
    import scipy.sparse as sp

    n_rows, n_cols = p.value.shape
    step = max(1, (block_cells or BLOCK_CELLS) // max(n_cols, 1))
    marks = _Marks(p)
    if marks.m is not None:
        yield from _marked_blocks(p, marks, density_min, step)
        return
    regions, industries = _dictionary(p.regions), _dictionary(p.industries)
    grid = _Grid(regions, industries, p.time)
    value = sp.csr_matrix(p.value)
    value.sum_duplicates()
    for r0 in range(0, n_rows, step):
        r1 = min(n_rows, r0 + step)
        v = value[r0:r1]
        dens = _block(p.density, r0, r1)
        keep = _listed(dens, v, density_min)
        numbers = [v.toarray(), _block(p.rca, r0, r1), _block(p.m, r0, r1, np.int8), dens]
        if keep is None:
            labels = grid.columns(r0, r1)
            numbers = [a.ravel() for a in numbers]
        else:
            keys = np.flatnonzero(keep)
            rows = keys // n_cols
            cols = keys - rows * n_cols
            labels = [_labels(regions, rows + r0), _labels(industries, cols),
                      _constant(p.time, len(keys))]
            numbers = [a.ravel()[keys] for a in numbers]
        n = len(numbers[0])
        yield pa.Table.from_arrays([*labels, arrow.array(numbers[0]), _flags(marks.flags, None, n),
                                    *map(arrow.array, numbers[1:])], schema=BUILT["cells"])


def _listed(dens: np.ndarray, v: sp.csr_matrix, density_min: float | None
            ) -> np.ndarray | None:
    """Which cells of a block are listed (a stored value, or a non-zero density, or one of
    at least ``density_min``), or None when every cell is."""
    if density_min is None and bool(dens.all()):
        return None  # every density non-zero (NaN counts as non-zero): one pass, no mask
    keep = (dens != 0) | np.isnan(dens) if density_min is None else dens >= density_min
    keep[np.repeat(np.arange(v.shape[0]), np.diff(v.indptr)), v.indices] = True
    return None if keep.all() else keep


def _marked_blocks(p: PeriodResult, marks: _Marks, density_min: float | None,
                   step: int) -> Iterator[pa.Table]:
    """:func:`cell_blocks` of a period with marked cells (no value, or a flag)."""
    import scipy.sparse as sp

    n_rows, n_cols = p.value.shape
    regions, industries = _dictionary(marks.regions), _dictionary(marks.industries)
    value = sp.csr_matrix(p.value)
    value.sum_duplicates()
    for r0 in range(0, n_rows, step):
        r1 = min(n_rows, r0 + step)
        v = value[r0:r1].tocoo()
        dens = _block(p.density, r0, r1)
        if density_min is None:
            keep = (dens != 0) | np.isnan(dens)
        else:
            keep = dens >= density_min
        keep[v.row, v.col] = True  # every stored input value is listed
        flag, null = marks.block(keep, r0, r1)
        keys = np.flatnonzero(keep)
        vals = np.zeros(keep.shape)
        vals[v.row, v.col] = v.data
        rows = keys // n_cols
        cols = keys - rows * n_cols
        cells = {"region": marks.rmap[rows + r0], "industry": marks.cmap[cols],
                 "flag": flag.ravel()[keys] if flag is not None else None,
                 "null": null.ravel()[keys] if null is not None else None,
                 "value": vals.ravel()[keys], "rca": _block(p.rca, r0, r1).ravel()[keys],
                 "m": _block(p.m, r0, r1).ravel()[keys].astype(np.int8),
                 "density": dens.ravel()[keys]}
        cells = marks.with_extras(cells, r0, r1, n_rows)
        null = cells["null"]
        yield pa.Table.from_arrays([
            _labels(regions, cells["region"]),
            _labels(industries, cells["industry"]),
            _constant(p.time, len(cells["region"])),
            arrow.array(cells["value"], mask=null),
            _flags(marks.flags, cells["flag"], len(cells["region"])),
            arrow.array(cells["rca"], mask=null),
            arrow.array(cells["m"], mask=null),
            arrow.array(cells["density"], mask=cells.get("no_density")),
        ], schema=BUILT["cells"])


def _flags(dictionary: pa.Array, codes: np.ndarray | None, n: int) -> pa.DictionaryArray:
    """The flag column: codes into ``dictionary``, -1 (or no codes at all) for none."""
    if codes is None:
        return pa.DictionaryArray.from_arrays(pa.nulls(n, pa.int32()), dictionary)
    return pa.DictionaryArray.from_arrays(arrow.array(codes, pa.int32(), mask=codes < 0),
                                          dictionary)


class _Marks:
    """Where a period's :class:`~innesto.engines.periods.CellMarks` fall among its cells.

    The listing's labels are the matrix's plus those of null cells whose region or
    industry has no value in the period (*extras*: listed with no RCA, M or density).
    """

    def __init__(self, p: PeriodResult) -> None:
        m = getattr(p, "marks", None)
        self.m = m if m is not None and len(m) else None
        self.regions, self.industries = p.regions, p.industries
        self.flags = arrow.array([])
        if self.m is None:
            self.rmap = np.arange(len(p.regions))
            self.cmap = np.arange(len(p.industries))
            return
        m = self.m
        self.regions = np.union1d(p.regions, m.region)
        self.industries = np.union1d(p.industries, m.industry)
        self.rmap = np.searchsorted(self.regions, p.regions)
        self.cmap = np.searchsorted(self.industries, p.industries)
        names = sorted({f for f in m.flag if f})
        self.flags = arrow.array(names)
        self.fcode = np.array([names.index(f) if f else -1 for f in m.flag], np.int32)
        self.row, inr = _position(p.regions, m.region)
        self.col, inc = _position(p.industries, m.industry)
        self.inside = inr & inc
        self.ur = np.searchsorted(self.regions, m.region)  # codes in the listing
        self.uc = np.searchsorted(self.industries, m.industry)

    def block(self, keep: np.ndarray, r0: int, r1: int
              ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Mark the block's marked cells as listed; their flag codes and null mask."""
        if self.m is None:
            return None, None
        sel = self.inside & (self.row >= r0) & (self.row < r1)
        r, c = self.row[sel] - r0, self.col[sel]
        keep[r, c] = True
        flag = np.full(keep.shape, -1, np.int32)
        null = np.zeros(keep.shape, bool)
        flag[r, c] = self.fcode[sel]
        null[r, c] = self.m.null[sel]
        return flag, null

    def with_extras(self, cells: dict[str, Any], r0: int, r1: int,
                    n_rows: int) -> dict[str, Any]:
        """``cells`` with the extras whose region falls in this block, in label order."""
        if self.m is None:
            return cells
        lo = self.rmap[r0] if r0 else 0
        hi = self.rmap[r1] if r1 < n_rows else len(self.regions)
        sel = ~self.inside & (self.ur >= lo) & (self.ur < hi)
        n, k = len(cells["region"]), int(sel.sum())
        cells["no_density"] = np.zeros(n + k, bool)
        if not k:
            return cells
        extra = {"region": self.ur[sel], "industry": self.uc[sel], "flag": self.fcode[sel],
                 "null": np.ones(k, bool), "value": np.zeros(k), "rca": np.zeros(k),
                 "m": np.zeros(k, np.int8), "density": np.zeros(k)}
        out = {c: np.concatenate([cells[c], extra[c]]) for c in extra}
        order = np.lexsort((out["industry"], out["region"]))
        out = {c: a[order] for c, a in out.items()}
        out["no_density"] = np.concatenate([np.zeros(n, bool), np.ones(k, bool)])[order]
        return out


def _position(labels: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each wanted label's index in the sorted ``labels`` and whether it is there."""
    i = np.minimum(np.searchsorted(labels, wanted), max(len(labels) - 1, 0))
    return i, (labels[i] == wanted) if len(labels) else np.zeros(len(wanted), bool)


def period_batches(p: PeriodResult, tables: Iterable[str] = TABLES,
                   density_min: float | None = None) -> Iterator[tuple[str, pa.Table]]:
    """``(table name, Arrow table)`` pieces of one period, for the tables asked (label
    columns dictionary-encoded: :func:`plain` turns them into strings)."""
    regions, industries = _dictionary(p.regions), _dictionary(p.industries)
    for name in tables:
        if name == "cells":
            for block in cell_blocks(p, density_min):
                yield name, block
        elif name == "regions":
            yield name, _labelled(name, regions, p.time, p.diversity, p.eci)
        elif name == "industries":
            yield name, _labelled(name, industries, p.time, p.ubiquity, p.pci)
        elif name == "proximity":
            a, b, d = _pairs(p.proximity)
            yield name, pa.Table.from_arrays([
                _labels(industries, a), _labels(industries, b), _constant(p.time, len(a)),
                arrow.array(np.asarray(d, np.float64))], schema=BUILT[name])
        else:
            raise EngineError(msg("unknown table %(name)s; choose among %(items)s",
                              name=repr(name), items=', '.join(TABLES)))


def _pairs(phi: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zero entries of a proximity matrix as (row, column, value), sorted by row
    then column (codes sort as the labels do)."""
    import scipy.sparse as sp

    if not sp.issparse(phi):
        a, b = np.nonzero(phi)  # row-major: already in order
        return a, b, phi[a, b]
    coo = sp.coo_matrix(phi)
    keep = coo.data != 0
    a, b, d = coo.row[keep], coo.col[keep], coo.data[keep]
    if phi.format == "csr" and phi.has_sorted_indices:
        return a, b, d  # a CSR matrix's entries come row by row, columns sorted
    order = np.lexsort((b, a))
    return a[order], b[order], d[order]


def _labelled(name: str, labels: pa.Array, time: str, degree: np.ndarray,
              index: np.ndarray) -> pa.Table:
    """``regions`` or ``industries``: each label of the period with its degree
    (diversity or ubiquity) and complexity index (ECI or PCI)."""
    n = len(labels)
    return pa.Table.from_arrays([
        _labels(labels, np.arange(n)), _constant(time, n),
        arrow.array(np.asarray(degree, dtype=np.int64)),
        arrow.array(np.asarray(index, dtype=np.float64))], schema=BUILT[name])


def period_tables(p: PeriodResult) -> dict[str, pd.DataFrame]:
    """The four tidy tables of one period, as pandas."""
    return {name: t.to_pandas() for name, t in _stack([p]).items()}


def _stack(results: Iterable[PeriodResult]) -> dict[str, pa.Table]:
    pieces: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    for p in results:
        for name, t in period_batches(p):
            pieces[name].append(plain(t))
    return {name: pa.concat_tables(ts) if ts else SCHEMAS[name].empty_table()
            for name, ts in pieces.items()}


def tables(result: PipelineResult) -> dict[str, pd.DataFrame]:
    """The four tidy tables for every period, stacked, as pandas."""
    return {name: t.to_pandas() for name, t in _stack(result.periods).items()}


class TableSink:
    """Parquet writers for the tables asked, each streaming to a temporary file in ``outdir``.

    :meth:`write` hands one piece to the writer thread of its table (one thread per file:
    Arrow encodes and compresses Parquet without holding the GIL, so the files are written
    at the same time as each other and as the next pieces are built; at most
    :data:`QUEUED` pieces wait per table); :meth:`commit` waits for the threads, closes
    every file and renames it to ``outdir/<name>.parquet``; :meth:`abort` removes them.
    Used as a context manager it commits on success and aborts on any error, so nothing is
    half-written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d, TableSink(d, ["regions"]) as sink:
    ...     sink.write("regions", BUILT["regions"].empty_table())
    ...     sink.rows
    {'regions': 0}
    """

    def __init__(self, outdir: str | Path, tables: Iterable[str] = TABLES) -> None:
        import pyarrow.parquet as pq

        self.outdir = Path(outdir)
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.rows: dict[str, int] = {}
        #: rows of ``cells`` listed without a value (blank, confidential or missing cells)
        self.null_cells = 0
        self.written: list[Path] = []
        self._tmp: dict[str, Path] = {}
        self._writers: dict[str, Any] = {}
        self._queues: dict[str, queue.Queue[pa.Table | None]] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._error: BaseException | None = None
        try:
            for name in check_tables(tables):
                tmp = self._tmp[name] = temporary_path(self.outdir / f"{name}.parquet",
                                                       suffix=".parquet")
                # the file's Arrow schema is not stored: its label columns read back as
                # strings (Parquet's own type), not as the dictionaries they are written from
                self._writers[name] = pq.ParquetWriter(
                    tmp, _FILE[name], store_schema=False,
                    use_dictionary=[c for c in _DICTIONARY_COLUMNS if c in BUILT[name].names],
                    write_statistics=[c for c in BUILT[name].names if c not in _NO_STATISTICS],
                    write_batch_size=_BATCH)
                self.rows[name] = 0
        except BaseException:
            self.abort()
            raise

    def _drain(self, name: str) -> None:
        """Table ``name``'s writer thread: write pieces until the end mark; after an error
        (of any table), discard them."""
        box = self._queues[name]
        while (table := box.get()) is not None:
            if self._error is None:
                try:
                    self._writers[name].write_table(table)
                except BaseException as exc:  # raised again in the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, name: str, table: pa.Table) -> None:
        """Append ``table`` to table ``name`` (ignored if that table was not asked)."""
        if name not in self._writers:
            return
        self._raise()
        if table.schema != BUILT[name]:
            table = table.cast(BUILT[name])
        self.rows[name] += table.num_rows
        if name == "cells":
            self.null_cells += table.column("value").null_count
            table = _flags_as_text(table)
        if name not in self._threads:
            self._queues[name] = queue.Queue(QUEUED)
            self._threads[name] = threading.Thread(target=self._drain, args=(name,),
                                                   name=f"innesto-writer-{name}", daemon=True)
            self._threads[name].start()
        self._queues[name].put(table)

    def _stop(self) -> None:
        for name, thread in self._threads.items():
            self._queues[name].put(None)
            thread.join()
        self._threads.clear()

    def commit(self) -> list[Path]:
        """Finish writing, close every file and move it into place; returns the paths."""
        try:
            self._stop()
            self._raise()
            for writer in self._writers.values():
                writer.close()
        except BaseException:
            self.abort()
            raise
        for name in self._writers:
            self.written.append(place(self._tmp[name], self.outdir / f"{name}.parquet"))
        self._writers.clear()
        return self.written

    def abort(self) -> None:
        """Stop writing, close and remove every temporary file."""
        self._error = self._error or EngineError(msg("writing aborted"))
        self._stop()
        for writer in self._writers.values():
            try:
                writer.close()
            except (OSError, pa.ArrowException):  # a full disk: the file goes anyway
                pass
        self._writers.clear()
        for tmp in self._tmp.values():
            discard(tmp)

    def __enter__(self) -> TableSink:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def write_tables(frames: dict[str, pd.DataFrame], outdir: str | Path) -> list[Path]:
    """Write each table to ``outdir/<name>.parquet`` atomically (temporary file, rename)."""
    import pyarrow.parquet as pq

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in frames.items():
        target = outdir / f"{name}.parquet"
        with atomic_path(target, suffix=".parquet") as tmp:
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp)
        written.append(target)
    return written
