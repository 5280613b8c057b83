"""Diversity and variety: how many things a region does, and how varied its mix is.

Counts of revealed comparative advantage (diversity of regions, ubiquity of industries),
Shannon entropy, related and unrelated variety (Frenken, Van Oort and Verburg 2007), and
EconGeo's normalised and inverse-normalised ubiquity. Counts use the shared sparse
kernels (:func:`~innesto.measures._kernels.rca`, :func:`~innesto.measures._kernels.binary`),
so they run on large sparse matrices; missing values are left out of the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures._kernels import binary, per_period, rca
from innesto.measures._structure import Codes, Period, Periods, Selection, per_period_rows, ratio
from innesto.panel import Panel, PanelMatrix

__all__ = [
    "diversity",
    "inverse_normalised_ubiquity",
    "normalised_ubiquity",
    "shannon_entropy",
    "ubiquity",
    "variety",
]


def _count(panel: Panel, key: str, threshold: float, incidence: bool,
           selection: Selection) -> pd.DataFrame:
    """Diversity (``key="region"``: presences summed along each row) or ubiquity
    (``key="industry"``: down each column) of every period."""
    name, axis = ("diversity", 1) if key == "region" else ("ubiquity", 0)

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        if incidence:
            m = binary(pm.matrix, threshold=np.nextafter(0.0, 1.0))
        else:
            m = binary(rca(pm.matrix), threshold=threshold)
        labels = pm.regions if axis == 1 else pm.industries
        return pd.DataFrame({key: labels.astype(str),
                             name: np.asarray(m.sum(axis=axis)).ravel().astype(np.int64)})

    return per_period(selection.for_matrix(panel, name), func)


def diversity(panel: Panel, *, threshold: float = 1.0, incidence: bool = False,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Diversity of each region: the number of industries with :math:`RCA \ge 1`.

    .. math:: k_{r,0} = \sum_i M_{ri}, \qquad M_{ri} = [\, RCA_{ri} \ge t \,]

    ``incidence=True`` reads the values as an incidence matrix already (any positive value
    counts), as EconGeo's ``diversity(mat)`` does with its default ``rca = FALSE``.
    Returns ``region, time, diversity``.

    References
    ----------
    Hidalgo, C. A. and Hausmann, R. (2009). The building blocks of economic complexity.
    *PNAS* 106(26), 10570-10575, eq. 1 with :math:`N = 0`. Balland, P.-A. and Rigby, D.
    (2017). The geography of complex knowledge. *Economic Geography* 93(1), 1-23.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> diversity(p)["diversity"].tolist()
    [1, 1]
    """
    return _count(panel, "region", threshold, incidence,
                  Selection(regions, industries, period, reference_region, total_industry))


