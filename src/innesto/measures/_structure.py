"""One period of a panel as the specialisation and concentration measures see it.

Private plumbing shared by :mod:`innesto.measures.specialisation`,
:mod:`innesto.measures.specialisation_indices`, :mod:`innesto.measures.concentration`,
:mod:`innesto.measures.diversity` and :mod:`innesto.measures.weighted`: the region x
industry values of one period, each region's total and the benchmark
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

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias
from weakref import WeakValueDictionary

import numpy as np

from innesto.errors import MeasureError
from innesto.i18n import N_, Message, msg
from innesto.measures._nesting import warn_if_nested
from innesto.panel import Panel, sorted_codes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Codes: TypeAlias = Sequence[str] | str | None
"""One code or several (regions or industries); ``None`` for all."""
Periods: TypeAlias = Sequence[str | int] | str | int | None
"""One period or several; ``None`` for all."""


@dataclass(frozen=True)
class Selection:
    """The selection and benchmark options every measure takes, with the same meaning.

    ``regions``, ``industries`` and ``period`` choose the rows, columns and periods to
    measure; ``reference_region`` names the benchmark's row (e.g. ``"IT"``) instead of the
    sum over the selected regions; ``total_industry`` names the column holding each region's
    total (e.g. ``"TOTAL"``) instead of the sum over the selected industries. Summing
    regions or industries that nest warns (:class:`~innesto.errors.DoubleCountingWarning`).
    """

    regions: Codes = None
    industries: Codes = None
    period: Periods = None
    reference_region: str | None = None
    total_industry: str | None = None

    def validate(self, panel: Panel) -> None:
        """Raise :class:`MeasureError` naming any selected code or period not in ``panel``."""
        for kind, wanted, known in (
                (N_("region"), _names(self.regions) or [], panel.regions),
                (N_("industry"), _names(self.industries) or [], panel.industries),
                (N_("period"), _periods(self.period), panel.times),
                (N_("reference region"), _names(self.reference_region) or [], panel.regions),
                (N_("total industry"), _names(self.total_industry) or [], panel.industries)):
            _check_known(kind, wanted, known)

    def for_matrix(self, panel: Panel, measure: str) -> Panel:
        """The selected part of ``panel`` for a measure on the region x industry matrix.

        Such measures (complexity, relatedness, diversity, ...) compare every region with
        the sum of the selected ones (the "world" of the matrix) by construction, so a
        benchmark row or total column cannot be honoured: naming one is an error that says
        what to do instead."""
        if self == Selection() and _SELECTED.get(id(panel)) is panel:
            return panel  # already selected by the measure that calls this one
        for name, value in (("reference_region", self.reference_region),
                            ("total_industry", self.total_industry)):
            if value is not None:
                raise MeasureError(
                    msg("%(measure)s compares each region with the sum of the selected regions "
                    "(the matrix's world), so %(name)s=%(value)s cannot be used; choose one "
                    "level of regions and a partition of industries with regions= and "
                    "industries= instead", measure=measure, name=name, value=repr(value)))
        self.validate(panel)
        want_r, want_i = _names(self.regions), _names(self.industries)
        out = panel.filter(region=want_r, industry=want_i, time=self.period)
        if out.table.num_rows == 0:
            raise MeasureError(msg("%(measure)s: no row of the panel is in the selection",
                               measure=measure))
        warn_if_nested(regions=out.regions,
                       industries=out.industries if _nace_like(panel) else None,
                       measure=measure, benchmark_options=False)
        _SELECTED[id(out)] = out
        return out


_SELECTED: WeakValueDictionary[int, Panel] = WeakValueDictionary()
"""Panels a measure has already selected: a measure calling another does not warn twice."""


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
    row_r: np.ndarray
    """Per panel row of this period inside the selection: its region's position, ..."""
    row_i: np.ndarray
    """... its industry's position ..."""
    row_value: np.ndarray
    """... and its value (NaN if missing), in input order."""


