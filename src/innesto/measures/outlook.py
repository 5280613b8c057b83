r"""Complexity outlook (COI, "opportunity value") and complexity outlook gain (COG).

How much complexity lies near a region that it does not yet have, and how much a new
specialisation in industry *p* would add to it (Hausmann et al. 2014, the Atlas).

Two modes:

- ``"atlas"`` (default): the Atlas formulas with the standardised PCI of
  :func:`innesto.measures.complexity.complexity` (``method="eigen"``), ``M = [RCA >= 1]``.
- ``"ecomplexity"``: the Stata ``ecomplexity`` command's ``coicog.ado``: the raw
  unit-norm eigenvector :math:`k_p` in place of PCI, ``M = [RCA > 1]``, no
  :math:`-\omega_{rp} PCI_p` term in COG, COG divided by Stata's standard deviation of
  ECI, COI z-scored with the sample sd over the region x industry long table.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures._structure import Codes, Periods, Selection
from innesto.measures.complexity import (
    _orient,
    complexity_matrix,
    long_cells,
    presences,
    second_eigenpair,
)
from innesto.measures.relatedness import density_matrix, proximity_matrix
from innesto.panel import Panel

Mode = Literal["atlas", "ecomplexity"]


def _stata_sd(x: np.ndarray, n_long: int) -> float:
    mu = x.mean()
    return float(np.sqrt(((x - mu) ** 2).sum() * (n_long / len(x)) / (n_long - 1)))


def outlook_matrix(
    m: sp.csr_matrix, phi: sp.csr_matrix, pci: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""COI per row and COG per cell of a binary matrix, given proximity and PCI.

    .. math::

        COI_r = \sum_p (1 - M_{rp})\, \omega_{rp}\, PCI_p, \qquad
        COG_{rp} = (1 - M_{rp}) \Big[\sum_q \frac{\phi_{pq}}{\sum_k \phi_{kq}}
        (1 - M_{rq})\, PCI_q - \omega_{rp}\, PCI_p\Big]

    with :math:`\omega` the relatedness density. Industries with NaN PCI count as 0.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0]]))
    >>> phi = sp.csr_matrix(np.array([[0, .5, .2], [.5, 0, .3], [.2, .3, 0]]))
    >>> coi, cog = outlook_matrix(m, phi, np.array([-1.0, 0.5, 1.5]))
    >>> coi.round(4).tolist()
    [0.9125, 1.5]
    """
    pci = np.nan_to_num(np.asarray(pci, dtype=np.float64))
    dens = np.nan_to_num(density_matrix(m, phi))
    absent = 1.0 - sp.csr_matrix(m, dtype=np.float64).toarray()
    coi = (absent * dens * pci).sum(axis=1)
    cog = absent * (_gain(absent, phi, pci) - dens * pci)
    return coi, cog


def _gain(absent: np.ndarray, phi: sp.csr_matrix, kp: np.ndarray) -> np.ndarray:
    """``sum_q (1 - M_rq) phi_qp kp_q / sum_k phi_qk`` (Stata's ``cog`` without the last term)."""
    phi = sp.csr_matrix(phi, dtype=np.float64)
    rows = np.asarray(phi.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(rows > 0, kp / rows, 0.0)
    return np.asarray(absent @ (sp.diags(w) @ phi).toarray())


def outlook(
    panel: Panel,
    *,
    mode: Mode = "atlas",
    threshold: float = 1.0,
    diagonal: float = 0.0,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""Complexity outlook per region and outlook gain per region and industry, per period.

    Returns ``(regions, cells)``: ``region, time, coi`` and ``region, industry, time, cog``.
    Formulas in :func:`outlook_matrix` (``mode="atlas"``); ``mode="ecomplexity"`` follows
    the Stata command (module notes). ``diagonal`` is the proximity diagonal (0 as in Stata;
    see :mod:`innesto.measures.relatedness`).

    References
    ----------
    Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Simoes, A., & Yildirim, M. A.
    (2014). The Atlas of Economic Complexity: Mapping Paths to Prosperity. MIT Press,
    Technical Box 2.1 / section "Complexity outlook" (opportunity value and outlook gain).
    Growth Lab, Stata ``ecomplexity``, ``coicog.ado``.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10),
    ...                         ("D", "x", 1, 3), ("D", "z", 1, 3)])
    >>> regions, cells = outlook(p)
    >>> list(regions.columns), list(cells.columns)
    (['region', 'time', 'coi'], ['region', 'industry', 'time', 'cog'])
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "outlook")
    if mode not in ("atlas", "ecomplexity"):
        raise MeasureError(msg("unknown outlook mode %(mode)s; expected 'atlas' or 'ecomplexity'",
                           mode=repr(mode)))
    region_frames, cells = [], []
    for t, pm, m in presences(panel, threshold, strict=mode == "ecomplexity"):
        phi = proximity_matrix(m, diagonal=diagonal)
        if mode == "atlas":
            _, pci = complexity_matrix(m, "eigen")
            coi, cog = outlook_matrix(m, phi, pci)
        else:
            coi, cog = _stata_outlook(m, phi, pm.matrix)
        n_r, n_p = m.shape
        region_frames.append(pd.DataFrame({"region": pm.regions.astype(str), "time": t, "coi": coi}))
        cells.append(pd.DataFrame({
            "region": np.repeat(pm.regions.astype(str), n_p),
            "industry": np.tile(pm.industries.astype(str), n_r),
            "time": t, "cog": cog.ravel()}))
    if not region_frames:
        raise MeasureError(msg("the panel is empty"))
    return pd.concat(region_frames, ignore_index=True), pd.concat(cells, ignore_index=True)


def _stata_outlook(m: sp.csr_matrix, phi: sp.csr_matrix, x: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    d_all = np.asarray(m.sum(axis=1)).ravel()
    u_all = np.asarray(m.sum(axis=0)).ravel()
    r_ok, p_ok = d_all > 0, u_all > 0
    kp = np.zeros(m.shape[1])
    kc_full = np.full(m.shape[0], np.nan)
    mv = sp.csr_matrix(m[r_ok][:, p_ok])
    kc, kp_v = _orient(*second_eigenpair(mv, d_all[r_ok], u_all[p_ok]), d_all[r_ok])
    kp[p_ok] = kp_v
    kc_full[r_ok] = kc
    n_long = long_cells(x)
    dens = np.nan_to_num(density_matrix(m, phi))
    absent = 1.0 - m.toarray()
    coi = (absent * dens * kp).sum(axis=1)
    cog = absent * _gain(absent, phi, kp) / _stata_sd(kc, n_long)
    coi = (coi - coi.mean()) / _stata_sd(coi, n_long)
    return coi, cog
