r"""Shift-share: how much of a region's change is national trend, industry mix or its own.

Notation (one industry :math:`i`; the focus region's value :math:`e_i`, the reference
region's :math:`E_i`, totals without a subscript, superscripts 0 and 1 for the start and
end of the period):

.. math::

    G = \frac{E^1 - E^0}{E^0}, \qquad
    R_i = \frac{E_i^1 - E_i^0}{E_i^0}, \qquad
    r_i = \frac{e_i^1 - e_i^0}{e_i^0}

Classic model (Dunn 1960):

.. math::

    e_i^1 - e_i^0 = \underbrace{e_i^0 G}_{\text{national}}
                  + \underbrace{e_i^0 (R_i - G)}_{\text{industry mix}}
                  + \underbrace{e_i^0 (r_i - R_i)}_{\text{competitive}}

Esteban-Marquillas (1972) splits the competitive effect with the *homothetic* value
:math:`\hat e_i^0 = e^0 E_i^0 / E^0` (what the focus region would have in industry
:math:`i` with the reference's industry mix):

.. math::

    e_i^0 (r_i - R_i) = \underbrace{\hat e_i^0 (r_i - R_i)}_{\text{competitive}}
                      + \underbrace{(e_i^0 - \hat e_i^0)(r_i - R_i)}_{\text{allocation}}

The dynamic model (Barff and Knight 1988) applies the classic decomposition to every
consecutive pair of periods, with the base updated each period, and sums the components.

The competitive effect is computed as the remainder :math:`(e_i^1 - e_i^0) - e_i^0 R_i`,
which equals :math:`e_i^0 (r_i - R_i)` and is defined when :math:`e_i^0 = 0`; so the
components add up to the total change to the last bit of floating point.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from innesto.errors import MeasureError
from innesto.i18n import N_, Message, msg, nmsg
from innesto.measures._nesting import warn_if_nested
from innesto.measures._structure import Codes, Periods
from innesto.panel import Panel

__all__ = ["COMPONENTS", "shift_share"]

Method = Literal["classic", "esteban-marquillas", "dynamic"]
COMPONENTS: dict[str, tuple[str, ...]] = {
    "classic": ("national", "industry_mix", "competitive"),
    "esteban-marquillas": ("national", "industry_mix", "competitive", "allocation"),
    "dynamic": ("national", "industry_mix", "competitive"),
}
ALL = "_all"
"""The ``industry`` label of the overall row when no ``total_industry`` is named."""


def _path(panel: Panel, start: str, end: str, dynamic: bool) -> list[str]:
    times = panel.times
    for t in (start, end):
        if t not in times:
            raise MeasureError(msg("period %(t)s not in the panel; the periods are %(items)s",
                               t=repr(t), items=', '.join(times)))
    a, b = times.index(start), times.index(end)
    if a >= b:
        raise MeasureError(msg("start %(start)s must come before end %(end)s", start=repr(start),
                           end=repr(end)))
    return times[a:b + 1] if dynamic else [start, end]


def _values(panel: Panel, focus: str, reference: str, path: list[str],
            industries: Sequence[str] | None, total_industry: str | None,
            ) -> tuple[list[str], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per region, a (periods x industries) array, plus the region's total per period."""
    df = panel.filter(region=[focus, reference], time=path).to_pandas()
    regions = panel.regions
    for role, name in ((N_("focus"), focus), (N_("reference"), reference)):
        if name not in regions:
            raise MeasureError(msg("%(role)s region %(name)s not in the panel; the regions are "
                               "%(items)s", role=Message(role), name=repr(name),
                               items=', '.join(map(repr, regions[:30]))))
    chosen = _chosen(sorted(df["industry"].unique().tolist()), industries, total_industry,
                     f"{focus!r}/{reference!r}")
    missing = df[df["value"].isna() & df["industry"].isin([*chosen, total_industry])]
    if len(missing):
        m = missing.iloc[0]
        raise MeasureError(
            nmsg("%(n)d missing value(s) needed by the shift-share, e.g. region "
                 "%(region)s, industry %(industry)s, period %(time)s",
                 "%(n)d missing value(s) needed by the shift-share, e.g. region "
                 "%(region)s, industry %(industry)s, period %(time)s",
                 len(missing), region=repr(m['region']), industry=repr(m['industry']), time=repr(m['time']))
        )
    cells = _Cells(df, path, chosen)
    values: dict[str, np.ndarray] = {}
    totals: dict[str, np.ndarray] = {}
    for name in (focus, reference):
        values[name] = cells.matrix(name)
        summed = values[name].sum(axis=1)
        totals[name] = summed if total_industry is None else _checked_total(
            cells, name, total_industry, summed)
    return chosen, values, totals