def ubiquity(panel: Panel, *, threshold: float = 1.0, incidence: bool = False,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Ubiquity of each industry: the number of regions with :math:`RCA \ge 1` in it.

    .. math:: k_{i,0} = \sum_r M_{ri}

    Options as in :func:`diversity`. Returns ``industry, time, ubiquity``.

    References
    ----------
    Hidalgo, C. A. and Hausmann, R. (2009). The building blocks of economic complexity.
    *PNAS* 106(26), 10570-10575, eq. 2 with :math:`N = 0`.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> ubiquity(p)["ubiquity"].tolist()
    [1, 1]
    """
    return _count(panel, "industry", threshold, incidence,
                  Selection(regions, industries, period, reference_region, total_industry))


def _entropy(shares: np.ndarray, base: float) -> np.ndarray:
    """Row-wise :math:`\\sum s \\log_b(1/s)` over positive shares (NaN shares skipped)."""
    pos = np.nan_to_num(shares) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(pos, -shares * np.log(np.where(pos, shares, 1.0)), 0.0)
    return np.asarray(terms.sum(axis=-1) / np.log(base))


def shannon_entropy(panel: Panel, *, base: float = 2.0, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Shannon entropy of each region's industry shares.

    .. math:: H_r = \sum_{i:\, s_{ri} > 0} s_{ri} \log_b \frac{1}{s_{ri}}

    In bits by default (``base=2``, as EconGeo's ``entropy``, which adds :math:`10^{-9}`
    inside the logarithm and rounds to 3 decimals). The selection options are those of every measure
    (:class:`~innesto.measures._structure.Selection`). Returns ``region, time, entropy``.

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical
    Journal* 27(3), 379-423. Frenken, K., Van Oort, F. and Verburg, T. (2007). Related
    variety, unrelated variety and regional economic growth. *Regional Studies* 41(5),
    685-697.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> shannon_entropy(p)["entropy"].tolist()
    [1.0, 0.0]
    """
    def columns(p: Period) -> dict[str, np.ndarray]:
        h = _entropy(ratio(p.values, p.totals[:, None]), base)
        h[~(np.nan_to_num(p.totals) > 0)] = np.nan
        return {"entropy": h}

    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period_rows(panel, selection, "region", columns)


def _group_of(groups: Mapping[str, str] | Callable[[str], str],
              industries: np.ndarray) -> np.ndarray:
    if callable(groups):
        return np.asarray([str(groups(str(i))) for i in industries], dtype=object)
    unmapped = [str(i) for i in industries if str(i) not in groups]
    if unmapped:
        raise MeasureError(msg("no group for industry %(items)s%(what)s: the mapping must give "
                           "every fine code its coarse group",
                           items=', '.join(map(repr, unmapped[:10])),
                           what=' ...' if len(unmapped) > 10 else ''))
    return np.asarray([str(groups[str(i)]) for i in industries], dtype=object)


def variety(panel: Panel, *, groups: Mapping[str, str] | Callable[[str], str],
            base: float = 2.0, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Related and unrelated variety of each region (Frenken, Van Oort and Verburg 2007).

    With :math:`p_i` the share of fine industry :math:`i` (e.g. a 4-digit code) and
    :math:`S_g` the fine industries of coarse group :math:`g` (e.g. its 2-digit division),
    given by ``groups`` (a mapping or a function from fine code to group):

    .. math::

        P_g = \sum_{i \in S_g} p_i, \qquad
        UV = \sum_g P_g \log_2 \frac{1}{P_g}, \qquad
        H_g = \sum_{i \in S_g} \frac{p_i}{P_g} \log_2 \frac{P_g}{p_i}, \qquad
        RV = \sum_g P_g H_g

    Unrelated variety is the entropy between groups, related variety the weighted entropy
    within them, and :math:`UV + RV` is the entropy of the fine shares (Theil's
    decomposition theorem). The selection options are those of every measure
    (:class:`~innesto.measures._structure.Selection`). Returns
    ``region, time, entropy, unrelated_variety, related_variety``.

    References
    ----------
    Frenken, K., Van Oort, F. and Verburg, T. (2007). Related variety, unrelated variety
    and regional economic growth. *Regional Studies* 41(5), 685-697 (the decomposition
    above). Theil, H. (1972). *Statistical Decomposition Analysis*. North-Holland.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "C10", 2017, 1), ("R1", "C11", 2017, 1),
    ...                         ("R1", "J62", 2017, 2)])
    >>> v = variety(p, groups=lambda code: code[0])
    >>> v[["entropy", "unrelated_variety", "related_variety"]].iloc[0].tolist()
    [1.5, 1.0, 0.5]
    """
    def columns(p: Period) -> dict[str, np.ndarray]:
        share = ratio(p.values, p.totals[:, None])
        fine = _entropy(share, base)
        g = _group_of(groups, p.industries)
        labels, code = np.unique(g, return_inverse=True)
        member = sp.csr_matrix((np.ones(len(code)), (np.arange(len(code)), code)),
                               shape=(len(code), len(labels)))
        big = np.asarray(member.T @ np.nan_to_num(share).T).T  # regions x groups
        unrelated = _entropy(big, base)
        # RV = sum_g P_g H_g = sum_i p_i log(P_g(i) / p_i), written out (not fine - UV)
        p_fine = np.nan_to_num(share)
        pos = p_fine > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(pos, p_fine * np.log(np.where(pos, big[:, code] / p_fine, 1.0)),
                             0.0)
        related = terms.sum(axis=1) / np.log(base)
        dead = ~(np.nan_to_num(p.totals) > 0)
        for arr in (fine, unrelated, related):
            arr[dead] = np.nan
        return {"entropy": fine, "unrelated_variety": unrelated, "related_variety": related}

    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period_rows(panel, selection, "region", columns)


def _size_and_ubiquity(panel: Panel, name: str,
                       value: Callable[[np.ndarray, np.ndarray], np.ndarray],
                       selection: Selection) -> pd.DataFrame:
    """``value(x, u)`` per industry and period, from each industry's size :math:`X_i` and
    its ubiquity :math:`k_{i,0}` (RCA presences, as floats)."""

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        x = np.asarray(pm.matrix.sum(axis=0)).ravel()
        u = np.asarray(binary(rca(pm.matrix)).sum(axis=0)).ravel().astype(np.float64)
        return pd.DataFrame({"industry": pm.industries.astype(str), name: value(x, u)})

    return per_period(selection.for_matrix(panel, name), func)


def normalised_ubiquity(panel: Panel,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""EconGeo's normalised ubiquity: an industry's share of activity over its share of
    all RCA presences.

    .. math:: NU_i = \frac{X_i / X}{k_{i,0} / \sum_j k_{j,0}}

    Returns ``industry, time, normalised_ubiquity`` (NaN where the ubiquity is 0).
    EconGeo: ``norm_ubiquity`` (rounded to 2 decimals).

    References
    ----------
    Balland, P.-A. and Rigby, D. (2017). The geography of complex knowledge. *Economic
    Geography* 93(1), 1-23.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> normalised_ubiquity(p)["normalised_ubiquity"].tolist()
    [0.5, 1.5]
    """
    def value(x: np.ndarray, u: np.ndarray) -> np.ndarray:
        return ratio(x / x.sum(), ratio(u, u.sum()))

    return _size_and_ubiquity(panel, "normalised_ubiquity", value,
                              Selection(regions, industries, period, reference_region, total_industry))


def inverse_normalised_ubiquity(panel: Panel,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""EconGeo's inverse normalised ubiquity: the log of an industry's size over its
    ubiquity, times 100.

    .. math:: INU_i = 100 \, \frac{\ln X_i}{k_{i,0}}

    Returns ``industry, time, inverse_normalised_ubiquity`` (NaN where the ubiquity or the
    size is 0). EconGeo's ``inv_norm_ubiquity`` adds 0.001 inside the logarithm and rounds
    to 2 decimals.

    References
    ----------
    Balland, P.-A. and Rigby, D. (2017). The geography of complex knowledge. *Economic
    Geography* 93(1), 1-23.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> inverse_normalised_ubiquity(p).round(2)["inverse_normalised_ubiquity"].tolist()
    [69.31, 179.18]
    """
    def value(x: np.ndarray, u: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            logx = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        return 100.0 * ratio(logx, u)

    return _size_and_ubiquity(panel, "inverse_normalised_ubiquity", value,
                              Selection(regions, industries, period, reference_region, total_industry))
