r"""The opportunity matrix of one region (Balland et al. 2019): for every industry, how
related it is to what the region already does (relatedness density) and how complex it is
(PCI), with the region's current RCA.

Industries high in both are the "smart specialisation" candidates: close to existing
capabilities and valuable; low density and high complexity is the long jump.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from innesto.errors import MeasureError
from innesto.i18n import msg, nmsg
from innesto.measures._kernels import matrices
from innesto.measures._structure import Codes, Periods, Selection
from innesto.measures.complexity import Method, complexity_matrix
from innesto.measures.outlook import outlook_matrix
from innesto.measures.relatedness import density_period
from innesto.panel import Panel


def opportunity_matrix(
    panel: Panel,
    region: str,
    *,
    method: Method = "eigen",
    threshold: float = 1.0,
    diagonal: float = 0.0,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Relatedness density vs complexity of every industry for ``region``, per period.

    For each industry *p*: :math:`RCA_{rp}`, :math:`M_{rp}`, the density
    :math:`\omega_{rp} = \sum_q M_{rq}\phi_{qp} / \sum_q \phi_{qp}`
    (:func:`innesto.measures.relatedness.relatedness_density`), :math:`PCI_p`
    (:func:`innesto.measures.complexity.complexity`, ``method``) and the complexity
    outlook gain :math:`COG_{rp}` (:func:`innesto.measures.outlook.outlook_matrix`). All
    are computed on the whole panel (every region), then the region's row is returned:
    ``region, industry, time, rca, m, density, pci, cog``.

    References
    ----------
    Balland, P.-A., Boschma, R., Crespo, J., & Rigby, D. L. (2019). Smart specialization
    policy in the European Union: relatedness, knowledge complexity and regional
    diversification. Regional Studies 53(9), 1252-1268, section "Policy framework",
    Fig. 1 (relatedness density against knowledge complexity).

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10),
    ...                         ("D", "x", 1, 4), ("D", "z", 1, 4)])
    >>> opportunity_matrix(p, "A")[["industry", "m", "density"]].values.tolist()
    [['x', 1, 0.5], ['y', 1, 1.0], ['z', 0, 1.0]]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "opportunity_matrix")
    frames = []
    for t, pm in matrices(panel):
        where = np.flatnonzero(pm.regions.astype(str) == str(region))
        if len(where) == 0:
            raise MeasureError(nmsg("region %(region)s has no data in period %(t)s (%(n)d regions, e.g. "
                                    "%(items)s)",
                                    "region %(region)s has no data in period %(t)s (%(n)d regions, e.g. "
                                    "%(items)s)",
                                    len(pm.regions), region=repr(region), t=repr(t), items=', '.join(map(str, pm.regions[:5]))))
        k = int(where[0])
        r, m, dens, phi = density_period(pm, t, threshold=threshold, diagonal=diagonal,
                                         strict=method == "ecomplexity")
        _, pci = complexity_matrix(m, method)
        _, cog = outlook_matrix(m, phi, pci)
        frames.append(pd.DataFrame({
            "region": str(region), "industry": pm.industries.astype(str), "time": t,
            "rca": r.getrow(k).toarray().ravel(),
            "m": m.getrow(k).toarray().ravel().astype(np.int8),
            "density": dens[k], "pci": pci, "cog": cog[k]}))
    if not frames:
        raise MeasureError(msg("the panel is empty"))
    return pd.concat(frames, ignore_index=True)
