"""Growth tables: percentage change of industries, regions or cells between periods.

The equivalents of EconGeo's ``growth_ind``, ``growth_reg`` and ``growth_mat`` (two
periods) and ``growth_list``, ``growth_list_ind`` and ``growth_list_reg`` (every pair of
consecutive periods).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures._structure import Codes, Periods, Selection, ratio
from innesto.panel import Panel

__all__ = ["growth"]

By = Literal["industry", "region", "cell"]
_KEYS: dict[str, list[str]] = {"industry": ["industry"], "region": ["region"],
                               "cell": ["region", "industry"]}


def _levels(panel: Panel, by: By, total_industry: str | None,
            regions: Sequence[str] | None, industries: Sequence[str] | None) -> pd.Series:
    df = panel.to_pandas()[["region", "industry", "time", "value"]]
    if regions is not None:
        df = df[df["region"].isin([str(r) for r in regions])]
    if by == "region" and total_industry is not None:
        df = df[df["industry"] == total_industry]
    elif industries is not None:
        df = df[df["industry"].isin([str(i) for i in industries])]
    elif total_industry is not None:
        df = df[df["industry"] != total_industry]
    if df.empty:
        raise MeasureError(msg("no rows left to measure growth on"))
    keys = [*_KEYS[by], "time"]
    # missing values are left out of sums; a key whose values are all missing stays NaN
    return df.groupby(keys, sort=True)["value"].sum(min_count=1)


def growth(
    panel: Panel,
    *,
    by: By = "industry",
    start: str | int | None = None,
    end: str | int | None = None,
    total_industry: str | None = None,
    regions: Codes = None,
    industries: Codes = None,
    period: Periods = None,
    reference_region: str | None = None,
) -> pd.DataFrame:
    r"""Percentage growth of each industry, region or cell between periods.

    .. math:: g = 100 \, \frac{x^{1} - x^{0}}{x^{0}}

    where :math:`x` is an industry's sum over regions (``by="industry"``), a region's
    total (``by="region"``: its ``total_industry`` value, or the sum over industries) or
    one region x industry value (``by="cell"``). With ``start`` and ``end`` one comparison
    is made; without them, one per pair of consecutive periods (of ``period``, when given).
    Growth is a region's own change, with no benchmark: ``reference_region`` is an error.

    Returns
    -------
    pandas.DataFrame
        The keys (``industry``, ``region`` or both), ``base`` (the earlier period),
        ``time`` (the later one), ``value_base``, ``value`` and ``growth`` (percent; NaN
        where the base is 0 or a value is missing, where EconGeo gives 0 or ``Inf``).

    References
    ----------
    Boschma, R., Balland, P.-A. and Kogler, D. (2015). Relatedness and technological
    change in cities. *Industrial and Corporate Change* 24(1), 223-250 (EconGeo's growth
    tables).

    Examples
    --------
    >>> p = Panel.from_records([("R1", "A", 2016, 10), ("R1", "A", 2017, 12),
    ...                         ("R2", "A", 2016, 30), ("R2", "A", 2017, 28)])
    >>> growth(p)["growth"].tolist()
    [0.0]
    >>> growth(p, by="region")["growth"].tolist()
    [20.0, -6.666666666666667]
    """
    if by not in _KEYS:
        raise MeasureError(msg("by must be 'industry', 'region' or 'cell', not %(by)s",
                           by=repr(by)))
    if reference_region is not None:
        raise MeasureError(msg("growth compares each region with itself; it takes no "
                           "reference_region= (got %(reference_region)s)",
                           reference_region=repr(reference_region)))
    Selection(regions, industries, period, None, total_industry).validate(panel)
    if period is not None:
        panel = panel.filter(time=period)
    if isinstance(regions, str):
        regions = [regions]
    if isinstance(industries, str):
        industries = [industries]
    levels = _levels(panel, by, total_industry, regions, industries)
    times = panel.times
    if (start is None) != (end is None):
        raise MeasureError(msg("give both start and end, or neither (consecutive periods)"))
    if start is not None and end is not None:
        for t in (str(start), str(end)):
            if t not in times:
                raise MeasureError(msg("period %(t)s not in the panel; the periods are %(items)s",
                                   t=repr(t), items=', '.join(times)))
        pairs = [(str(start), str(end))]
    else:
        pairs = list(zip(times[:-1], times[1:], strict=True))
    if not pairs:
        raise MeasureError(msg("growth needs at least two periods"))
    wide = levels.unstack("time")
    frames = []
    for t0, t1 in pairs:
        v0 = wide[t0] if t0 in wide else pd.Series(np.nan, index=wide.index)
        v1 = wide[t1] if t1 in wide else pd.Series(np.nan, index=wide.index)
        a0 = v0.to_numpy(dtype=np.float64, na_value=np.nan)
        a1 = v1.to_numpy(dtype=np.float64, na_value=np.nan)
        out = wide.index.to_frame(index=False)
        out["base"] = t0
        out["time"] = t1
        out["value_base"] = a0
        out["value"] = a1
        out["growth"] = 100.0 * ratio(a1 - a0, a0)
        frames.append(out)
    return pd.concat(frames, ignore_index=True)
