r"""Relatedness: proximity between industries, co-occurrence similarities, and relatedness
density of a region around each industry (inside and outside its portfolio).

All kernels work on SciPy sparse matrices; the public functions take a :class:`Panel` and
return tidy DataFrames, per period.

The diagonal of the proximity matrix
------------------------------------
:math:`\phi_{pp}` is not defined by the formula's use (an industry is not "related to
itself" in the sense of capability overlap). Implementations differ: the Stata command
``ecomplexity`` subtracts the identity (``proximity = ... - I(Npx)``, diagonal 0), as do
EconGeo (``relatedness()`` sets ``diag <- 0``) and ``economic-complexity``
(``np.fill_diagonal(phi, 0)``); the Python port ``ecomplexity`` keeps
:math:`C_{pp}/u_p = 1`. innesto's default is **0** (``diagonal=0.0``) so that density
matches the Growth Lab's reference Stata code and EconGeo, and so that an industry's own
presence never counts as evidence of nearby capabilities. ``diagonal=1.0`` reproduces the
Python ``ecomplexity`` package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures._kernels import incidence, per_period, rca
from innesto.measures._structure import Codes, Periods, Selection
from innesto.measures.complexity import checked_presence
from innesto.panel import Panel, PanelMatrix

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported where a table is built: the matrix stage needs no pandas

Cooccurrence = Literal["count", "cosine", "association", "jaccard"]
COOCCURRENCE: tuple[str, ...] = ("count", "cosine", "association", "jaccard")


def proximity_matrix(m: sp.spmatrix, *, diagonal: float = 0.0) -> sp.csr_matrix:
    r"""Hidalgo et al. (2007) proximity of the columns of a binary matrix (sparse, p x p).

    .. math:: \phi_{pq} = \frac{\sum_r M_{rp} M_{rq}}{\max(k_{p,0},\, k_{q,0})}

    the minimum of the two conditional probabilities :math:`P(q \mid p)` and
    :math:`P(p \mid q)`. The diagonal is set to ``diagonal`` for industries with
    :math:`k_{p,0} > 0` (see the module notes).

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 1, 0]]))
    >>> proximity_matrix(m).toarray().round(3).tolist()
    [[0.0, 0.667, 0.667], [0.667, 0.0, 0.333], [0.667, 0.333, 0.0]]
    """
    m = sp.csr_matrix(m, dtype=np.float64)
    u = np.asarray(m.sum(axis=0)).ravel()
    c = sp.coo_matrix(m.T @ m)
    off = c.row != c.col
    row, col = c.row[off], c.col[off]
    data = c.data[off] / np.maximum(u[row], u[col])
    present = np.flatnonzero(u > 0) if diagonal else np.empty(0, dtype=np.int64)
    row = np.concatenate([row, present])
    col = np.concatenate([col, present])
    data = np.concatenate([data, np.full(len(present), float(diagonal))])
    return sp.csr_matrix((data, (row, col)), shape=(m.shape[1], m.shape[1]))


def cooccurrence_matrix(x: sp.spmatrix, measure: Cooccurrence = "cosine") -> sp.csr_matrix:
    r"""Similarity of the columns of an incidence matrix from their co-occurrences.

    With :math:`C_{ij} = \sum_r X_{ri} X_{rj}` (diagonal set to 0),
    :math:`S_i = \sum_j C_{ij}` and :math:`T = \sum_{ij} C_{ij}`, as in EconGeo's
    ``relatedness()``:

    - ``count``: :math:`C_{ij}`
    - ``cosine``: :math:`C_{ij} / \sqrt{S_i S_j}`
    - ``association`` (association strength, van Eck & Waltman 2009, eq. 6, scaled so that
      1 means "as often as expected"): :math:`C_{ij}\, T / (S_i S_j)`
    - ``jaccard``: :math:`C_{ij} / (S_i + S_j - C_{ij})`

    Examples
    --------
    >>> x = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 1, 0]]))
    >>> cooccurrence_matrix(x, "cosine").toarray().round(3).tolist()
    [[0.0, 0.577, 0.577], [0.577, 0.0, 0.333], [0.577, 0.333, 0.0]]
    """
    if measure not in COOCCURRENCE:
        raise MeasureError(msg("unknown co-occurrence measure %(measure)s; expected one of "
                           "%(items)s", measure=repr(measure), items=', '.join(COOCCURRENCE)))
    x = sp.csr_matrix(x, dtype=np.float64)
    c = sp.coo_matrix(x.T @ x)
    off = (c.row != c.col) & (c.data != 0)
    row, col, cij = c.row[off], c.col[off], c.data[off]
    s = np.bincount(row, weights=cij, minlength=x.shape[1])
    total = cij.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "count":
            data = cij
        elif measure == "cosine":
            data = cij / np.sqrt(s[row] * s[col])
        elif measure == "association":
            data = cij * total / (s[row] * s[col])
        else:
            data = cij / (s[row] + s[col] - cij)
    return sp.csr_matrix((data, (row, col)), shape=(x.shape[1], x.shape[1]))


def density_matrix(m: sp.spmatrix, phi: sp.spmatrix) -> np.ndarray:
    r"""Relatedness density (dense regions x industries array, NaN where undefined).

    .. math:: \omega_{rp} = \frac{\sum_q M_{rq}\, \phi_{qp}}{\sum_q \phi_{qp}}

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0]]))
    >>> phi = sp.csr_matrix(np.array([[0, .5, .2], [.5, 0, .3], [.2, .3, 0]]))
    >>> density_matrix(m, phi).round(3).tolist()
    [[0.0, 0.625, 0.4], [0.714, 0.625, 1.0]]
    """
    phi = sp.csr_matrix(phi, dtype=np.float64)
    num = sp.csr_matrix(m, dtype=np.float64) @ phi
    num = num.toarray() if sp.issparse(num) else np.asarray(num)
    den = np.asarray(phi.sum(axis=0)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _pairs(mat: sp.spmatrix, labels: np.ndarray, name: str) -> pd.DataFrame:
    import pandas as pd

    coo = sp.coo_matrix(mat)
    lab = labels.astype(str)
    return pd.DataFrame({"industry_i": lab[coo.row], "industry_j": lab[coo.col], name: coo.data})


def proximity(panel: Panel, *, threshold: float = 1.0, diagonal: float = 0.0,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Proximity between industries per period: ``industry_i, industry_j, time, proximity``.

    :math:`\phi_{ij} = \min\{P(RCA_i \ge 1 \mid RCA_j \ge 1),\, P(RCA_j \ge 1 \mid RCA_i \ge 1)\}`
    (:func:`proximity_matrix`, with :math:`M = [RCA \ge` ``threshold`` :math:`]`). Only
    pairs with a non-zero proximity are listed, both orders.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product space
    conditions the development of nations. Science 317(5837), 482-487, eq. 1 (SOM).

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10)])
    >>> proximity(p).round(3).values.tolist()
    [['x', 'y', '1', 0.5], ['y', 'x', '1', 0.5]]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        m = checked_presence(pm, t, threshold)
        return _pairs(proximity_matrix(m, diagonal=diagonal), pm.industries, "proximity")

    return per_period(selection.for_matrix(panel, "proximity"), func)


def cooccurrence(panel: Panel, *, measure: Cooccurrence = "cosine",
                 binarize: bool = True,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """Co-occurrence similarity of industries across regions: ``industry_i, industry_j, time,
    <measure>`` (see :func:`cooccurrence_matrix` for the formulas).

    Works on any incidence panel (e.g. patents x technology classes, firms x products): with
    ``binarize=True`` a cell counts once if its value is positive, otherwise with its value.

    References
    ----------
    van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of
    some well-known similarity measures. JASIST 60(8), 1635-1651, eq. 6 (association
    strength), eq. 3 (cosine), eq. 5 (Jaccard). Balland, P.-A. (2017) EconGeo,
    ``relatedness()``.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 1), ("A", "y", 1, 1), ("B", "x", 1, 3),
    ...                         ("B", "z", 1, 1), ("C", "x", 1, 2), ("C", "y", 1, 1)])
    >>> cooccurrence(p, measure="jaccard").round(3).values.tolist()
    [['x', 'y', '1', 0.667], ['x', 'z', '1', 0.333], ['y', 'x', '1', 0.667], ['z', 'x', '1', 0.333]]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        x = incidence(pm.matrix, binarize)
        return _pairs(cooccurrence_matrix(x, measure), pm.industries, measure)

    return per_period(selection.for_matrix(panel, "cooccurrence"), func)