def _names(values: Sequence[str] | str | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def _periods(values: Periods) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (str, int)):
        return [str(values)]
    return [str(v) for v in values]


def _check_known(kind: str, wanted: list[str], known: Sequence[str]) -> None:
    missing = [w for w in wanted if w not in set(known)]
    if missing:
        shown = ", ".join(map(repr, list(known)[:30]))
        more = "" if len(known) <= 30 else f" and {len(known) - 30} more"
        noun = Message(N_("the industries") if kind.endswith("industry")
                       else N_("the periods") if kind == "period" else N_("the regions"))
        raise MeasureError(
            msg("%(kind)s %(items)s not in the panel; %(noun)s are %(shown)s%(more)s",
            kind=Message(kind), items=', '.join(map(repr, missing)), noun=noun, shown=shown, more=more)
        )


def _nace_like(panel: Panel) -> bool:
    """Whether the panel's industries are NACE/ATECO codes (or user codes that may be)."""
    cls = panel.meta.industry_classification.upper()
    return cls.startswith(("NACE", "ATECO")) or cls == "USER"


def periods(panel: Panel, selection: Selection) -> Iterator[Period]:
    """Yield one :class:`Period` per selected period of ``panel`` (sorted by time)."""
    if selection.period is not None:
        _check_known(N_("period"), _periods(selection.period), panel.times)
        panel = panel.filter(time=selection.period)
    table = panel.table
    if table.num_rows == 0:
        raise MeasureError(msg("the panel is empty"))
    all_r, rcode = sorted_codes(table.column("region"))
    all_i, icode = sorted_codes(table.column("industry"))
    times, tcode = sorted_codes(table.column("time"))
    value = table.column("value").to_numpy().astype(np.float64)  # nulls -> NaN
    pick = _Pick(selection, all_r, all_i)
    warn_if_nested(
        regions=None if pick.ref >= 0 else (pick.regions or all_r.tolist()),
        industries=None if pick.tot >= 0 or not _nace_like(panel)
        else all_i[pick.want_i].tolist())
    by_time = np.argsort(tcode, kind="stable")
    bounds = np.searchsorted(tcode[by_time], np.arange(len(times) + 1))
    produced = 0
    for k, t in enumerate(times):
        idx = by_time[bounds[k]:bounds[k + 1]]
        r, i, v = rcode[idx], icode[idx], value[idx]
        sel_r, sel_i = pick.present(r, i)
        if len(sel_r) == 0 or len(sel_i) == 0:
            continue
        produced += 1
        yield _period(str(t), r, i, v, sel_r, sel_i, all_r, all_i, pick.ref, pick.tot)
    if not produced:
        raise MeasureError(msg("no period holds the selected regions and industries"))


def per_period_rows(panel: Panel, selection: Selection, key: str,
                    columns: Callable[[Period], Mapping[str, np.ndarray]]) -> pd.DataFrame:
    """One row per region (``key="region"``) or industry (``key="industry"``) of every
    selected period: the key, ``time``, then the columns ``columns(period)`` returns."""
    import pandas as pd

    frames = []
    for p in periods(panel, selection):
        labels = p.regions if key == "region" else p.industries
        frames.append(pd.DataFrame({key: labels.astype(str), "time": p.time, **columns(p)}))
    return pd.concat(frames, ignore_index=True)


def _check_selection(selection: Selection, regions: list[str] | None,
                     industries: list[str] | None, all_r: list[str], all_i: list[str]) -> None:
    """Every region and industry the selection names is in the panel."""
    reference_region, total_industry = selection.reference_region, selection.total_industry
    for kind, wanted, known in (
        (N_("region"), regions or [], all_r),
        (N_("industry"), industries or [], all_i),
        (N_("reference region"), [reference_region] if reference_region else [], all_r),
        (N_("total industry"), [total_industry] if total_industry else [], all_i),
    ):
        _check_known(kind, wanted, known)


