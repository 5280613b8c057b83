r"""The co-occurrence z-score: how typical is the combination of two technologies?

For a unit x technology incidence matrix :math:`X` (patents x technology classes, firms x
industries) with :math:`P` units and :math:`n_i = \sum_u X_{ui}` occurrences of technology
:math:`i`, the observed co-occurrence is :math:`o_{ij} = \sum_u X_{ui} X_{uj}` and, if the
units were filled at random, :math:`o_{ij}` would follow a hypergeometric distribution with

.. math::

    \mu_{ij} = \frac{n_i n_j}{P}, \qquad
    \sigma_{ij}^2 = \mu_{ij} \left(1 - \frac{n_i}{P}\right) \frac{P - n_j}{P - 1},
    \qquad z_{ij} = \frac{o_{ij} - \mu_{ij}}{\sigma_{ij}}.

A positive :math:`z_{ij}` marks a typical combination, a negative one an atypical (novel)
combination.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.measures._kernels import incidence, per_period
from innesto.measures._structure import Codes, Periods, Selection
from innesto.panel import Panel, PanelMatrix


def z_score_matrix(x: sp.spmatrix | np.ndarray) -> np.ndarray:
    r"""The technology x technology z-score matrix of a unit x technology incidence matrix.

    .. math:: z_{ij} = \frac{o_{ij} - n_i n_j / P}
              {\sqrt{\frac{n_i n_j}{P} (1 - \frac{n_i}{P}) \frac{P - n_j}{P - 1}}}

    As in EconGeo's ``z_score()``, the observed co-occurrence has a zero diagonal, so the
    diagonal of the result is :math:`-\mu_{ii}/\sigma_{ii}`: it is not meaningful and is
    kept only for parity. A technology present in every unit (or none) has
    :math:`\sigma = 0` and gives NaN, never an infinite score.

    References
    ----------
    Kim, D., Cerigo, D. B., Jeong, H., & Youn, H. (2016). Technological novelty profile and
    invention's future impact. EPJ Data Science 5(1), section 2.2 (z-score of a pair of
    codes). Teece, D. J., Rumelt, R., Dosi, G., & Winter, S. (1994). Understanding corporate
    coherence. JEBO 23(1), 1-30, section 4 (the hypergeometric benchmark). Balland, P.-A.
    EconGeo 2.0, ``z_score()``.

    Examples
    --------
    Four patents; technologies a and b appear together on two of them:

    >>> x = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]])
    >>> z_score_matrix(x).round(3)[0].tolist()
    [-5.196, 1.0, -1.0]
    """
    x = sp.csr_matrix(x, dtype=np.float64)
    p = x.shape[0]
    o = (x.T @ x).toarray()
    np.fill_diagonal(o, 0.0)
    n = np.asarray(x.sum(axis=0)).ravel()
    mu = np.outer(n, n) / p
    with np.errstate(divide="ignore", invalid="ignore"):
        var = mu * np.outer(1.0 - n / p, (p - n) / (p - 1))
        z = (o - mu) / np.sqrt(var)
    z[~np.isfinite(z)] = np.nan
    return z


def z_score(panel: Panel, *, binarize: bool = False,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """Co-occurrence z-scores of every ordered pair of industries, per period.

    The panel is read as an incidence table: ``region`` is the unit (a patent, a firm, a
    region) and ``industry`` the technology or industry. Returns ``industry_i, industry_j,
    time, z`` for every off-diagonal pair, including pairs that never co-occur (they have
    the most negative scores). ``binarize=True`` counts a unit once per technology whatever
    its value; otherwise values are counts, as in EconGeo.

    See :func:`z_score_matrix` for the formula and references.

    Examples
    --------
    >>> p = Panel.from_records([("p1", "a", 1, 1), ("p1", "b", 1, 1), ("p2", "a", 1, 1),
    ...                         ("p2", "b", 1, 1), ("p3", "c", 1, 1), ("p4", "a", 1, 1),
    ...                         ("p4", "c", 1, 1)])
    >>> z_score(p).round(3).values.tolist()[:2]
    [['a', 'b', '1', 1.0], ['a', 'c', '1', -1.0]]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        z = z_score_matrix(incidence(pm.matrix, binarize))
        i, j = np.nonzero(~np.eye(len(pm.industries), dtype=bool))
        labels = pm.industries.astype(str)
        return pd.DataFrame({"industry_i": labels[i], "industry_j": labels[j], "z": z[i, j]})

    return per_period(selection.for_matrix(panel, "z_score"), func)