def _phi_from_frame(frame: pd.DataFrame, industries: np.ndarray) -> sp.csr_matrix:
    import pandas as pd

    missing = [c for c in ("industry_i", "industry_j", "proximity") if c not in frame.columns]
    if missing:
        raise MeasureError(msg("the proximity table lacks %(missing)s; its columns are %(what)s",
                           missing=missing, what=list(frame.columns)))
    pos = pd.Series(np.arange(len(industries)), index=industries.astype(str))
    i = pos.reindex(frame["industry_i"].astype(str)).to_numpy()
    j = pos.reindex(frame["industry_j"].astype(str)).to_numpy()
    ok = ~(np.isnan(i) | np.isnan(j))
    n = len(industries)
    return sp.csr_matrix((frame["proximity"].to_numpy(dtype=float)[ok],
                          (i[ok].astype(np.int64), j[ok].astype(np.int64))), shape=(n, n))


def density_period(pm: PanelMatrix, time: str, *, threshold: float = 1.0,
                   diagonal: float = 0.0, proximity: pd.DataFrame | None = None,
                   strict: bool = False,
                   ) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray, sp.csr_matrix]:
    """``(rca, M, density, phi)`` of one period's matrix (shared by CLI, outlook, dynamics).

    ``strict=True`` uses ``RCA > threshold`` (Stata ``ecomplexity``) for ``M``.
    """
    m = checked_presence(pm, time, threshold, strict=strict)
    r = rca(pm.matrix)
    phi = (proximity_matrix(m, diagonal=diagonal) if proximity is None
           else _phi_from_frame(proximity, pm.industries))
    return r, m, density_matrix(m, phi), phi


