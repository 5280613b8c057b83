"""Specialisation: the location quotient (Balassa's revealed comparative advantage) and the
indices built on it.

Every function takes a :class:`~innesto.panel.Panel`, works period by period over a
multi-year panel in one call, and returns a tidy DataFrame. The benchmark is, by default,
the total of all regions in the input and each region's total is the sum over its
industries; tables that mix levels (Eurostat's ``IT``, ``ITC1``, ``ITC11`` and ``TOTAL``,
``B-E``, ``C``) name the benchmark row with ``reference_region`` and the total column with
``total_industry``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from innesto.measures._structure import (
    Codes,
    Period,
    Periods,
    Selection,
    per_period_rows,
    periods,
    ratio,
    usable,
)
from innesto.panel import Panel

__all__ = [
    "average_location_quotient",
    "hachman_index",
    "location_quotient",
    "rca_binary",
    "symmetric_location_quotient",
]


def _lq_rows(p: Period) -> pd.DataFrame:
    share_in_region = ratio(p.row_value, p.totals[p.row_r])
    bench_share = ratio(p.bench, p.bench_total)
    lq = ratio(share_in_region, bench_share[p.row_i])
    # labels are sorted, so sorting the codes sorts by (region, industry); `take` on the
    # small label arrays is much faster than converting every row's string
    order = np.lexsort((p.row_i, p.row_r))
    return pd.DataFrame({
        "region": pd.array(p.regions.tolist(), dtype="str").take(p.row_r[order]),
        "industry": pd.array(p.industries.tolist(), dtype="str").take(p.row_i[order]),
        "time": p.time, "lq": lq[order]})


def location_quotient(
    panel: Panel,
    *,
    regions: Codes = None,
    industries: Codes = None,
    period: Periods = None,
    reference_region: str | None = None,
    total_industry: str | None = None,
) -> pd.DataFrame:
    r"""Location quotient (Balassa's revealed comparative advantage) of every region and industry.

    .. math::

        LQ_{ri} = \frac{x_{ri} / X_r}{x_{Ri} / X_R}

    where :math:`x_{ri}` is the value of industry :math:`i` in region :math:`r`,
    :math:`X_r` the region's total, :math:`x_{Ri}` the benchmark's value of industry
    :math:`i` and :math:`X_R` the benchmark's total. By default :math:`X_r = \sum_i x_{ri}`,
    :math:`x_{Ri} = \sum_r x_{ri}` and :math:`X_R = \sum_{ri} x_{ri}` over the regions and
    industries of the input (the same numbers as :func:`innesto.measures._kernels.rca`).

    Parameters
    ----------
    panel
        The panel; every period is measured.
    reference_region
        Use this region's row as the benchmark (e.g. ``"IT"`` for Italy) instead of the
        sum over all regions.
    total_industry
        Use this industry as each region's total (e.g. ``"TOTAL"``) instead of the sum over
        industries; it is left out of the output.
    regions, industries
        The regions and industries to measure (and, without ``reference_region``, to sum
        into the benchmark). Default: all, except ``total_industry``.
    period
        One period or several to measure. Default: every period.

    These five options are the same for every measure
    (:class:`~innesto.measures._structure.Selection`).

    Returns
    -------
    pandas.DataFrame
        ``region, industry, time, lq``: one row per input row in the selection. ``lq`` is
        NaN where the value is missing or the region's total or the benchmark's value is 0.

    References
    ----------
    Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage.
    *The Manchester School* 33(2), 99-123 (the export-share ratio index).
    Hoover, E. M. and Giarratani, F. (1985). *An Introduction to Regional Economics*,
    3rd ed., Knopf: the location quotient as a ratio of shares.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> location_quotient(p).round(3).to_dict("list")["lq"]
    [2.0, 0.667, 0.0, 1.333]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    frames = [_lq_rows(p) for p in periods(panel, selection)]
    return pd.concat(frames, ignore_index=True)


def rca_binary(panel: Panel, *, threshold: float = 1.0, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Binary revealed comparative advantage: :math:`M_{ri} = 1` if :math:`LQ_{ri} \ge t`.

    .. math:: M_{ri} = [\, LQ_{ri} \ge t \,], \qquad t = 1 \text{ by default}

    The selection options are those of every measure (:class:`~innesto.measures._structure.Selection`). Returns ``region, industry, time, m``
    (nullable integer: missing where ``lq`` is NaN). EconGeo's ``location_quotient(mat,
    binary = TRUE)`` sets values above 1 to 1 and below 1 to 0, so 1 itself counts: the same.

    References
    ----------
    Hidalgo, C. A. and Hausmann, R. (2009). The building blocks of economic complexity.
    *PNAS* 106(26), 10570-10575: :math:`M_{cp} = 1` if :math:`RCA_{cp} \ge 1`.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> rca_binary(p)["m"].tolist()
    [1, 0, 0, 1]
    """
    out = location_quotient(panel, regions=regions, industries=industries, period=period,
        reference_region=reference_region, total_industry=total_industry)
    lq = out.pop("lq")
    out["m"] = pd.array(np.where(lq >= threshold, 1, 0), dtype="Int8")
    out.loc[lq.isna(), "m"] = pd.NA
    return out


def symmetric_location_quotient(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Symmetric location quotient, in :math:`(-1, 1)`: above 0 means specialised.

    .. math:: SLQ_{ri} = \frac{LQ_{ri} - 1}{LQ_{ri} + 1}

    The selection options are those of every measure (:class:`~innesto.measures._structure.Selection`). Returns
    ``region, industry, time, slq``.

    References
    ----------
    Dalum, B., Laursen, K. and Villumsen, G. (1998). Structural change in OECD export
    specialisation patterns: de-specialisation and "stickiness". *International Review of
    Applied Economics* 12(3), 423-443 (the revealed symmetric comparative advantage, RSCA).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> symmetric_location_quotient(p).round(3)["slq"].tolist()
    [0.333, -0.2, -1.0, 0.143]
    """
    out = location_quotient(panel, regions=regions, industries=industries, period=period,
        reference_region=reference_region, total_industry=total_industry)
    lq = out.pop("lq").to_numpy(dtype=np.float64)
    out["slq"] = ratio(lq - 1.0, lq + 1.0)
    return out


def _average_lq(p: Period) -> np.ndarray:
    share = ratio(p.values, p.totals[:, None])
    bench_share = ratio(p.bench, p.bench_total)
    lq = ratio(share, bench_share[None, :])
    with np.errstate(invalid="ignore"):
        terms = np.where(share > 0, share * lq, 0.0)
    avg = np.nansum(terms, axis=1)
    avg[~usable(p)] = np.nan
    return avg


def average_location_quotient(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Each region's location quotients averaged with its own industry shares.

    .. math::

        \overline{LQ}_r = \sum_i s_{ri}\, LQ_{ri} = \sum_i \frac{s_{ri}^2}{s_{Ri}},
        \qquad s_{ri} = x_{ri}/X_r,\; s_{Ri} = x_{Ri}/X_R

    It is 1 for a region whose industry mix equals the benchmark's and grows with
    specialisation. The selection options are those of every measure (:class:`~innesto.measures._structure.Selection`). Returns
    ``region, time, average_lq``. EconGeo: ``location_quotient_avg``.

    References
    ----------
    Hoover, E. M. and Giarratani, F. (1985). *An Introduction to Regional Economics*, 3rd
    ed., Knopf. Boschma, R., Balland, P.-A. and Kogler, D. (2015). Relatedness and
    technological change in cities. *Industrial and Corporate Change* 24(1), 223-250.

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> average_location_quotient(p).round(4)["average_lq"].tolist()
    [1.3333, 1.3333]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period_rows(panel, selection, "region", lambda p: {"average_lq": _average_lq(p)})


def hachman_index(panel: Panel, *, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Hachman index: how closely a region's industry mix resembles the benchmark's.

    .. math::

        HI_r = \left( \sum_i s_{ri}\, LQ_{ri} \right)^{-1}
             = \left( \sum_i \frac{s_{ri}^2}{s_{Ri}} \right)^{-1}

    1 when the region's shares equal the benchmark's, towards 0 the more they differ.
    The selection options are those of every measure (:class:`~innesto.measures._structure.Selection`). Returns ``region, time, hachman``.
    EconGeo: ``hachman``.

    References
    ----------
    Mack, E., Grubesic, T. H. and Kessler, E. (2007). Indices of industrial diversity and
    regional economic composition. *Growth and Change* 38(3), 474-509 (the Hachman index).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
    ...                         ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    >>> hachman_index(p)["hachman"].tolist()
    [0.75, 0.75]
    """
    out = average_location_quotient(panel, regions=regions, industries=industries, period=period,
        reference_region=reference_region, total_industry=total_industry)
    out["hachman"] = ratio(np.ones(len(out)), out.pop("average_lq").to_numpy())
    return out