def _chosen(present: list[str], industries: Sequence[str] | None, total_industry: str | None,
            pair: str) -> list[str]:
    """The industries to decompose: those asked for (all present but the total by default),
    each of which must be in the panel."""
    if total_industry is not None and total_industry not in present:
        raise MeasureError(msg("total industry %(total_industry)s not in the panel for %(pair)s; "
                           "the industries are %(present)s", total_industry=repr(total_industry),
                           pair=pair, present=present))
    if industries is None:
        chosen = [i for i in present if i != total_industry]
    else:
        chosen = [str(i) for i in industries]
        unknown = [i for i in chosen if i not in present]
        if unknown:
            raise MeasureError(msg("industry %(items)s not in the panel for %(pair)s; the "
                               "industries are %(present)s", items=', '.join(map(repr, unknown)),
                               pair=pair, present=present))
    if not chosen:
        raise MeasureError(msg("no industry to decompose"))
    if total_industry is None:
        warn_if_nested(industries=chosen, measure="shift-share")
    return chosen


class _Cells:
    """The rows of the two regions as arrays, placed by period (row) and industry (column)."""

    def __init__(self, df: pd.DataFrame, path: list[str], chosen: list[str]) -> None:
        self.path, self.chosen = path, chosen
        self.col = {c: k for k, c in enumerate(chosen)}
        self.row = {t: k for k, t in enumerate(path)}
        self.regs = df["region"].to_numpy(dtype=object)
        self.inds = df["industry"].to_numpy(dtype=object)
        self.times = df["time"].to_numpy(dtype=object)
        self.vals = df["value"].to_numpy(dtype=np.float64, na_value=np.nan)

    def matrix(self, name: str) -> np.ndarray:
        """The (periods x industries) values of region ``name``; no row is a structural 0,
        but a whole period without rows is missing data."""
        mine = self.regs == name
        absent = [t for t in self.path if not (mine & (self.times == t)).any()]
        if absent:
            raise MeasureError(msg("region %(name)s has no rows in period(s) %(items)s",
                               name=repr(name), items=', '.join(absent)))
        out = np.zeros((len(self.path), len(self.chosen)))
        ks = [k for k in np.flatnonzero(mine) if self.inds[k] in self.col]
        np.add.at(out, ([self.row[self.times[k]] for k in ks],
                        [self.col[self.inds[k]] for k in ks]), self.vals[ks])
        return out

    def total(self, name: str, total_industry: str) -> np.ndarray:
        """Region ``name``'s ``total_industry`` value per period (NaN where it has none)."""
        tot = np.full(len(self.path), np.nan)
        at = np.flatnonzero((self.regs == name) & (self.inds == total_industry))
        tot[[self.row[self.times[k]] for k in at]] = 0.0
        np.add.at(tot, [self.row[self.times[k]] for k in at], self.vals[at])
        return tot