def relatedness_density(
    panel: Panel,
    *,
    threshold: float = 1.0,
    diagonal: float = 0.0,
    proximity: pd.DataFrame | None = None,
    strict: bool = False,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Relatedness density of each region around each industry, per period.

    .. math:: \omega_{rp} = \frac{\sum_q M_{rq}\, \phi_{qp}}{\sum_q \phi_{qp}}

    the share of the industries related to *p* in which *r* is specialised, weighted by
    proximity (0 to 1; EconGeo reports 100 times this). Returns ``region, industry, time,
    rca, m, density`` for every region x industry cell of each period.

    Parameters
    ----------
    threshold
        RCA cut-off for :math:`M_{rp}`.
    diagonal
        :math:`\phi_{pp}`; 0 by default (Stata ``ecomplexity``, EconGeo), 1 as the Python
        ``ecomplexity`` (see the module notes).
    proximity
        A table ``industry_i, industry_j, proximity`` to use instead of the proximity of
        each period (e.g. one computed on world data, or :func:`cooccurrence`, renamed).
    strict
        Use :math:`RCA > ` ``threshold`` (as Stata ``ecomplexity``) instead of ``>=``.

    References
    ----------
    Hidalgo, C. A., et al. (2007), Science 317, 482-487 (density, SOM eq. 2).
    Hidalgo, C. A., et al. (2018). The principle of relatedness. Springer Proceedings in
    Complexity, 451-457, eq. 1. Balland, P.-A., Boschma, R., Crespo, J., & Rigby, D. L.
    (2019). Smart specialization policy in the European Union: relatedness, knowledge
    complexity and regional diversification. Regional Studies 53(9), 1252-1268, eq. 2.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10)])
    >>> d = relatedness_density(p)
    >>> d[d.region == "A"][["industry", "m", "density"]].values.tolist()
    [['x', 1, 1.0], ['y', 1, 1.0], ['z', 0, nan]]
    """
    import pandas as pd

    selection = Selection(regions, industries, period, reference_region, total_industry)

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        r, m, dens, _ = density_period(pm, t, threshold=threshold, diagonal=diagonal,
                                       proximity=proximity, strict=strict)
        n_r, n_p = m.shape
        return pd.DataFrame({
            "region": np.repeat(pm.regions.astype(str), n_p),
            "industry": np.tile(pm.industries.astype(str), n_r),
            "rca": r.toarray().ravel(),
            "m": m.toarray().ravel().astype(np.int8),
            "density": dens.ravel(),
        })

    return per_period(selection.for_matrix(panel, "relatedness_density"), func)


def density_inside_outside(
    panel: Panel,
    *,
    threshold: float = 1.0,
    diagonal: float = 0.0,
    proximity: pd.DataFrame | None = None,
    strict: bool = False,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Average relatedness density inside and outside each region's portfolio.

    .. math::

        \bar\omega^{int}_r = \frac{\sum_p M_{rp}\,\omega_{rp}}{\sum_p M_{rp}}, \qquad
        \bar\omega^{ext}_r = \frac{\sum_p (1-M_{rp})\,\omega_{rp}}{\sum_p (1-M_{rp})}

    (EconGeo's ``relatedness.density.int.avg`` and ``relatedness.density.ext.avg``, the
    latter the "technological flexibility" of Balland et al. 2015; on a 0-1 scale and
    unrounded). The cell-level inside/outside densities are the ``density`` column of
    :func:`relatedness_density` where ``m`` is 1 or 0. Options as
    :func:`relatedness_density`. Returns ``region, time, density_int_avg,
    density_ext_avg``.

    References
    ----------
    Balland, P.-A., Rigby, D., & Boschma, R. (2015). The technological resilience of US
    cities. Cambridge Journal of Regions, Economy and Society 8(2), 167-184.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10)])
    >>> density_inside_outside(p).values.tolist()[0]
    ['A', '1', 1.0, nan]
    """
    d = relatedness_density(panel, threshold=threshold, diagonal=diagonal,
                            proximity=proximity, strict=strict, regions=regions,
                            industries=industries, period=period,
                            reference_region=reference_region,
                            total_industry=total_industry)
    d["int"] = d["density"].where(d["m"] == 1)
    d["ext"] = d["density"].where(d["m"] == 0)
    out = d.groupby(["region", "time"], as_index=False, sort=True)[["int", "ext"]].mean()
    return out.rename(columns={"int": "density_int_avg", "ext": "density_ext_avg"})
