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
from innesto.i18n import msg
from innesto.measures._kernels import rca
from innesto.measures._structure import Codes, Periods, Selection
from innesto.measures.complexity import check_values
from innesto.measures.relatedness import density_period
from innesto.panel import Panel


def mann_whitney_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve of ``score`` for the binary outcome ``y`` (1 = positive).

    AUC = (R₁ - n₁(n₁+1)/2) / (n₁ n₀), with R₁ the sum of the positives' ranks among all
    scores (ties get their average rank): the Mann-Whitney U of the positives over n₁ n₀,
    the probability that a random positive scores above a random negative, ties counting
    one half (Hanley, J. A. and McNeil, B. J. (1982), Radiology 143, 29-36).

    Examples
    --------
    >>> mann_whitney_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    from scipy.stats import rankdata

    y = np.asarray(y, dtype=float)
    pos = y == 1
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        raise MeasureError(msg("AUC needs both outcomes (some 1s and some 0s)"))
    ranks = rankdata(np.asarray(score, dtype=float))
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _dense(panel: Panel, time: str, regions: np.ndarray, industries: np.ndarray) -> np.ndarray:
    pm = panel.matrix(time=time)
    check_values(pm, time)
    r = pd.DataFrame(rca(pm.matrix).toarray(), index=pm.regions, columns=pm.industries)
    return r.reindex(index=regions, columns=industries).to_numpy()


def _unknown(panel: Panel, time: str, regions: np.ndarray,
             industries: np.ndarray) -> np.ndarray:
    """Cells published without a value in ``time`` (blank, flagged ``:``): True there.

    A cell the file leaves out is a zero (trade and employment tables omit empty cells);
    a cell it lists with no value is unknown, so it can be neither an entry nor a stay."""
    df = panel.filter(time=time).to_pandas()
    gaps = df[df["value"].isna()]
    out = np.zeros((len(regions), len(industries)), dtype=bool)
    r = pd.Index(regions).get_indexer(gaps["region"].astype(str))
    i = pd.Index(industries).get_indexer(gaps["industry"].astype(str))
    ok = (r >= 0) & (i >= 0)
    out[r[ok], i[ok]] = True
    return out


def _common(panel: Panel, start: str, end: str) -> tuple[np.ndarray, np.ndarray]:
    for t in (start, end):
        if t not in panel.times:
            raise MeasureError(msg("period %(t)s is not in the panel; periods are %(times)s",
                               t=repr(t), times=panel.times))
    a, b = panel.filter(time=start), panel.filter(time=end)
    regions = np.array(sorted(set(a.dropna().regions) & set(b.dropna().regions)), dtype=object)
    industries = np.array(sorted(set(a.dropna().industries) & set(b.dropna().industries)),
                          dtype=object)
    if len(regions) < 2 or len(industries) < 2:
        raise MeasureError(msg("periods %(start)s and %(end)s share fewer than 2 regions or "
                           "industries", start=start, end=end))
    return regions, industries


