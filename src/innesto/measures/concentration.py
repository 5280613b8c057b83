"""How concentrated each industry is across regions: Hoover, locational Gini, Lorenz.

One number (or one curve) per industry and period. The regions are compared with a
*population*: each region's total activity (``"total"``, the default: the localisation
view of Hoover 1936 and Krugman 1991), an even spread (``"equal"``, EconGeo's default for
``hoover_index``), or any per-region series such as residents. A region whose value or
population is missing is left out of that industry's curve (as EconGeo's
``complete.cases``). The options ``total_industry``, ``regions`` and ``industries`` are
those of :func:`~innesto.measures.specialisation.location_quotient`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

from innesto.errors import MeasureError
from innesto.i18n import msg, nmsg
from innesto.measures._structure import (
    Codes,
    Period,
    Periods,
    Selection,
    curve,
    curve_gini,
    per_period_rows,
    periods,
    ratio,
)
from innesto.panel import Panel

__all__ = [
    "gini",
    "hoover_curve",
    "hoover_gini",
    "hoover_index",
    "locational_gini",
    "locational_gini_curve",
    "lorenz_curve",
]

Population = Literal["total", "equal"] | Mapping[str, float] | pd.Series


def _population(p: Period, population: Population) -> np.ndarray:
    if isinstance(population, str):
        if population == "total":
            return p.totals
        if population == "equal":
            return np.ones(len(p.regions))
        raise MeasureError(msg("population must be 'total', 'equal' or a series, not "
                           "%(population)s", population=repr(population)))
    series = pd.Series(population, dtype=np.float64)
    series.index = series.index.astype(str)
    missing = [r for r in p.regions if r not in series.index]
    if missing:
        raise MeasureError(nmsg("no population for region(s) %(items)s (period %(time)s); the "
                                "population series covers %(n)d regions",
                                "no population for region(s) %(items)s (period %(time)s); the "
                                "population series covers %(n)d regions",
                                len(series), items=', '.join(map(repr, missing[:10])), time=repr(p.time)))
    return series.reindex(p.regions.astype(str)).to_numpy(dtype=np.float64)


def _per_industry(panel: Panel, name: str, population: Population,
                  func: Callable[[np.ndarray, np.ndarray], float],
                  selection: Selection) -> pd.DataFrame:
    def columns(p: Period) -> dict[str, np.ndarray]:
        pop = _population(p, population)
        return {name: np.asarray([func(p.values[:, j], pop) for j in range(len(p.industries))],
                                 dtype=np.float64)}

    return per_period_rows(panel, selection, "industry", columns)


def _hoover(ind: np.ndarray, pop: np.ndarray) -> float:
    ok = np.isfinite(ind) & np.isfinite(pop)
    ind, pop = ind[ok], pop[ok]
    if ind.sum() == 0 or pop.sum() == 0:
        return float("nan")
    return float(0.5 * np.abs(ind / ind.sum() - pop / pop.sum()).sum())


def hoover_index(panel: Panel, *, population: Population = "total",
                 regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Hoover's index of localisation of each industry, in :math:`[0, 1]`.

    .. math:: H_i = \tfrac12 \sum_r \left| \frac{x_{ri}}{x_i} - \frac{P_r}{P} \right|

    the share of the industry that would have to move for it to be spread like the
    population :math:`P_r`. Returns ``industry, time, hoover``. EconGeo's
    ``hoover_index`` gives :math:`100 H_i` rounded to 2 decimals and defaults to
    ``population="equal"``.

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. *The Review of
    Economics and Statistics* 18(4), 162-171.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 0), ("R2", "A", 2017, 10),
    ...     ("R3", "A", 2017, 10), ("R4", "A", 2017, 30), ("R5", "A", 2017, 50)])
    >>> pop = {"R1": 10, "R2": 15, "R3": 20, "R4": 25, "R5": 30}
    >>> hoover_index(p, population=pop)["hoover"].tolist()
    [0.25]
    """
    return _per_industry(panel, "hoover", population, _hoover, Selection(regions, industries, period, reference_region, total_industry))


