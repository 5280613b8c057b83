r"""Fitness and Complexity (Tacchella, Cristelli, Caldarelli, Gabrielli & Pietronero 2012).

A non-linear map on the binary matrix :math:`M_{rp}`: a region is fit if it makes many
products, weighted by their complexity; a product is complex if only fit regions make it,
bounded by its least fit maker.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.measures._structure import Codes, Periods, Selection
from innesto.panel import Panel


def fitness_complexity(m: sp.spmatrix, iterations: int = 200) -> tuple[np.ndarray, np.ndarray]:
    r"""Fitness :math:`F_r` (rows) and complexity :math:`Q_p` (columns) of a binary matrix.

    .. math::

        \tilde F_r^{(n)} = \sum_p M_{rp} Q_p^{(n-1)}, \qquad
        \tilde Q_p^{(n)} = \frac{1}{\sum_r M_{rp} / F_r^{(n-1)}}, \qquad
        F_r^{(n)} = \frac{\tilde F_r^{(n)}}{\langle \tilde F^{(n)} \rangle}, \quad
        Q_p^{(n)} = \frac{\tilde Q_p^{(n)}}{\langle \tilde Q^{(n)} \rangle}

    from :math:`F^{(0)} = Q^{(0)} = 1`, for a fixed number of iterations (some fitnesses
    tend to 0 in nested matrices; the ranking converges first). ``m`` must have no empty
    rows or columns.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float))
    >>> f, q = fitness_complexity(m, iterations=2)
    >>> f.round(4).tolist(), q.round(4).tolist()
    ([1.8333, 0.8333, 0.3333], [0.3448, 0.7586, 1.8966])
    """
    m = sp.csr_matrix(m, dtype=np.float64)
    mt = m.T.tocsr()
    f = np.ones(m.shape[0])
    q = np.ones(m.shape[1])
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        for _ in range(iterations):
            f_new = np.asarray(m @ q).ravel()
            q_new = 1.0 / np.asarray(mt @ (1.0 / f)).ravel()
            f = f_new / f_new.mean()
            q = q_new / q_new.mean()
    return f, q


def fitness(panel: Panel, *, threshold: float = 1.0, iterations: int = 200,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Region fitness :math:`F_r` per period: ``region, time, diversity, fitness``.

    :math:`M_{rp} = [RCA_{rp} \ge` ``threshold`` :math:`]`; the map is in
    :func:`fitness_complexity`. Industry complexity :math:`Q_p` is the ``pci`` column of
    ``complexity(panel, method="fitness").industries``.

    References
    ----------
    Tacchella, A., Cristelli, M., Caldarelli, G., Gabrielli, A., & Pietronero, L. (2012).
    A new metrics for countries' fitness and products' complexity. Scientific Reports 2,
    723, eq. 1.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "y", 1, 1), ("C", "z", 1, 10)])
    >>> fitness(p, iterations=10).round(3).values.tolist()
    [['A', '1', 2, 2.054], ['B', '1', 1, 0.187], ['C', '1', 1, 0.759]]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "fitness")
    from innesto.measures.complexity import complexity

    out = complexity(panel, method="fitness", threshold=threshold, iterations=iterations).regions
    return out.rename(columns={"eci": "fitness"})