def _checked_total(cells: _Cells, name: str, total_industry: str,
                   summed: np.ndarray) -> np.ndarray:
    """The region's total per period, which the chosen industries must add up to."""
    tot = cells.total(name, total_industry)
    for k, t in enumerate(cells.path):
        if not np.isfinite(tot[k]):
            raise MeasureError(msg("region %(name)s has no %(total_industry)s value in period "
                               "%(t)s", name=repr(name), total_industry=repr(total_industry),
                               t=repr(t)))
        if abs(summed[k] - tot[k]) > 1e-9 * max(abs(tot[k]), 1.0):
            raise MeasureError(
                msg("the industries %(items)s sum to %(what)s in region %(name)s, period %(t)s, "
                "but %(total_industry)s is %(what2)s: they overlap or leave a gap. Pass "
                "industries=[...] (--industries on the command line) that partition the total",
                items=', '.join(cells.chosen), what=format(summed[k], ',.12g'), name=repr(name),
                t=repr(t), total_industry=repr(total_industry), what2=format(tot[k], ',.12g'))
            )
    return tot


def _step(e0: np.ndarray, e1: np.ndarray, big0: np.ndarray, big1: np.ndarray,
          tot_e0: float, tot0: float, tot1: float, chosen: list[str], allocation: bool,
          ) -> dict[str, np.ndarray]:
    if tot0 == 0:
        raise MeasureError(msg("the reference region's total is 0 at the start: no growth rate"))
    growth = (tot1 - tot0) / tot0
    if np.any(big0 == 0):
        bad = [c for c, v in zip(chosen, big0, strict=True) if v == 0]
        raise MeasureError(msg("the reference region has 0 in industry %(items)s at the start: "
                           "its growth rate is undefined", items=', '.join(bad)))
    r_ref = (big1 - big0) / big0
    total = e1 - e0
    national = e0 * growth
    mix = e0 * (r_ref - growth)
    competitive = total - national - mix
    out = {"total": total, "national": national, "industry_mix": mix,
           "competitive": competitive}
    if allocation:
        appeared = (e0 == 0) & (e1 != 0)
        if appeared.any():
            bad = [c for c, a in zip(chosen, appeared, strict=True) if a]
            raise MeasureError(msg("the focus region has 0 in industry %(items)s at the start: "
                               "the Esteban-Marquillas split needs its growth rate",
                               items=', '.join(bad)))
        with np.errstate(divide="ignore", invalid="ignore"):
            r_focus = np.where(e0 != 0, total / np.where(e0 != 0, e0, 1.0), r_ref)
        homothetic = tot_e0 * big0 / tot0
        out["competitive"] = homothetic * (r_focus - r_ref)
        out["allocation"] = competitive - out["competitive"]
    return out


