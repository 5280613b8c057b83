"""A panel split into one region x industry matrix per period, in one pass over its rows.

:func:`encode_batches` reads the rows as a stream of Arrow record batches (from a
:class:`~innesto.panel.Panel`, or straight from DuckDB) and keeps, per batch, only integer
codes: each key column is dictionary-encoded by Arrow (the three columns in parallel
threads: Arrow releases the GIL) against dictionaries that grow as new labels appear, so
the label strings are never copied per row. Rows without a value are left out of the
matrices; rows whose value is zero are not kept either, but the labels they carry still
count as present in their period (a region that published only zeros is a row of zeros in
its period's matrix), so a table with its zeros written out takes the memory of its
non-zeros. The cells without a value (blank, confidential, missing) or with a flag are kept
aside as :class:`CellMarks` (codes only), so that the output lists them as null with their
flag, never as 0.

:meth:`EncodedPanel.matrix` then builds any one period's
:class:`~innesto.panel.PanelMatrix` from integer codes alone (duplicate cells summed), so
that periods can be built where they are computed (in the pipeline's worker threads).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from innesto import _arrow as arrow
from innesto.errors import EngineError
from innesto.i18n import nmsg
from innesto.panel import Panel, PanelMatrix

#: batches with at least this many rows have their key columns encoded in parallel
PARALLEL_ROWS = 200_000
_KEYS = ("region", "industry", "time")


@dataclass(frozen=True)
class CellMarks:
    """The cells of one period that have no value (``null``) or carry a flag, by label.

    A cell with a null row is null, whatever its other rows hold (the rule of the
    library's sums); its flag is the largest of its rows' flags (by text; None if none).

    >>> m = CellMarks.combine(np.array(["b", "a", "a"], object), np.array(["x", "y", "y"], object),
    ...                       np.array([None, "d", "c"], object), np.array([True, False, True]))
    >>> m.region.tolist(), m.industry.tolist(), m.flag.tolist(), m.null.tolist()
    (['a', 'b'], ['y', 'x'], ['d', None], [True, True])
    """

    region: np.ndarray  # labels (object arrays of str), sorted by region then industry
    industry: np.ndarray
    flag: np.ndarray  # str or None
    null: np.ndarray  # bool: the cell has no value

    def __len__(self) -> int:
        return len(self.region)

    @classmethod
    def combine(cls, region: np.ndarray, industry: np.ndarray, flag: np.ndarray,
                null: np.ndarray) -> CellMarks:
        """One mark per cell (rows of the same cell combined), sorted by label."""
        order = np.lexsort((industry, region))
        region, industry, flag, null = region[order], industry[order], flag[order], null[order]
        start = np.ones(len(order), dtype=bool)
        start[1:] = (region[1:] != region[:-1]) | (industry[1:] != industry[:-1])
        first = np.flatnonzero(start)
        group = np.cumsum(start) - 1
        any_null = np.zeros(len(first), dtype=bool)
        np.logical_or.at(any_null, group, null)
        best = np.full(len(first), None, dtype=object)
        for i, f in zip(group, flag, strict=True):  # marked rows only: few
            if f and (best[i] is None or f > best[i]):
                best[i] = f
        return cls(region[first], industry[first], best, any_null)

    @classmethod
    def from_arrow(cls, table: pa.Table) -> CellMarks | None:
        """The marks of a table with region, industry, value and optional flag columns
        (rows without a value or with a flag), or None when there are none."""
        import pyarrow.compute as pc

        null = pc.is_null(table.column("value"))
        marked = null
        if "flag" in table.column_names:
            flag = table.column("flag")
            marked = pc.or_(null, pc.fill_null(pc.not_equal(flag, ""), False))
        rows = table.filter(marked)
        if rows.num_rows == 0:
            return None

        def col(name: str) -> np.ndarray:
            return np.asarray(rows.column(name).to_pylist(), dtype=object)

        flags = col("flag") if "flag" in rows.column_names else \
            np.full(rows.num_rows, None, dtype=object)
        return cls.combine(col("region"), col("industry"), flags,
                           np.asarray(pc.is_null(rows.column("value")).to_pylist(), bool))


@dataclass(frozen=True)
class EncodedPanel:
    """Integer codes of a panel's rows with a non-zero value, grouped by period, and the
    labels present in each period."""

    region: np.ndarray  # code of each row's region (rank among the sorted labels)
    industry: np.ndarray
    value: np.ndarray
    labels: dict[str, np.ndarray]  # sorted labels of each key column
    by_time: np.ndarray  # row numbers, grouped by period in label order
    bounds: np.ndarray  # period k's rows are by_time[bounds[k]:bounds[k + 1]]
    present: dict[str, list[np.ndarray]]  # per period, sorted codes of the labels present
    #: the rows without a value or with a flag: region, industry and time codes (ranks),
    #: flag code (index into ``flags``, -1 for none) and whether the value is null
    marked: dict[str, np.ndarray] = field(default_factory=dict)
    flags: np.ndarray = field(default_factory=lambda: np.zeros(0, object))

    def marks(self, time: str) -> CellMarks | None:
        """The period's cells without a value or with a flag (None when there are none)."""
        if not len(self.marked.get("time", ())):
            return None
        k = int(np.searchsorted(self.labels["time"], time))
        sel = np.flatnonzero(self.marked["time"] == k)
        if not len(sel):
            return None
        fc = self.marked["flag"][sel]
        flag = np.full(len(sel), None, dtype=object)
        flag[fc >= 0] = self.flags[fc[fc >= 0]]
        return CellMarks.combine(self.labels["region"][self.marked["region"][sel]],
                                 self.labels["industry"][self.marked["industry"][sel]],
                                 flag, self.marked["null"][sel])

    @property
    def times(self) -> list[str]:
        """The periods that have at least one value (zeros included), in sorted order."""
        return [str(t) for k, t in enumerate(self.labels["time"])
                if len(self.present["region"][k])]

    def matrix(self, time: str) -> PanelMatrix:
        """One period's matrix, as :meth:`Panel.matrix` gives it (labels with a value in
        the period, sorted; duplicate cells summed; zeros not stored)."""
        k = int(np.searchsorted(self.labels["time"], time))
        idx = self.by_time[self.bounds[k]:self.bounds[k + 1]]
        r_used, c_used = self.present["region"][k], self.present["industry"][k]
        r = np.searchsorted(r_used, self.region[idx])
        c = np.searchsorted(c_used, self.industry[idx])
        value = self.value[idx]
        nulls = self._null_cells(k)
        if nulls is not None:  # a cell with a null row is null: none of its rows is summed
            keep = ~np.isin(self.region[idx].astype(np.int64) * len(self.labels["industry"])
                            + self.industry[idx], nulls)
            r, c, value = r[keep], c[keep], value[keep]
        import scipy.sparse as sp  # imported on use: reading and encoding do without SciPy

        m = sp.coo_matrix((value, (r, c)), shape=(len(r_used), len(c_used))).tocsr()
        m.sum_duplicates()
        return PanelMatrix(m, self.labels["region"][r_used], self.labels["industry"][c_used])

    def _null_cells(self, k: int) -> np.ndarray | None:
        """Period ``k``'s null cells as ``region * n_industries + industry`` codes."""
        if not len(self.marked.get("time", ())):
            return None
        sel = (self.marked["time"] == k) & self.marked["null"]
        if not sel.any():
            return None
        return (self.marked["region"][sel].astype(np.int64) * len(self.labels["industry"])
                + self.marked["industry"][sel])


class _Labels:
    """A dictionary of labels that grows batch by batch: codes in order of first sight."""

    def __init__(self) -> None:
        self.labels = arrow.array([])

    def codes(self, column: Any) -> np.ndarray:
        """Each row's code (-1 for a null), adding the labels not seen before.

        A dictionary-encoded column is coded through its dictionary: each entry once,
        then one lookup per row."""
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if not pa.types.is_dictionary(column.type):
            return self._codes(column)
        entry = np.append(self._codes(column.dictionary), np.int32(-1))
        return entry[arrow.numpy(column.indices, null=len(column.dictionary))]

    def _codes(self, column: Any) -> np.ndarray:
        import pyarrow.compute as pc

        if not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        enc = pc.dictionary_encode(column)
        known = pc.index_in(enc.dictionary, value_set=self.labels)
        known = arrow.numpy(known, null=-1).astype(np.int64)
        new = known < 0
        if new.any():
            known[new] = len(self.labels) + np.arange(int(new.sum()))
            self.labels = pa.concat_arrays([self.labels,
                                            enc.dictionary.filter(arrow.array(new))])
        idx = arrow.numpy(enc.indices, null=-1)
        return np.where(idx >= 0, known[np.maximum(idx, 0)], -1).astype(np.int32)

    def sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """The labels in sorted order, and each code's rank among them."""
        names = np.asarray(self.labels.to_pylist(), dtype=object)
        order = np.argsort(names)
        rank = np.empty(len(order), dtype=np.int32)  # Arrow dictionaries have < 2**31 entries
        rank[order] = np.arange(len(order), dtype=rank.dtype)
        return names[order], rank


def encode_batches(batches: Iterable[pa.RecordBatch]) -> EncodedPanel:
    """Encode a stream of record batches with columns region, industry, time and value.

    Examples
    --------
    >>> t = pa.table({"region": ["b", "a", "a", "c"], "industry": ["x", "x", "y", "x"],
    ...               "time": ["2001", "2000", "2001", "2001"], "value": [1.0, 2.0, None, 0.0]})
    >>> enc = encode_batches(t.to_batches(max_chunksize=2))
    >>> enc.times, enc.matrix("2001").regions.tolist(), enc.matrix("2001").matrix.toarray()
    (['2000', '2001'], ['b', 'c'], array([[1.],
           [0.]]))
    """
    encoder = _Encoder()
    with ThreadPoolExecutor(len(_KEYS)) as pool:
        for batch in batches:
            if batch.num_rows:
                encoder.add(batch, pool)
    return encoder.finish()


class _Encoder:
    """The state of :func:`encode_batches`: growing dictionaries, the codes and values of
    the rows kept so far, and which labels each period has."""

    def __init__(self) -> None:
        self.dicts = {c: _Labels() for c in _KEYS}
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in (*_KEYS, "value")}
        self.seen = {"region": _Seen(), "industry": _Seen()}
        self.no_time = 0
        self.marked = _Marked()

    def _codes(self, batch: pa.RecordBatch, pool: ThreadPoolExecutor) -> dict[str, np.ndarray]:
        """Each key column's codes (the three columns in parallel for a large batch)."""
        pairs = [(self.dicts[c], batch.column(c)) for c in _KEYS]
        if batch.num_rows >= PARALLEL_ROWS:
            codes = list(pool.map(lambda a: a[0].codes(a[1]), pairs))
        else:
            codes = [d.codes(col) for d, col in pairs]
        return dict(zip(_KEYS, codes, strict=True))

    def add(self, batch: pa.RecordBatch, pool: ThreadPoolExecutor) -> None:
        """Keep the codes of the batch's rows with a value (the non-zero ones in full)."""
        import pyarrow.compute as pc

        value_col = batch.column("value")
        self.marked.add(batch, self.dicts)
        if value_col.null_count:
            batch = batch.filter(pc.is_valid(value_col))
            value_col = batch.column("value")
        code = self._codes(batch, pool)
        value = np.asarray(arrow.numpy(value_col), dtype=np.float64)
        keyed = (code["region"] >= 0) & (code["industry"] >= 0)  # as Panel.matrix
        if not keyed.all():
            code = {c: v[keyed] for c, v in code.items()}
            value = value[keyed]
        self.no_time += int((code["time"] < 0).sum())
        for c, seen in self.seen.items():  # the (period, label) pairs present, zeros included
            seen.mark(code["time"], code[c])
        nz = value != 0
        for c in _KEYS:
            self.parts[c].append(code[c][nz])
        self.parts["value"].append(value[nz])

    def finish(self) -> EncodedPanel:
        """The encoded panel: codes as ranks among the sorted labels, rows by period."""
        if self.no_time:
            raise EngineError(nmsg(
                "%(n)d row(s) have a value but no period (blank time); fill the period or "
                "read the table as a single period",
                "%(n)d row(s) have a value but no period (blank time); fill the period or "
                "read the table as a single period", self.no_time))
        labels, rank = {}, {}
        for c in _KEYS:
            labels[c], rank[c] = self.dicts[c].sorted()
        n_times = len(labels["time"])
        code = {c: _ranked(self.parts[c], rank[c]) for c in _KEYS}
        tkey = code["time"].astype(np.int16) if n_times < 2**15 else code["time"]
        by_time = np.argsort(tkey, kind="stable")  # stable sort of small ints: radix sort
        bounds = np.zeros(n_times + 1, dtype=np.int64)
        np.cumsum(np.bincount(code["time"], minlength=n_times), out=bounds[1:])
        present = {c: s.present(rank["time"], rank[c], n_times) for c, s in self.seen.items()}
        return EncodedPanel(code["region"], code["industry"],
                            _cat(self.parts["value"], np.float64), labels, by_time, bounds,
                            present, self.marked.ranked(rank),
                            np.asarray(self.marked.flags.labels.to_pylist(), dtype=object))


