r"""PRODY and EXPY (Hausmann, Hwang & Rodrik 2007): the income level associated with a
product, and the productivity level of a region's export basket.

.. math::

    PRODY_p = \sum_r \frac{x_{rp} / X_r}{\sum_{r'} x_{r'p} / X_{r'}}\, Y_r, \qquad
    EXPY_r = \sum_p \frac{x_{rp}}{X_r}\, PRODY_p

with :math:`X_r = \sum_p x_{rp}` and :math:`Y_r` GDP per capita. The weights of PRODY are
RCAs normalised to sum to one (EconGeo's ``prody``: ``(Y %*% RCA) / colSums(RCA)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures._kernels import per_period
from innesto.measures._structure import Codes, Periods, Selection
from innesto.measures.complexity import check_values
from innesto.panel import Panel, PanelMatrix


def _income(gdp_per_capita: pd.Series, pm: PanelMatrix, time: str) -> np.ndarray:
    s = gdp_per_capita
    if isinstance(s.index, pd.MultiIndex):
        s = s.xs(time, level=1) if time in s.index.get_level_values(1).astype(str) else s.iloc[:0]
    s = pd.Series(s.to_numpy(dtype=float), index=s.index.astype(str))
    y = s.reindex(pm.regions.astype(str)).to_numpy()
    if not np.isfinite(y).any():
        raise MeasureError(msg("period %(time)s: no region of the panel has a GDP per capita (the "
                           "series is indexed by %(what)s...)", time=repr(time),
                           what=list(s.index[:3])))
    return y


def _prody_period(pm: PanelMatrix, y: np.ndarray) -> np.ndarray:
    x = sp.csr_matrix(pm.matrix, dtype=np.float64)
    ok = np.isfinite(y) & (y > 0)
    total = np.asarray(x.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = sp.csr_matrix(sp.diags(np.where((total > 0) & ok, 1.0 / total, 0.0)) @ x)
        num = np.asarray(shares.T @ np.where(ok, y, 0.0)).ravel()
        den = np.asarray(shares.sum(axis=0)).ravel()
        return np.where(den > 0, num / den, np.nan)


def prody(panel: Panel, gdp_per_capita: pd.Series,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """PRODY per industry and period: ``industry, time, prody``.

    ``gdp_per_capita`` is a Series indexed by region (used for every period) or by
    (region, time). Regions without a positive GDP per capita are left out of the sums
    (as Hausmann, Hwang & Rodrik use the countries with income data); an industry only
    they export gets NaN.

    References
    ----------
    Hausmann, R., Hwang, J., & Rodrik, D. (2007). What you export matters. Journal of
    Economic Growth 12(1), 1-25, eq. 1 (PRODY) and eq. 2 (EXPY).

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "y", 1, 1)])
    >>> prody(p, pd.Series({"A": 1000.0, "B": 3000.0}))["prody"].round(1).tolist()
    [2285.7, 1333.3]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "prody")

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        check_values(pm, t)
        return pd.DataFrame({"industry": pm.industries.astype(str),
                             "prody": _prody_period(pm, _income(gdp_per_capita, pm, t))})

    return per_period(panel, func)


def expy(panel: Panel, gdp_per_capita: pd.Series,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """EXPY per region and period: ``region, time, expy`` (every region, with or without a
    GDP figure; industries with NaN PRODY are left out of the basket).

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "y", 1, 1)])
    >>> expy(p, pd.Series({"A": 1000.0, "B": 3000.0}))["expy"].round(1).tolist()
    [1809.5, 2190.5]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "expy")

    def func(pm: PanelMatrix, t: str) -> pd.DataFrame:
        check_values(pm, t)
        pr = _prody_period(pm, _income(gdp_per_capita, pm, t))
        x = sp.csr_matrix(pm.matrix, dtype=np.float64)
        known = np.isfinite(pr)
        basket = np.asarray(x @ known.astype(np.float64)).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            e = np.asarray(x @ np.where(known, pr, 0.0)).ravel() / basket
        return pd.DataFrame({"region": pm.regions.astype(str), "expy": e})

    return per_period(panel, func)
