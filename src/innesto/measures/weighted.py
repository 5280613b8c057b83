"""Weighted averages over a region x industry table (EconGeo's ``weighted_avg``).

A region's average of an industry attribute (e.g. PCI, wages, a technology score) weighted
by the region's own industry shares, or an industry's average of a region attribute
weighted by where the industry is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from innesto.errors import MeasureError
from innesto.i18n import N_, Message, msg
from innesto.measures._structure import Codes, Period, Periods, Selection, per_period_rows, ratio
from innesto.panel import Panel

__all__ = ["weighted_average"]


def weighted_average(panel: Panel, values: Mapping[str, float] | pd.Series, *,
                     by: Literal["region", "industry"] = "region",
                     regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    r"""Average of ``values`` weighted by the shares of the region x industry table.

    .. math::

        \bar v_r = \sum_i \frac{x_{ri}}{\sum_j x_{rj}} v_i \quad (\text{by="region"}), \qquad
        \bar v_i = \sum_r \frac{x_{ri}}{\sum_s x_{si}} v_r \quad (\text{by="industry"})

    ``values`` is keyed by industry (``by="region"``) or by region (``by="industry"``);
    a key it lacks is an error. Missing cells are left out. The selection options are those of
    every measure (:class:`~innesto.measures._structure.Selection`); the weights are
    always the cells' own sums, so ``reference_region`` changes nothing here. Returns ``region, time, weighted_average`` or
    ``industry, time, weighted_average``. EconGeo: ``weighted_avg(mat, vec, reg)``.

    References
    ----------
    Balland, P.-A. (2017). EconGeo: Computing key indicators of the spatial distribution
    of economic activities, R package, function ``weighted_avg``. Hausmann, R., Hwang, J.
    and Rodrik, D. (2007). What you export matters. *Journal of Economic Growth* 12(1),
    1-25 (EXPY: an export-share weighted average of PRODY).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2017, 1), ("R1", "B", 2017, 3),
    ...                         ("R2", "A", 2017, 2), ("R2", "B", 2017, 0)])
    >>> weighted_average(p, {"A": 10.0, "B": 20.0})["weighted_average"].tolist()
    [17.5, 10.0]
    >>> weighted_average(p, {"R1": 1.0, "R2": 4.0}, by="industry")["weighted_average"].tolist()
    [3.0, 1.0]
    """
    if by not in ("region", "industry"):
        raise MeasureError(msg("by must be 'region' or 'industry', not %(by)s", by=repr(by)))
    vec = pd.Series(values, dtype=np.float64)
    vec.index = vec.index.astype(str)
    def columns(p: Period) -> dict[str, np.ndarray]:
        keys = p.industries if by == "region" else p.regions
        missing = [k for k in keys if k not in vec.index]
        if missing:
            raise MeasureError(msg("no value for %(what)s %(items)s (period %(time)s)",
                               what=Message(N_('industry') if by == 'region' else N_('region')),
                               items=', '.join(map(repr, missing[:10])), time=repr(p.time)))
        v = vec.reindex(keys.astype(str)).to_numpy()
        x = np.nan_to_num(p.values)
        if by == "region":
            return {"weighted_average": ratio(x @ v, x.sum(axis=1))}
        return {"weighted_average": ratio(x.T @ v, x.sum(axis=0))}

    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period_rows(panel, selection, by, columns)