def _hoover_gini(ind: np.ndarray, pop: np.ndarray) -> float:
    return curve_gini(*curve(pop, ind))


def hoover_gini(panel: Panel, *, population: Population = "total",
                regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Gini coefficient of the Hoover curve of each industry, in :math:`[0, 1)`.

    With regions sorted by increasing :math:`x_{ri}/P_r`, :math:`X_k` the cumulative
    population share and :math:`Y_k` the cumulative share of the industry (both from 0 to
    1), twice the area between the curve and the diagonal:

    .. math:: G_i = \sum_{k=0}^{n-1} \left( X_k Y_{k+1} - X_{k+1} Y_k \right)

    Returns ``industry, time, hoover_gini``. EconGeo: ``hoover_gini`` (rounded to 3).

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. *The Review of
    Economics and Statistics* 18(4), 162-171.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 0), ("R2", "A", 2017, 10),
    ...     ("R3", "A", 2017, 10), ("R4", "A", 2017, 30), ("R5", "A", 2017, 50)])
    >>> pop = {"R1": 10, "R2": 15, "R3": 20, "R4": 25, "R5": 30}
    >>> hoover_gini(p, population=pop).round(6)["hoover_gini"].tolist()
    [0.31]
    """
    return _per_industry(panel, "hoover_gini", population, _hoover_gini, Selection(regions, industries, period, reference_region, total_industry))


def locational_gini(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Krugman's locational Gini of each industry, in :math:`[0, 0.5)`.

    The area between the diagonal and the localisation curve: regions sorted by
    increasing location quotient, cumulative share of total activity :math:`X_k` against
    cumulative share of the industry :math:`Y_k`,

    .. math:: LG_i = \tfrac12 \sum_{k=0}^{n-1} \left( X_k Y_{k+1} - X_{k+1} Y_k \right)

    i.e. half the :func:`hoover_gini` with ``population="total"``. 0 when the industry is
    spread like all activity. Returns ``industry, time, locational_gini``. EconGeo:
    ``locational_gini``.

    References
    ----------
    Krugman, P. (1991). *Geography and Trade*. MIT Press, ch. 2, p. 56 (as cited by EconGeo).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> locational_gini(p).round(4)["locational_gini"].tolist()
    [0.25, 0.0833]
    """
    out = hoover_gini(panel, population="total", regions=regions, industries=industries, period=period,
        reference_region=reference_region, total_industry=total_industry)
    out["locational_gini"] = out.pop("hoover_gini") / 2.0
    return out


