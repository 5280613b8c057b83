r"""Dynamics of specialisation: entries and exits between two periods, and how well
relatedness density predicts entries (ROC AUC and a fixed-effects logit).

An *entry* is a region gaining a revealed comparative advantage it did not have:
:math:`RCA_{rp,t_0} <` ``low`` and :math:`RCA_{rp,t_1} \ge` ``high``. With
``low = high = 1`` this is the crossing of 1; Hidalgo et al. (2007) use ``low=0.5``,
``high=1`` to avoid noise around the threshold. An *exit* is the reverse:
:math:`RCA_{t_0} \ge` ``high`` and :math:`RCA_{t_1} <` ``low``. Cells not at risk of the
event have a missing (NA) ``entry`` / ``exit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.measures._kernels import rca
from innesto.measures.complexity import check_values
from innesto.measures.relatedness import density_period
from innesto.panel import Panel


def _dense(panel: Panel, time: str, regions: np.ndarray, industries: np.ndarray) -> np.ndarray:
    pm = panel.matrix(time=time)
    check_values(pm, time)
    r = pd.DataFrame(rca(pm.matrix).toarray(), index=pm.regions, columns=pm.industries)
    return r.reindex(index=regions, columns=industries).to_numpy()


def _common(panel: Panel, start: str, end: str) -> tuple[np.ndarray, np.ndarray]:
    for t in (start, end):
        if t not in panel.times:
            raise MeasureError(f"period {t!r} is not in the panel; periods are {panel.times}")
    a, b = panel.filter(time=start), panel.filter(time=end)
    regions = np.array(sorted(set(a.dropna().regions) & set(b.dropna().regions)), dtype=object)
    industries = np.array(sorted(set(a.dropna().industries) & set(b.dropna().industries)),
                          dtype=object)
    if len(regions) < 2 or len(industries) < 2:
        raise MeasureError(f"periods {start} and {end} share fewer than 2 regions or industries")
    return regions, industries


def entries_exits(panel: Panel, start: str | int, end: str | int, *, low: float = 1.0,
                  high: float = 1.0) -> pd.DataFrame:
    r"""Entries and exits of specialisations between ``start`` and ``end``.

    RCA is computed within each period on all its regions; the table covers the regions and
    industries present in both periods. Returns ``region, industry, rca_start, rca_end,
    entry, exit`` (``entry``/``exit`` are 1, 0 or NA when the cell is not at risk).

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product space
    conditions the development of nations. Science 317, 482-487 (transitions from RCA < 0.5
    to RCA > 1). Balland, P.-A. (2017) EconGeo, ``entry.list`` / ``exit.list``.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...     ("B", "y", 1, 1), ("A", "x", 2, 9), ("A", "y", 2, 1), ("B", "x", 2, 1),
    ...     ("B", "y", 2, 9)])
    >>> entries_exits(p, 1, 2)[["region", "industry", "entry", "exit"]].values.tolist()
    [['A', 'x', 1, <NA>], ['A', 'y', <NA>, 1], ['B', 'x', <NA>, 1], ['B', 'y', 1, <NA>]]
    """
    start, end = str(start), str(end)
    if low > high:
        raise MeasureError(f"low ({low}) must not exceed high ({high})")
    regions, industries = _common(panel, start, end)
    r0 = np.nan_to_num(_dense(panel, start, regions, industries))
    r1 = np.nan_to_num(_dense(panel, end, regions, industries))
    entry = pd.array(np.where(r1 >= high, 1, 0).ravel(), dtype="Int8")
    entry[(r0 >= low).ravel()] = pd.NA
    exit_ = pd.array(np.where(r1 < low, 1, 0).ravel(), dtype="Int8")
    exit_[(r0 < high).ravel()] = pd.NA
    return pd.DataFrame({
        "region": np.repeat(regions.astype(str), len(industries)),
        "industry": np.tile(industries.astype(str), len(regions)),
        "rca_start": r0.ravel(), "rca_end": r1.ravel(), "entry": entry, "exit": exit_})


@dataclass(frozen=True)
class EntryPrediction:
    """How well relatedness density at the start predicts entries by the end.

    ``auc`` is the ROC AUC of density alone among cells at risk; ``coef``/``se``/``z`` are
    the density coefficient of a logit with region and industry fixed effects, estimated on
    ``n_logit`` cells after dropping regions and industries with no entry (their fixed
    effects are not identified).
    """

    auc: float
    n: int
    n_entries: int
    coef: float
    se: float
    z: float
    n_logit: int


def fe_logit(y: np.ndarray, x: np.ndarray, groups: list[np.ndarray],
             max_iter: int = 50, tol: float = 1e-10) -> tuple[float, float]:
    """Coefficient and standard error of ``x`` in a logit with one dummy per group level.

    Newton-Raphson on a sparse design: ``x``, the dummies of every grouping (the first level
    of each grouping after the first dropped). The last grouping's block of the Hessian is
    diagonal, so each step solves its Schur complement (a small dense system) instead of
    the full Hessian.
    """
    n = len(y)
    blocks = [sp.csr_matrix(x.reshape(-1, 1))]
    for k, g in enumerate(groups):
        codes, _ = pd.factorize(g)
        d = sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, codes.max() + 1))
        blocks.append(d[:, 1:] if k else d)
    dense_part = sp.hstack(blocks[:-1]).tocsr()
    diag_part = sp.csr_matrix(blocks[-1])
    k1 = dense_part.shape[1]
    beta = np.zeros(k1 + diag_part.shape[1])
    for _ in range(max_iter):
        eta = dense_part @ beta[:k1] + diag_part @ beta[k1:]
        p = 1.0 / (1.0 + np.exp(-eta))
        w = p * (1.0 - p)
        resid = y - p
        a = (dense_part.T @ sp.diags(w) @ dense_part).toarray()
        b = (dense_part.T @ sp.diags(w) @ diag_part).toarray()
        dd = np.asarray(diag_part.T @ w).ravel()
        g1, g2 = dense_part.T @ resid, diag_part.T @ resid
        if (dd <= 0).any():
            raise MeasureError("the fixed-effects logit is not identified (a fixed effect "
                               "has no cells with variance)")
        schur = a - (b / dd) @ b.T
        try:
            s1 = np.linalg.solve(schur, g1 - b @ (g2 / dd))
        except np.linalg.LinAlgError:
            raise MeasureError("the fixed-effects logit is not identified (singular "
                               "Hessian: perfect prediction or too few cells)") from None
        s2 = (g2 - b.T @ s1) / dd
        step = np.concatenate([s1, s2])
        beta += step
        if np.max(np.abs(step)) < tol:
            break
    else:
        raise MeasureError("the fixed-effects logit did not converge")
    var = np.linalg.inv(schur)[0, 0]  # (H^-1)[0, 0] is the Schur complement's inverse
    return float(beta[0]), float(np.sqrt(var))


def density_predicts_entry(panel: Panel, start: str | int, end: str | int, *,
                           low: float = 1.0, high: float = 1.0, threshold: float = 1.0,
                           diagonal: float = 0.0) -> EntryPrediction:
    r"""ROC AUC of density for entries, and the density coefficient of a two-way FE logit.

    .. math:: \Pr(\text{entry}_{rp}) = \Lambda(\beta\, \omega_{rp,t_0} + \alpha_r + \gamma_p)

    with :math:`\omega` the relatedness density at ``start``
    (:func:`innesto.measures.relatedness.relatedness_density`), on the cells at risk of
    entry (:func:`entries_exits`).

    References
    ----------
    Hidalgo, C. A., et al. (2007), Science 317, 482-487, Fig. 4 (density predicts entry).
    Hidalgo, C. A., et al. (2018). The principle of relatedness. Springer Proceedings in
    Complexity, 451-457 (AUC of density as a predictor of entry).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> recs = [(f"r{r}", f"i{i}", t, float(v)) for t in (1, 2) for r in range(40)
    ...         for i in range(25) for v in rng.lognormal(size=1)]
    >>> res = density_predicts_entry(Panel.from_records(recs), 1, 2)
    >>> res.n, res.n_entries, round(res.auc, 3)
    (660, 224, 0.443)
    """
    from sklearn.metrics import roc_auc_score

    start, end = str(start), str(end)
    moves = entries_exits(panel, start, end, low=low, high=high)
    pm = panel.matrix(time=start)
    _, _, dens, _ = density_period(pm, start, threshold=threshold, diagonal=diagonal)
    dens_df = pd.DataFrame(dens, index=pm.regions, columns=pm.industries)
    regions = moves["region"].unique()
    industries = moves["industry"].unique()
    moves["density"] = dens_df.reindex(index=regions, columns=industries).to_numpy().ravel()
    risk = moves[moves["entry"].notna() & moves["density"].notna()]
    y = risk["entry"].to_numpy(dtype=float)
    if y.min() == y.max():
        raise MeasureError(f"no variation in entry between {start} and {end}: AUC undefined")
    auc = float(roc_auc_score(y, risk["density"]))
    fe = risk
    while True:  # drop groups with no or only entries: their fixed effect is not finite
        keep = np.ones(len(fe), dtype=bool)
        for key in ("region", "industry"):
            share = fe.groupby(key)["entry"].transform("mean").to_numpy(dtype=float)
            keep &= (share > 0) & (share < 1)
        if keep.all():
            break
        fe = fe[keep]
    if len(fe) == 0:
        raise MeasureError("no region and industry with both entries and non-entries")
    coef, se = fe_logit(fe["entry"].to_numpy(dtype=float), fe["density"].to_numpy(),
                        [fe["region"].to_numpy(), fe["industry"].to_numpy()])
    return EntryPrediction(auc=auc, n=len(risk), n_entries=int(y.sum()), coef=coef, se=se,
                           z=coef / se, n_logit=len(fe))