class _Marked:
    """The codes of the rows without a value or with a flag (see :class:`CellMarks`),
    gathered batch by batch."""

    def __init__(self) -> None:
        self.flags = _Labels()
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in (*_KEYS, "flag", "null")}

    def add(self, batch: pa.RecordBatch, dicts: dict[str, _Labels]) -> None:
        """Keep the marked rows of ``batch`` (key codes from ``dicts``)."""
        _mark(batch, dicts, self.flags, self.parts)

    def ranked(self, rank: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The key codes as ranks among the sorted labels, with flags and nulls."""
        out = {c: _cat(self.parts[c], np.int32) for c in _KEYS}
        out = {c: rank[c][v] if v.size else v for c, v in out.items()}
        out["flag"] = _cat(self.parts["flag"], np.int32)
        out["null"] = _cat(self.parts["null"], bool)
        return out


def _mark(batch: pa.RecordBatch, dicts: dict[str, _Labels], flag_labels: _Labels,
          out: dict[str, list[np.ndarray]]) -> None:
    """Keep the codes of the rows without a value or with a flag."""
    import pyarrow.compute as pc

    value = batch.column("value")
    flag = batch.column("flag") if "flag" in batch.schema.names else None
    null = pc.is_null(value)
    if flag is not None and flag.null_count < len(flag):
        marked = pc.or_(null, pc.fill_null(pc.not_equal(flag, ""), False))
    elif value.null_count:
        marked = null
    else:
        return
    rows = batch.filter(marked)
    if rows.num_rows == 0:
        return
    code = {c: dicts[c].codes(rows.column(c)) for c in _KEYS}
    keep = (code["region"] >= 0) & (code["industry"] >= 0) & (code["time"] >= 0)
    for c in _KEYS:
        out[c].append(code[c][keep])
    fl = rows.column("flag") if flag is not None else pa.nulls(rows.num_rows, pa.string())
    fl = pc.if_else(pc.equal(fl, ""), pa.scalar(None, pa.string()), fl)
    codes = flag_labels.codes(fl) if fl.null_count < len(fl) else \
        np.full(len(fl), -1, np.int32)
    out["flag"].append(codes[keep])
    out["null"].append(arrow.numpy(pc.is_null(rows.column("value")))[keep])



def _ranked(parts: list[np.ndarray], rank: np.ndarray) -> np.ndarray:
    """The codes of ``parts`` (in order of first sight) as ranks among sorted labels."""
    codes = _cat(parts, np.int32)
    return rank[codes] if codes.size else codes


def _cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class _Seen:
    """Which labels occur in which period: a boolean period x label table that grows."""

    def __init__(self) -> None:
        self.table = np.zeros((1, 1024), dtype=bool)

    def mark(self, time: np.ndarray, label: np.ndarray) -> None:
        ok = time >= 0
        if not ok.any():
            return
        t, lab = time[ok], label[ok]
        need = (int(t.max()) + 1, int(lab.max()) + 1)
        if need[0] > self.table.shape[0] or need[1] > self.table.shape[1]:
            grown = np.zeros((max(need[0], 2 * self.table.shape[0]),
                              max(need[1], 2 * self.table.shape[1])), dtype=bool)
            grown[:self.table.shape[0], :self.table.shape[1]] = self.table
            self.table = grown
        self.table[t, lab] = True

    def present(self, time_rank: np.ndarray, label_rank: np.ndarray,
                n_times: int) -> list[np.ndarray]:
        """Per period (in label order), the sorted ranks of the labels seen in it."""
        out = [np.zeros(0, np.int32)] * n_times
        for code, k in enumerate(time_rank):
            if code < self.table.shape[0]:
                row = self.table[code, :len(label_rank)]
                out[k] = np.sort(label_rank[np.flatnonzero(row)]).astype(np.int32)
        return out


def encode(panel: Panel) -> EncodedPanel:
    """Encode ``panel`` for :meth:`EncodedPanel.matrix`.

    Examples
    --------
    >>> p = Panel.from_records([("b", "x", 2001, 1), ("a", "x", 2000, 2), ("a", "y", 2001, None)])
    >>> enc = encode(p)
    >>> enc.times, enc.matrix("2001").regions.tolist(), enc.matrix("2001").matrix.toarray()
    (['2000', '2001'], ['b'], array([[1.]]))
    """
    names = [c for c in (*_KEYS, "value", "flag") if c in panel.table.column_names]
    return encode_batches(panel.table.select(names)
                          .to_batches(max_chunksize=1 << 20))


def split_periods(panel: Panel, times: Iterable[str] | None = None
                  ) -> Iterator[tuple[str, PanelMatrix]]:
    """Each period's :class:`PanelMatrix` (those in ``times`` only, if given), in order.

    Gives the same matrices as :meth:`Panel.matrix` (labels present in the period, sorted;
    missing values left out; duplicate cells summed), in one pass over the table.
    """
    enc = encode(panel)  # an empty table encodes to no periods
    wanted = None if times is None else {str(t) for t in times}
    for t in enc.times:
        if wanted is None or t in wanted:
            yield t, enc.matrix(t)