class _Pick:
    """The selection's regions and industries as masks over the panel's sorted codes, and
    the positions of the reference region and the total industry (-1: none)."""

    def __init__(self, selection: Selection, all_r: np.ndarray, all_i: np.ndarray) -> None:
        reference_region, total_industry = selection.reference_region, selection.total_industry
        self.regions = _names(selection.regions)
        industries = _names(selection.industries)
        _check_selection(selection, self.regions, industries, all_r.tolist(), all_i.tolist())
        pos_r = {r: k for k, r in enumerate(all_r)}
        pos_i = {i: k for k, i in enumerate(all_i)}
        self.n_r, self.n_i = len(all_r), len(all_i)
        self.ref = pos_r[reference_region] if reference_region else -1
        self.tot = pos_i[total_industry] if total_industry else -1
        self.want_r = None if self.regions is None else np.isin(
            np.arange(self.n_r), [pos_r[r] for r in self.regions])
        self.want_i = np.ones(self.n_i, bool) if industries is None else np.isin(
            np.arange(self.n_i), [pos_i[i] for i in industries])
        if industries is None and self.tot >= 0:
            self.want_i[self.tot] = False

    def present(self, r: np.ndarray, i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The selected regions and industries that have rows among codes ``r``, ``i`` (a
        region or industry absent from one period is skipped there, not an error)."""
        has_r = np.zeros(self.n_r, bool)
        has_r[r] = True
        has_i = np.zeros(self.n_i, bool)
        has_i[i] = True
        return (np.flatnonzero(has_r if self.want_r is None else has_r & self.want_r),
                np.flatnonzero(has_i & self.want_i))


def _period(t: str, r: np.ndarray, i: np.ndarray, v: np.ndarray, sel_r: np.ndarray,
            sel_i: np.ndarray, all_r: np.ndarray, all_i: np.ndarray, ref: int, tot: int,
            ) -> Period:
    local_r = np.full(len(all_r), -1)
    local_r[sel_r] = np.arange(len(sel_r))
    local_i = np.full(len(all_i), -1)
    local_i[sel_i] = np.arange(len(sel_i))
    lr, li = local_r[r], local_i[i]
    inside = (lr >= 0) & (li >= 0)
    values = _dense(lr[inside], li[inside], v[inside], (len(sel_r), len(sel_i)))
    if tot >= 0:
        at = (i == tot) & (lr >= 0)
        totals = np.full(len(sel_r), np.nan)
        totals[lr[at]] = 0.0
        np.add.at(totals, lr[at], v[at])  # NaN stays NaN: a missing total
    else:
        totals = np.nansum(values, axis=1)
    if ref >= 0:
        at_ref = (r == ref) & (li >= 0)
        bench = _dense(np.zeros(int(at_ref.sum()), int), li[at_ref], v[at_ref],
                       (1, len(sel_i)))[0]
        if tot >= 0:
            ref_tot = v[(r == ref) & (i == tot)]
            bench_total = float(ref_tot.sum()) if len(ref_tot) else np.nan
        else:
            bench_total = float(np.nansum(bench))
    else:
        bench = np.nansum(values, axis=0)
        bench_total = float(np.nansum(totals))
    return Period(t, all_r[sel_r], all_i[sel_i], values, totals, bench, bench_total,
                  lr[inside], li[inside], v[inside])


def _dense(r: np.ndarray, i: np.ndarray, v: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A dense matrix: 0 where no row, NaN where the value is missing, duplicates summed."""
    out = np.zeros(shape, dtype=np.float64)
    missing = np.isnan(v)
    np.add.at(out, (r[~missing], i[~missing]), v[~missing])
    out[r[missing], i[missing]] = np.nan
    return out


def usable(p: Period) -> np.ndarray:
    """Per region: True where its total and the benchmark's total are positive numbers."""
    bench_ok = bool(np.isfinite(p.bench_total) and p.bench_total != 0)
    return np.isfinite(p.totals) & (p.totals != 0) & bench_ok


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
