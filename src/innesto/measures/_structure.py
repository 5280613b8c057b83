"""One period of a panel as the specialisation and concentration measures see it.

Private plumbing shared by :mod:`innesto.measures.specialisation`,
:mod:`innesto.measures.specialisation_indices` and :mod:`innesto.measures.concentration`:
the region x industry values of one period, each region's total and the benchmark
(a reference region's row, or the sum over all regions).

Real tables mix levels: Eurostat's employment table holds ``IT``, ``ITC``, ``ITC1`` and
``ITC11`` side by side, and industries ``C`` inside ``B-E`` next to ``TOTAL``. Summing such
a table double counts, so the measures take ``reference_region`` (the benchmark's row),
``total_industry`` (the column holding each region's total), and ``regions`` /
``industries`` (the rows and columns to use).

Missing values (null) are left out of every sum, as in :meth:`Panel.matrix`; pass
``total_industry`` to use a published total instead. A missing cell's own result is NaN.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from innesto.errors import MeasureError
from innesto.panel import Panel


@dataclass(frozen=True)
class Period:
    """The selected part of one period, as dense arrays aligned on sorted labels."""

    time: str
    regions: np.ndarray
    industries: np.ndarray
    values: np.ndarray
    """regions x industries; 0 where the panel has no row, NaN where its value is missing."""
    totals: np.ndarray
    """Each region's total: its ``total_industry`` value, or the sum over ``industries``."""
    bench: np.ndarray
    """Each industry's benchmark: the reference region's value, or the sum over regions."""
    bench_total: float
    rows: pd.DataFrame
    """This period's panel rows inside the selection (region, industry, value) with the
    integer positions ``r`` and ``i`` of their region and industry."""


