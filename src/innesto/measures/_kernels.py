"""Shared sparse kernels and the per-period loop used by every measure family.

These are private: public measures wrap them and return tidy DataFrames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.panel import Panel, PanelMatrix

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported where a table is built: the matrix stage needs no pandas


def rca(x: sp.csr_matrix) -> sp.csr_matrix:
    r"""Balassa's revealed comparative advantage / the location quotient, on a sparse matrix.

    .. math:: RCA_{rp} = \frac{X_{rp} / \sum_{p'} X_{rp'}}{\sum_{r'} X_{r'p} / \sum_{r'p'} X_{r'p'}}

    Rows (regions) or columns (industries) summing to zero give zero, not NaN; the result
    keeps the sparsity pattern of ``x``.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[2.0, 2.0], [0.0, 4.0]]))
    >>> rca(m).toarray().round(3).tolist()
    [[2.0, 0.667], [0.0, 1.333]]
    """
    x = sp.csr_matrix(x, dtype=np.float64)
    total = x.sum()
    if total == 0:
        raise MeasureError(msg("the matrix sums to zero: no activity to compare"))
    row = np.asarray(x.sum(axis=1)).ravel()
    col = np.asarray(x.sum(axis=0)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_row = np.where(row != 0, 1.0 / row, 0.0)
        share_col = np.where(col != 0, total / col, 0.0)
    # Scale the stored entries in place of two diagonal matrix products: same numbers, same
    # sparsity pattern, a fraction of the time on large matrices.
    out = x.copy()
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    out.data = (inv_row[rows] * x.data) * share_col[x.indices]
    return out


def binary(x: sp.csr_matrix, threshold: float = 1.0) -> sp.csr_matrix:
    """``M_rp = 1`` where ``x_rp >= threshold``, else 0 (sparse, int8).

    Examples
    --------
    >>> binary(sp.csr_matrix(np.array([[1.5, 0.75], [0.0, 1.0]]))).toarray().tolist()
    [[1, 0], [0, 1]]
    """
    x = sp.csr_matrix(x)
    keep = x.data >= threshold
    m = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int8),
                       x.indices[keep], np.r_[0, np.cumsum(keep)][x.indptr]), shape=x.shape)
    return m


def incidence(x: sp.spmatrix, binarize: bool) -> sp.csr_matrix:
    """A copy of ``x`` read as an incidence table: its values as counts, or with
    ``binarize=True`` 1 for every positive value (a unit counts once per column); stored
    zeros are dropped either way.

    Examples
    --------
    >>> incidence(sp.csr_matrix(np.array([[3.0, 0.0], [1.0, 2.0]])), True).toarray().tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    x = sp.csr_matrix(x, copy=True)
    if binarize:
        x.data = (x.data > 0).astype(np.float64)
    x.eliminate_zeros()
    return x


def matrices(panel: Panel) -> Iterator[tuple[str, PanelMatrix]]:
    """``(time, panel.matrix(time))`` for every period: the one loop every measure uses.

    (Encoding the key columns once for all periods was tried and measured: on a
    3,000 x 1,000 x 5 panel the string hashing dominates either way, and one pass over the
    whole table was slower than five passes over each period's rows.)

    Examples
    --------
    >>> p = Panel.from_records([("B", "x", 1, 1.0), ("A", "y", 1, 2.0), ("A", "y", 1, 3.0),
    ...                         ("C", "x", 2, 4.0), ("A", "x", 2, None)])
    >>> [(t, m.regions.tolist(), m.matrix.toarray().tolist()) for t, m in matrices(p)]
    [('1', ['A', 'B'], [[0.0, 5.0], [1.0, 0.0]]), ('2', ['C'], [[4.0]])]
    """
    for t in panel.times:
        yield t, panel.matrix(time=t)


def per_period(
    panel: Panel,
    func: Callable[[PanelMatrix, str], pd.DataFrame],
) -> pd.DataFrame:
    """Apply ``func(matrix, time)`` to every period of ``panel`` and stack the results.

    ``func`` returns a DataFrame without a time column; this adds ``time`` as the column
    after the keys it returns (``region``, ``industry``, or a pair ``industry_i,
    industry_j``). Missing values are left out of each period's matrix (see
    :meth:`Panel.matrix`).
    """
    import pandas as pd

    frames = []
    for t, pm in matrices(panel):
        out = func(pm, t)
        keys = sum(1 for c in ("region", "industry", "industry_i", "industry_j") if c in out.columns)
        out.insert(keys, "time", t)
        frames.append(out)
    if not frames:
        raise MeasureError(msg("the panel is empty"))
    return pd.concat(frames, ignore_index=True)


def long_from_matrix(m: sp.spmatrix | np.ndarray, pm: PanelMatrix, name: str,
                     dense: bool = True) -> pd.DataFrame:
    """A (region, industry, name) long table from a matrix aligned with ``pm``'s labels.

    ``dense=True`` lists every region x industry cell; ``dense=False`` only stored entries.
    """
    import pandas as pd

    if dense:
        arr = sp.csr_matrix(m).toarray() if sp.issparse(m) else np.asarray(m)
        r, c = np.indices(arr.shape)
        return pd.DataFrame({
            "region": pm.regions[r.ravel()].astype(str),
            "industry": pm.industries[c.ravel()].astype(str),
            name: arr.ravel(),
        })
    coo = sp.coo_matrix(m)
    return pd.DataFrame({
        "region": pm.regions[coo.row].astype(str),
        "industry": pm.industries[coo.col].astype(str),
        name: coo.data,
    })