def _curves(panel: Panel, population: Population, xname: str,
            selection: Selection) -> pd.DataFrame:
    frames = []
    for p in periods(panel, selection):
        pop = _population(p, population)
        n, m = p.values.shape
        ok = np.isfinite(p.values) & np.isfinite(pop)[:, None]
        x = np.where(ok, pop[:, None], 0.0)
        y = np.where(ok, p.values, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            key = np.where(x > 0, y / np.where(x > 0, x, 1.0), np.where(y > 0, np.inf, 0.0))
        key[~ok] = np.nan  # numpy sorts NaN last: left-out regions come after the curve
        order = np.argsort(key, axis=0, kind="stable")
        cx = np.vstack([np.zeros(m), np.cumsum(np.take_along_axis(x, order, 0), axis=0)])
        cy = np.vstack([np.zeros(m), np.cumsum(np.take_along_axis(y, order, 0), axis=0)])
        cx, cy = ratio(cx, cx[-1]), ratio(cy, cy[-1])
        labels = np.vstack([np.full((1, m), None, dtype=object), p.regions[order]])
        step = np.broadcast_to(np.arange(n + 1)[:, None], (n + 1, m))
        keep = step <= ok.sum(axis=0)[None, :]  # origin plus the complete cases
        cols = np.broadcast_to(np.arange(m)[None, :], (n + 1, m))
        # industry by industry (column-major), steps in order
        sel = keep.T
        frames.append(pd.DataFrame({
            "industry": p.industries[cols.T[sel]].astype(str), "time": p.time,
            "step": step.T[sel], "region": labels.T[sel], xname: cx.T[sel],
            "cum_value": cy.T[sel],
        }))
    return pd.concat(frames, ignore_index=True)


def hoover_curve(panel: Panel, *, population: Population = "total",
                 regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Coordinates of each industry's Hoover curve, from (0, 0) to (1, 1).

    Regions sorted by increasing :math:`x_{ri}/P_r`; step :math:`k` adds region
    :math:`k`: ``cum_population`` :math:`= \sum_{j\le k} P_j / P`, ``cum_value``
    :math:`= \sum_{j\le k} x_{ji} / x_i`. Step 0 is the origin (``region`` missing).
    Returns ``industry, time, step, region, cum_population, cum_value``. EconGeo:
    ``hoover_curve(..., plot = FALSE)``.

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. *The Review of
    Economics and Statistics* 18(4), 162-171.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 0), ("R2", "A", 2017, 10),
    ...     ("R3", "A", 2017, 10), ("R4", "A", 2017, 30), ("R5", "A", 2017, 50)])
    >>> pop = {"R1": 10, "R2": 15, "R3": 20, "R4": 25, "R5": 30}
    >>> c = hoover_curve(p, population=pop)
    >>> c["region"].tolist()[1:], c["cum_value"].round(2).tolist()
    (['R1', 'R3', 'R2', 'R4', 'R5'], [0.0, 0.0, 0.1, 0.2, 0.5, 1.0])
    """
    return _curves(panel, population, "cum_population", Selection(regions, industries, period, reference_region, total_industry))


def locational_gini_curve(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    """Coordinates of each industry's localisation curve (the curve of
    :func:`locational_gini`): :func:`hoover_curve` against each region's total activity.

    Returns ``industry, time, step, region, cum_population, cum_value``. EconGeo:
    ``locational_gini_curve``.

    References
    ----------
    Krugman, P. (1991). *Geography and Trade*. MIT Press, ch. 2, p. 56.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> locational_gini_curve(p).query("industry == 'A'")["cum_population"].tolist()
    [0.0, 0.5, 1.0]
    """
    return hoover_curve(panel, population="total", regions=regions, industries=industries, period=period,
        reference_region=reference_region, total_industry=total_industry)


def lorenz_curve(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Coordinates of each industry's Lorenz curve across regions (equal weights).

    Regions sorted by increasing value; ``cum_regions`` :math:`= k/n`, ``cum_value``
    :math:`= \sum_{j \le k} x_{(j)i} / x_i`. Returns
    ``industry, time, step, region, cum_regions, cum_value``. EconGeo:
    ``lorenz_curve(..., plot = FALSE)``.

    References
    ----------
    Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. *Publications
    of the American Statistical Association* 9(70), 209-219.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 0), ("R2", "A", 2017, 10),
    ...     ("R3", "A", 2017, 10), ("R4", "A", 2017, 30), ("R5", "A", 2017, 50)])
    >>> lorenz_curve(p)["cum_value"].round(2).tolist()
    [0.0, 0.0, 0.1, 0.2, 0.5, 1.0]
    """
    return _curves(panel, "equal", "cum_regions", Selection(regions, industries, period, reference_region, total_industry))


def gini(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Gini coefficient of each industry's distribution across regions (equal weights).

    .. math::

        G_i = \frac{\sum_r \sum_{s} |x_{ri} - x_{si}|}{2 n^2 \bar{x}_i}
            = \sum_{k=0}^{n-1} \left( \tfrac{k}{n} Y_{k+1} - \tfrac{k+1}{n} Y_k \right)

    with :math:`Y_k` the Lorenz curve; at most :math:`(n-1)/n`. Returns
    ``industry, time, gini``. EconGeo: ``gini`` (rounded to 3).

    References
    ----------
    Gini, C. (1921). Measurement of inequality of incomes. *The Economic Journal* 31(121),
    124-126.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 0), ("R2", "A", 2017, 10),
    ...     ("R3", "A", 2017, 10), ("R4", "A", 2017, 30), ("R5", "A", 2017, 50)])
    >>> gini(p).round(6)["gini"].tolist()
    [0.48]
    """
    return _per_industry(panel, "gini", "equal", _hoover_gini, Selection(regions, industries, period, reference_region, total_industry))