def entries_exits(panel: Panel, start: str | int, end: str | int, *, low: float = 1.0,
                  high: float = 1.0,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    r"""Entries and exits of specialisations between ``start`` and ``end``.

    RCA is computed within each period on all its regions; the table covers the regions and
    industries present in both periods. A cell published without a value (blank or flagged)
    in either period is unknown: its ``entry`` and ``exit`` are NA, never read as a zero; a
    cell the file leaves out altogether is a zero, as trade and employment tables omit
    empty cells. Returns ``region, industry, rca_start, rca_end,
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
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "entries_exits")
    start, end = str(start), str(end)
    if low > high:
        raise MeasureError(msg("low (%(low)s) must not exceed high (%(high)s)", low=low,
                           high=high))
    rows, cols = _common(panel, start, end)
    r0 = np.nan_to_num(_dense(panel, start, rows, cols))
    r1 = np.nan_to_num(_dense(panel, end, rows, cols))
    unknown = (_unknown(panel, start, rows, cols)
               | _unknown(panel, end, rows, cols)).ravel()
    r0[unknown.reshape(r0.shape)] = np.nan
    r1[unknown.reshape(r1.shape)] = np.nan
    entry = pd.array(np.where(r1 >= high, 1, 0).ravel(), dtype="Int8")
    entry[(r0 >= low).ravel() | unknown] = pd.NA
    exit_ = pd.array(np.where(r1 < low, 1, 0).ravel(), dtype="Int8")
    exit_[(r0 < high).ravel() | unknown] = pd.NA
    return pd.DataFrame({
        "region": np.repeat(rows.astype(str), len(cols)),
        "industry": np.tile(cols.astype(str), len(rows)),
        "rca_start": r0.ravel(), "rca_end": r1.ravel(), "entry": entry, "exit": exit_})


@dataclass(frozen=True)
class EntryPrediction:
    """How well relatedness density at the start predicts entries by the end.

    ``auc`` is the ROC AUC of density alone among cells at risk; ``coef``/``se``/``z`` are
    the density coefficient of a logit with region and industry fixed effects, estimated on
    ``n_logit`` cells after dropping regions and industries with no entry (their fixed
    effects are not identified). ``se`` is clustered by region (cells of one region share
    unobserved shocks beyond its fixed effect, so model-based errors overstate precision);
    ``se_model`` is the model-based one, for comparison.
    """

    auc: float
    n: int
    n_entries: int
    coef: float
    se: float
    z: float
    n_logit: int
    se_model: float


def fe_logit(y: np.ndarray, x: np.ndarray, groups: list[np.ndarray],
             max_iter: int = 50, tol: float = 1e-10, *,
             cluster: np.ndarray | None = None) -> tuple[float, float]:
    r"""Coefficient and standard error of ``x`` in a logit with one dummy per group level.

    Newton-Raphson on a sparse design: ``x``, the dummies of every grouping (the first level
    of each grouping after the first dropped). The last grouping's block of the Hessian is
    diagonal, so each step solves its Schur complement (a small dense system) instead of
    the full Hessian.

    With ``cluster`` (one label per cell), the standard error is cluster-robust
    (Liang and Zeger 1986; Cameron and Miller 2015, section VI, the G/(G-1) correction of
    Stata's ``logit, vce(cluster)``):

    .. math:: V = \frac{G}{G-1} H^{-1} \Big(\sum_g s_g s_g^\top\Big) H^{-1},
              \quad s_g = \sum_{i \in g} X_i (y_i - p_i)

    of which only the ``x`` entry is needed: with :math:`z = H^{-1} e_0`,
    :math:`V_{00} = \frac{G}{G-1} \sum_g (\sum_{i \in g} (X_i z)(y_i - p_i))^2`.
    Without it, the model-based :math:`\sqrt{(H^{-1})_{00}}`.
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
            raise MeasureError(msg("the fixed-effects logit is not identified (a fixed effect has "
                               "no cells with variance)"))
        schur = a - (b / dd) @ b.T
        try:
            s1 = np.linalg.solve(schur, g1 - b @ (g2 / dd))
        except np.linalg.LinAlgError:
            raise MeasureError(msg("the fixed-effects logit is not identified (singular Hessian: "
                               "perfect prediction or too few cells)")) from None
        s2 = (g2 - b.T @ s1) / dd
        step = np.concatenate([s1, s2])
        beta += step
        if np.max(np.abs(step)) < tol:
            break
    else:
        raise MeasureError(msg("the fixed-effects logit did not converge"))
    if cluster is None:
        var = np.linalg.inv(schur)[0, 0]  # (H^-1)[0, 0] is the Schur complement's inverse
        return float(beta[0]), float(np.sqrt(var))
    eta = dense_part @ beta[:k1] + diag_part @ beta[k1:]
    p = 1.0 / (1.0 + np.exp(-eta))
    w = p * (1.0 - p)
    a = (dense_part.T @ sp.diags(w) @ dense_part).toarray()
    b = (dense_part.T @ sp.diags(w) @ diag_part).toarray()
    dd = np.asarray(diag_part.T @ w).ravel()
    e0 = np.zeros(k1)
    e0[0] = 1.0
    z1 = np.linalg.solve(a - (b / dd) @ b.T, e0)  # first column of H^-1, block by block
    z2 = -(b.T @ z1) / dd
    u = (dense_part @ z1 + diag_part @ z2) * (y - p)
    codes, _ = pd.factorize(cluster)
    per_cluster = np.bincount(codes, weights=u)
    n_clusters = len(per_cluster)
    if n_clusters < 2:
        raise MeasureError(msg("clustered standard errors need at least two clusters"))
    correction = n_clusters / (n_clusters - 1)
    return float(beta[0]), float(np.sqrt(correction * np.sum(per_cluster ** 2)))


def density_predicts_entry(panel: Panel, start: str | int, end: str | int, *,
                           low: float = 1.0, high: float = 1.0, threshold: float = 1.0,
                           diagonal: float = 0.0,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> EntryPrediction:
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
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "density_predicts_entry")
    start, end = str(start), str(end)
    moves = entries_exits(panel, start, end, low=low, high=high)
    pm = panel.matrix(time=start)
    _, _, dens, _ = density_period(pm, start, threshold=threshold, diagonal=diagonal)
    dens_df = pd.DataFrame(dens, index=pm.regions, columns=pm.industries)
    rows = moves["region"].unique()
    cols = moves["industry"].unique()
    moves["density"] = dens_df.reindex(index=rows, columns=cols).to_numpy().ravel()
    risk = moves[moves["entry"].notna() & moves["density"].notna()]
    y = risk["entry"].to_numpy(dtype=float)
    if y.min() == y.max():
        raise MeasureError(msg("no variation in entry between %(start)s and %(end)s: AUC undefined",
                           start=start, end=end))
    auc = mann_whitney_auc(y, risk["density"].to_numpy(dtype=float))
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
        raise MeasureError(msg("no region and industry with both entries and non-entries"))
    args = (fe["entry"].to_numpy(dtype=float), fe["density"].to_numpy(),
            [fe["region"].to_numpy(), fe["industry"].to_numpy()])
    coef, se = fe_logit(*args, cluster=fe["region"].to_numpy())
    _, se_model = fe_logit(*args)
    return EntryPrediction(auc=auc, n=len(risk), n_entries=int(y.sum()), coef=coef, se=se,
                           z=coef / se, n_logit=len(fe), se_model=se_model)