def _names(values: Sequence[str] | str | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def _check_known(kind: str, wanted: list[str], known: Sequence[str], time: str) -> None:
    missing = [w for w in wanted if w not in set(known)]
    if missing:
        shown = ", ".join(map(repr, list(known)[:30]))
        more = "" if len(known) <= 30 else f" and {len(known) - 30} more"
        raise MeasureError(
            f"{kind} {', '.join(map(repr, missing))} not in the panel for period {time!r}; "
            f"the {kind.split()[0]}s there are {shown}{more}"
        )


def periods(
    panel: Panel,
    *,
    reference_region: str | None = None,
    total_industry: str | None = None,
    regions: Sequence[str] | str | None = None,
    industries: Sequence[str] | str | None = None,
) -> Iterator[Period]:
    """Yield one :class:`Period` per period of ``panel`` (sorted by time)."""
    df = panel.to_pandas()[["region", "industry", "time", "value"]]
    if df.empty:
        raise MeasureError("the panel is empty")
    want_regions = _names(regions)
    want_industries = _names(industries)
    for time, rows in df.groupby("time", sort=True):
        t = str(time)
        present_r = sorted(rows["region"].unique().tolist())
        present_i = sorted(rows["industry"].unique().tolist())
        for kind, wanted, known in (
            ("region", want_regions or [], present_r),
            ("industry", want_industries or [], present_i),
            ("reference region", [reference_region] if reference_region else [], present_r),
            ("total industry", [total_industry] if total_industry else [], present_i),
        ):
            _check_known(kind, wanted, known, t)
        sel_r = np.asarray(want_regions if want_regions is not None else present_r, dtype=object)
        if want_industries is not None:
            sel_i_list = want_industries
        else:
            sel_i_list = [i for i in present_i if i != total_industry]
        sel_r = np.asarray(sorted(set(sel_r.tolist())), dtype=object)
        sel_i = np.asarray(sorted(set(sel_i_list)), dtype=object)
        if len(sel_i) == 0:
            raise MeasureError(f"no industry left to measure in period {t!r}")
        yield _period(t, rows, sel_r, sel_i, reference_region, total_industry)


def _dense(rows: pd.DataFrame, regions: np.ndarray, industries: np.ndarray) -> np.ndarray:
    """regions x industries: 0 where no row, NaN where the value is missing, duplicates summed."""
    out = np.zeros((len(regions), len(industries)), dtype=np.float64)
    r = np.searchsorted(regions, rows["region"].to_numpy(dtype=object))
    i = np.searchsorted(industries, rows["industry"].to_numpy(dtype=object))
    v = rows["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(v)
    np.add.at(out, (r[~missing], i[~missing]), v[~missing])
    out[r[missing], i[missing]] = np.nan
    return out


def _inside(rows: pd.DataFrame, regions: np.ndarray, industries: np.ndarray) -> pd.DataFrame:
    keep = rows["region"].isin(regions.tolist()) & rows["industry"].isin(industries.tolist())
    return rows.loc[keep, ["region", "industry", "value"]].reset_index(drop=True)


def _period(
    t: str,
    rows: pd.DataFrame,
    sel_r: np.ndarray,
    sel_i: np.ndarray,
    reference_region: str | None,
    total_industry: str | None,
) -> Period:
    inside = _inside(rows, sel_r, sel_i)
    values = _dense(inside, sel_r, sel_i)
    if total_industry is not None:
        tot_rows = rows[rows["industry"] == total_industry]
        totals = _dense(tot_rows[tot_rows["region"].isin(sel_r.tolist())], sel_r,
                        np.asarray([total_industry], dtype=object))[:, 0]
        no_row = ~np.isin(sel_r, tot_rows["region"].to_numpy(dtype=object))
        totals[no_row] = np.nan
    else:
        totals = np.nansum(values, axis=1)
    if reference_region is not None:
        ref = np.asarray([reference_region], dtype=object)
        ref_rows = rows[rows["region"] == reference_region]
        bench = _dense(ref_rows[ref_rows["industry"].isin(sel_i.tolist())], ref, sel_i)[0]
        if total_industry is not None:
            tot = ref_rows.loc[ref_rows["industry"] == total_industry, "value"]
            bench_total = float(tot.sum()) if tot.notna().all() and len(tot) else np.nan
        else:
            bench_total = float(np.nansum(bench))
    else:
        bench = np.nansum(values, axis=0)
        bench_total = float(np.nansum(totals))
    inside["r"] = np.searchsorted(sel_r, inside["region"].to_numpy(dtype=object))
    inside["i"] = np.searchsorted(sel_i, inside["industry"].to_numpy(dtype=object))
    return Period(t, sel_r, sel_i, values, totals, bench, bench_total, inside)


def ratio(num: np.ndarray, den: np.ndarray | float) -> np.ndarray:
    """``num / den`` with NaN (never inf or a warning) where ``den`` is 0 or NaN."""
    num = np.asarray(num, dtype=np.float64)
    den = np.broadcast_to(np.asarray(den, dtype=np.float64), num.shape)
    out = np.full(num.shape, np.nan)
    ok = np.isfinite(den) & (den != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(num, den, out=out, where=ok)
    return out



def curve(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative shares of ``x`` and ``y``, from (0, 0) to (1, 1), ordered by ``y / x``.

    This is the Lorenz / Hoover / localisation curve: units (regions or industries) sorted
    by increasing ratio, ``y / x`` being 0 where both are 0 and infinite where only ``x`` is
    0 (as EconGeo's ``hoover_curve`` orders them). Pairs with a NaN are left out.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    with np.errstate(divide="ignore", invalid="ignore"):
        key = np.where(x > 0, y / np.where(x > 0, x, 1.0), np.where(y > 0, np.inf, 0.0))
    order = np.argsort(key, kind="stable")
    cx = np.r_[0.0, np.cumsum(x[order])]
    cy = np.r_[0.0, np.cumsum(y[order])]
    return ratio(cx, cx[-1]), ratio(cy, cy[-1])


def curve_gini(cx: np.ndarray, cy: np.ndarray) -> float:
    r"""Twice the area between the diagonal and a curve below it (shoelace formula).

    .. math:: G = \sum_{k} \left( X_{k} Y_{k+1} - X_{k+1} Y_{k} \right)

    For a Lorenz curve of equal weights this is the Gini coefficient.
    """
    if len(cx) < 2 or not (np.isfinite(cx[-1]) and np.isfinite(cy[-1])):
        return float("nan")
    return float(np.sum(cx[:-1] * cy[1:]) - np.sum(cx[1:] * cy[:-1]))
