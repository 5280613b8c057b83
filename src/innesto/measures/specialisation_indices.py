"""How specialised each region is: one number per region and period.

Krugman's dissimilarity index, Hoover's coefficient of specialisation, the
Herfindahl-Hirschman index, Theil's entropy index and the Gini coefficient of
specialisation. All compare a region's industry shares :math:`s_{ri} = x_{ri}/X_r` with
the benchmark's :math:`s_{Ri} = x_{Ri}/X_R` (see :func:`location_quotient` for the
options ``reference_region``, ``total_industry``, ``regions`` and ``industries``).
Missing cells are left out of the sums.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from innesto.measures._structure import (
    Codes,
    Period,
    Periods,
    Selection,
    curve,
    curve_gini,
    per_period_rows,
    ratio,
    usable,
)
from innesto.panel import Panel

__all__ = [
    "gini_specialisation",
    "herfindahl_index",
    "hoover_specialisation",
    "krugman_index",
    "theil_index",
]


def _per_region(panel: Panel, name: str, func: Callable[[Period], np.ndarray],
                selection: Selection) -> pd.DataFrame:
    return per_period_rows(panel, selection, "region",
                           lambda p: {name: np.where(usable(p), func(p), np.nan)})


def _shares(p: Period) -> tuple[np.ndarray, np.ndarray]:
    return ratio(p.values, p.totals[:, None]), ratio(p.bench, p.bench_total)


def _krugman(p: Period) -> np.ndarray:
    s, b = _shares(p)
    return np.nansum(np.abs(s - b[None, :]), axis=1)


def krugman_index(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Krugman's dissimilarity (specialisation) index, in :math:`[0, 2]`.

    .. math:: K_r = \sum_i \left| s_{ri} - s_{Ri} \right|

    0 when region :math:`r` has the benchmark's industry mix; 2 when they share no industry.
    Returns ``region, time, krugman``. EconGeo: ``krugman_index``.

    References
    ----------
    Krugman, P. (1991). *Geography and Trade*. MIT Press (the index of regional
    divergence between pairs of regions). Midelfart-Knarvik, K. H., Overman,
    H. G., Redding, S. J. and Venables, A. J. (2000). The location of European industry.
    *Economic Papers* 142, European Commission: the index against the rest of the economy.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> krugman_index(p)["krugman"].tolist()
    [0.5, 0.5]
    """
    return _per_region(panel, "krugman", _krugman, Selection(regions, industries, period, reference_region, total_industry))


def hoover_specialisation(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Hoover's coefficient of specialisation, in :math:`[0, 1]`: half Krugman's index.

    .. math:: CS_r = \tfrac12 \sum_i \left| s_{ri} - s_{Ri} \right|

    The share of the region's activity that would have to change industry for its mix to
    equal the benchmark's. Returns ``region, time, hoover_specialisation``.
    EconGeo: ``spec_coeff``.

    References
    ----------
    Hoover, E. M. and Giarratani, F. (1985). *An Introduction to Regional Economics*, 3rd
    ed., Knopf (the coefficient of specialisation; EconGeo points to table 9-4).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> hoover_specialisation(p)["hoover_specialisation"].tolist()
    [0.25, 0.25]
    """
    return _per_region(panel, "hoover_specialisation", lambda p: _krugman(p) / 2.0, Selection(regions, industries, period, reference_region, total_industry))


def _hhi(p: Period) -> np.ndarray:
    s, _ = _shares(p)
    return np.nansum(s * s, axis=1)


def herfindahl_index(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Herfindahl-Hirschman index of a region's industry shares, in :math:`(0, 1]`.

    .. math:: HHI_r = \sum_i s_{ri}^2

    1 when all activity is in one industry; :math:`1/N` when spread evenly over
    :math:`N`. Returns ``region, time, hhi``. EconGeo: ``herfindahl``.

    References
    ----------
    Hirschman, A. O. (1945). *National Power and the Structure of Foreign Trade*.
    University of California Press. Herfindahl, O. C. (1950). *Concentration in the Steel
    Industry*. PhD thesis, Columbia University.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> herfindahl_index(p)["hhi"].tolist()
    [0.5, 1.0]
    """
    return _per_region(panel, "hhi", _hhi, Selection(regions, industries, period, reference_region, total_industry))


def _theil(relative: bool) -> Callable[[Period], np.ndarray]:
    def func(p: Period) -> np.ndarray:
        s, b = _shares(p)
        if relative:
            ref = np.broadcast_to(b[None, :], s.shape)
        else:
            ref = np.full(s.shape, 1.0 / s.shape[1])
        pos = np.nan_to_num(s) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(pos, s * np.log(ratio(s, ref)), 0.0)
        out = np.nansum(terms, axis=1)
        # a share where the benchmark has none: the divergence is infinite, not computable
        bad = (pos & ~(np.nan_to_num(ref) > 0)).any(axis=1)
        out[bad] = np.nan
        return out

    return func


def theil_index(panel: Panel, *, relative: bool = True, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Theil's entropy index of specialisation (natural logarithm).

    .. math::

        T_r = \sum_{i:\, s_{ri} > 0} s_{ri} \ln \frac{s_{ri}}{s_{Ri}}
        \quad\text{(relative)}, \qquad
        T_r^{abs} = \sum_{i:\, s_{ri} > 0} s_{ri} \ln (N s_{ri}) = \ln N - H_r
        \quad\text{(absolute)}

    The relative index is the Kullback-Leibler divergence of the region's shares from the
    benchmark's (0 when equal); the absolute one compares with an even spread over the
    :math:`N` industries (:math:`H_r` is the Shannon entropy in nats). NaN where a region
    has activity in an industry the benchmark lacks. Returns ``region, time, theil``.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Brülhart, M. and Traeger, R. (2005). An account of geographic concentration patterns in
    Europe. *Regional Science and Urban Economics* 35(6), 597-624 (relative and absolute
    Theil indices).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> theil_index(p).round(4)["theil"].tolist()
    [0.1438, 0.2877]
    >>> theil_index(p, relative=False).round(4)["theil"].tolist()
    [0.0, 0.6931]
    """
    return _per_region(panel, "theil", _theil(relative), Selection(regions, industries, period, reference_region, total_industry))


def _gini_spec(p: Period) -> np.ndarray:
    s, b = _shares(p)
    out = np.full(len(p.regions), np.nan)
    for r in range(len(p.regions)):
        out[r] = curve_gini(*curve(b, s[r]))
    return out


def gini_specialisation(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Gini coefficient of specialisation, in :math:`[0, 1)`.

    Sort the industries of region :math:`r` by increasing location quotient and plot the
    cumulative benchmark shares :math:`X_k = \sum_{j \le k} s_{Rj}` against the
    cumulative regional shares :math:`Y_k = \sum_{j \le k} s_{rj}` (both rescaled to end
    at 1). The coefficient is twice the area between this curve and the diagonal:

    .. math:: G_r = \sum_{k=0}^{N-1} \left( X_k Y_{k+1} - X_{k+1} Y_k \right)

    0 when the region's mix equals the benchmark's. Returns
    ``region, time, gini_specialisation``.

    References
    ----------
    Amiti, M. (1999). Specialization patterns in Europe. *Weltwirtschaftliches Archiv*
    135(4), 573-593 (Gini coefficients of specialisation from Balassa indices).
    Krugman, P. (1991). *Geography and Trade*. MIT Press.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> gini_specialisation(p)["gini_specialisation"].tolist()
    [0.25, 0.25]
    """
    return _per_region(panel, "gini_specialisation", _gini_spec, Selection(regions, industries, period, reference_region, total_industry))