def shift_share(
    panel: Panel,
    *,
    focus: str,
    reference_region: str,
    start: str | int,
    end: str | int,
    method: Method = "classic",
    total_industry: str | None = None,
    industries: Codes = None,
    regions: Codes = None,
    period: Periods = None,
) -> pd.DataFrame:
    r"""Shift-share decomposition of the focus region's change against a reference region.

    See the module docstring for the formulas. ``total_industry`` names the industry that
    holds each region's total (e.g. ``"TOTAL"``): the national growth rate :math:`G` is
    then the reference's total growth, and the chosen industries must add up to it in both
    regions at every period used (else a :class:`~innesto.errors.MeasureError` names the
    gap: tables with overlapping aggregates need ``industries=[...]``, a partition of the
    total). A missing industry row counts as 0; a missing value (null), or a period with
    no rows at all for the focus or reference region, is an error.

    Parameters
    ----------
    panel
        The panel holding ``focus`` and ``reference`` at ``start`` and ``end`` (and, for
        ``method="dynamic"``, at every period in between).
    focus, reference_region
        The region analysed and the benchmark region (e.g. ``"ITC11"`` and ``"IT"``).
    start, end
        The first and last period.
    regions, period
        The shared selection options: a shift-share always compares ``focus`` with
        ``reference_region`` from ``start`` to ``end``, so naming other ``regions`` or a
        ``period`` is an error that says so.
    method
        ``"classic"`` (Dunn 1960), ``"esteban-marquillas"`` (1972, with the allocation
        effect) or ``"dynamic"`` (Barff and Knight 1988, year by year, summed).
    total_industry, industries
        See above. Default: every industry of the two regions except ``total_industry``.

    Returns
    -------
    pandas.DataFrame
        One row per industry and an overall row (``industry`` = ``total_industry`` or
        ``"_all"``): ``focus, reference, industry, start, end, value_start, value_end,
        total, national, industry_mix, competitive`` and, for Esteban-Marquillas,
        ``allocation``. ``total`` equals the sum of the components.

    References
    ----------
    Dunn, E. S. (1960). A statistical and analytical technique for regional analysis.
    *Papers and Proceedings of the Regional Science Association* 6, 97-112 (the total
    shift split into the proportionality and differential shifts).
    Esteban-Marquillas, J. M. (1972). A reinterpretation of shift-share analysis.
    *Regional and Urban Economics* 2(3), 249-255: the classic split in its eqs. (1)-(4),
    :math:`d_{ij} = g_{ij} + k_{ij} + c_{ij}` with :math:`g_{ij} = b_{ij} r_{00}`,
    :math:`k_{ij} = b_{ij}(r_{i0} - r_{00})` and :math:`c_{ij} = b_{ij}(r_{ij} - r_{i0})`
    (national, industry mix, competitive), then homothetic employment and the allocation
    effect.
    Barff, R. A. and Knight, P. L. (1988). Dynamic shift-share analysis. *Growth and
    Change* 19(2), 1-10 (annual decomposition, summed over the period).

    Examples
    --------
    A textbook region with four industries (Krumme's "Holukuluku", 1985-1995; the nation
    grows 29%): national share 290, industry mix -80, competitive 420, total 630.

    >>> rows = []
    >>> for ind, r0, r1, n0, n1 in [("I", 500, 1000, 100, 110), ("II", 100, 100, 200, 240),
    ...                             ("III", 200, 250, 400, 520), ("IV", 200, 280, 300, 420)]:
    ...     rows += [("region", ind, 1985, r0), ("region", ind, 1995, r1),
    ...              ("nation", ind, 1985, n0), ("nation", ind, 1995, n1)]
    >>> ss = shift_share(Panel.from_records(rows), focus="region",
    ...                  reference_region="nation", start=1985, end=1995)
    >>> ss.set_index("industry").loc["_all", ["total", "national", "industry_mix",
    ...                                        "competitive"]].round(6).tolist()
    [630.0, 290.0, -80.0, 420.0]
    """
    if method not in COMPONENTS:
        raise MeasureError(msg("method must be one of %(items)s, not %(method)s",
                           items=', '.join(COMPONENTS), method=repr(method)))
    if regions is not None:
        raise MeasureError(msg("a shift-share compares focus= with reference_region=; it takes no "
                           "regions= (got %(regions)s)", regions=repr(regions)))
    if period is not None:
        raise MeasureError(msg("a shift-share runs from start= to end=; it takes no period= (got "
                           "%(period)s)", period=repr(period)))
    reference = reference_region
    if isinstance(industries, str):
        industries = [industries]
    start, end = str(start), str(end)
    path = _path(panel, start, end, dynamic=method == "dynamic")
    chosen, values, totals = _values(panel, focus, reference, path, industries,
                                     total_industry)
    sums: dict[str, np.ndarray] = {}
    for k in range(len(path) - 1):
        step = _step(values[focus][k], values[focus][k + 1], values[reference][k],
                     values[reference][k + 1], float(totals[focus][k]),
                     float(totals[reference][k]), float(totals[reference][k + 1]), chosen,
                     allocation=method == "esteban-marquillas")
        for name, arr in step.items():
            sums[name] = sums.get(name, 0.0) + arr
    out = pd.DataFrame({"industry": chosen, "value_start": values[focus][0],
                        "value_end": values[focus][-1], **sums})
    overall = out.drop(columns="industry").sum().to_frame().T
    overall.insert(0, "industry", total_industry or ALL)
    out = pd.concat([out, overall], ignore_index=True)
    out.insert(0, "focus", focus)
    out.insert(1, "reference", reference)
    out.insert(3, "start", start)
    out.insert(4, "end", end)
    return out
