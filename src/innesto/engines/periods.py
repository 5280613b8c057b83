"""A panel split into one region x industry matrix per period, in one pass over the table.

:func:`encode` dictionary-encodes the key columns once (in parallel threads for large
tables: Arrow releases the GIL) and groups the rows by period with a radix sort of the
period codes; :meth:`EncodedPanel.matrix` then builds any one period's
:class:`~innesto.panel.PanelMatrix` from integer codes alone, so that periods can be built
where they are computed (in the pipeline's worker threads). The label strings are never
copied, and missing values are dropped from the codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from innesto.panel import Panel, PanelMatrix

#: tables with at least this many rows have their key columns encoded in parallel
PARALLEL_ROWS = 1_000_000
_KEYS = ("region", "industry", "time")


@dataclass(frozen=True)
class EncodedPanel:
    """Integer codes of a panel's rows with a value, grouped by period."""

    region: np.ndarray  # code of each row's region (rank among the sorted labels)
    industry: np.ndarray
    value: np.ndarray
    labels: dict[str, np.ndarray]  # sorted labels of each key column
    by_time: np.ndarray  # row numbers, grouped by period in label order
    bounds: np.ndarray  # period k's rows are by_time[bounds[k]:bounds[k + 1]]

    @property
    def times(self) -> list[str]:
        """The periods that have at least one value, in sorted order."""
        return [str(t) for k, t in enumerate(self.labels["time"])
                if self.bounds[k] < self.bounds[k + 1]]

    def matrix(self, time: str) -> PanelMatrix:
        """One period's matrix, as :meth:`Panel.matrix` gives it (labels present in the
        period, sorted; duplicate cells summed)."""
        k = int(np.searchsorted(self.labels["time"], time))
        idx = self.by_time[self.bounds[k]:self.bounds[k + 1]]
        r_used, r = _compact(self.region[idx], len(self.labels["region"]))
        c_used, c = _compact(self.industry[idx], len(self.labels["industry"]))
        m = sp.coo_matrix((self.value[idx], (r, c)), shape=(len(r_used), len(c_used))).tocsr()
        m.sum_duplicates()
        return PanelMatrix(m, self.labels["region"][r_used], self.labels["industry"][c_used])


def encode(panel: Panel) -> EncodedPanel:
    """Encode ``panel`` for :meth:`EncodedPanel.matrix`.

    Examples
    --------
    >>> p = Panel.from_records([("b", "x", 2001, 1), ("a", "x", 2000, 2), ("a", "y", 2001, None)])
    >>> enc = encode(p)
    >>> enc.times, enc.matrix("2001").regions.tolist(), enc.matrix("2001").matrix.toarray()
    (['2000', '2001'], ['b'], array([[1.]]))
    """
    import pyarrow.compute as pc

    table = panel.table
    if table.num_rows >= PARALLEL_ROWS:
        with ThreadPoolExecutor(len(_KEYS)) as pool:
            encoded = list(pool.map(lambda c: _encode(table.column(c)), _KEYS))
    else:
        encoded = [_encode(table.column(c)) for c in _KEYS]
    codes = {c: e[0] for c, e in zip(_KEYS, encoded, strict=True)}
    labels = {c: e[1] for c, e in zip(_KEYS, encoded, strict=True)}
    value_col = table.column("value")
    if value_col.null_count:
        keep = pc.is_valid(value_col).to_numpy(zero_copy_only=False)
        value = value_col.fill_null(0).to_numpy()[keep]
        codes = {c: v[keep] for c, v in codes.items()}
    else:
        value = value_col.to_numpy()
    tcodes = codes["time"]
    if len(labels["time"]) < 2**15:
        tcodes = tcodes.astype(np.int16)  # a stable sort of 16-bit keys is a radix sort
    by_time = np.argsort(tcodes, kind="stable")
    bounds = np.zeros(len(labels["time"]) + 1, dtype=np.int64)
    np.cumsum(np.bincount(tcodes, minlength=len(labels["time"])), out=bounds[1:])
    return EncodedPanel(codes["region"], codes["industry"], value, labels, by_time, bounds)


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


def _encode(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a key column (ranks of its labels in sorted order) and the labels."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(column).combine_chunks()
    names = np.asarray(enc.dictionary.to_pylist(), dtype=object)
    order = np.argsort(names)
    rank = np.empty(len(order), dtype=np.int32)  # Arrow dictionaries have < 2**31 entries
    rank[order] = np.arange(len(order), dtype=rank.dtype)
    return rank[enc.indices.to_numpy(zero_copy_only=False)], names[order]


def _compact(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, return_inverse=True)`` for codes in ``[0, n)``, in linear time."""
    present = np.bincount(codes, minlength=n) > 0
    used = np.flatnonzero(present)
    new = np.cumsum(present, dtype=np.int64) - 1
    return used, new[codes]
