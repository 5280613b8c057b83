r"""Economic complexity: ECI and PCI by the eigenvector method, the method of reflections,
Fitness/Complexity, and a mode that reproduces the Stata ``ecomplexity`` command.

Every method starts from the binary matrix :math:`M_{rp}` (region *r* is specialised in
industry *p*), built from Balassa's RCA (:func:`innesto.measures._kernels.rca`):
:math:`M_{rp} = 1` if :math:`RCA_{rp} \ge 1` (``eigen``, ``reflections``, ``fitness``) or
:math:`RCA_{rp} > 1` (``ecomplexity``, as Stata's ``M = (RCA:>1)``). Diversity and
ubiquity are :math:`k_{r,0} = \sum_p M_{rp}` and :math:`k_{p,0} = \sum_r M_{rp}`.

The eigenvector is computed without forming the non-symmetric matrix
:math:`\tilde M = D^{-1} M U^{-1} M^\top` (:math:`D`, :math:`U` the diagonal matrices of
diversity and ubiquity): it is similar to the symmetric, positive semi-definite
:math:`S = A A^\top` with :math:`A = D^{-1/2} M U^{-1/2}`, whose top eigenvector
:math:`\sqrt{k_{r,0}}` (eigenvalue 1) is known. The wanted vector is the top eigenvector of
:math:`S` with that direction projected out, found by Lanczos (``scipy.sparse.linalg.eigsh``)
on the smaller side of :math:`A`, with only sparse products by :math:`M`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh

from innesto.errors import MeasureError
from innesto.i18n import msg, nmsg
from innesto.measures._kernels import binary, matrices, rca
from innesto.measures._structure import Codes, Periods, Selection
from innesto.panel import Panel, PanelMatrix

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported where a table is built: the matrix stage needs no pandas

Method = Literal["eigen", "reflections", "fitness", "ecomplexity"]
METHODS: tuple[str, ...] = ("eigen", "reflections", "fitness", "ecomplexity")

#: below this many rows (or columns) the dense symmetric solver is used
_SMALL = 128
#: relative residual asked of Lanczos; eigenvector error ~ _TOL / eigengap
_TOL = 1e-12


@dataclass(frozen=True)
class Complexity:
    """The two tables of a complexity computation.

    ``regions`` has ``region, time, diversity, eci``; ``industries`` has
    ``industry, time, ubiquity, pci``. With ``method="fitness"`` the ``eci`` column holds
    the fitness :math:`F_r` and ``pci`` the complexity :math:`Q_p` of Tacchella et al.
    """

    regions: pd.DataFrame
    industries: pd.DataFrame


def presence(x: sp.spmatrix, threshold: float = 1.0, *, strict: bool = False) -> sp.csr_matrix:
    """The binary matrix ``M`` (float64, sparse): 1 where RCA >= threshold (> if ``strict``).

    Examples
    --------
    >>> x = sp.csr_matrix(np.array([[2.0, 2.0], [0.0, 4.0]]))
    >>> presence(x).toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    r = rca(sp.csr_matrix(x))
    thr = float(np.nextafter(threshold, np.inf)) if strict else threshold
    return sp.csr_matrix(binary(r, thr), dtype=np.float64)


def check_values(pm: PanelMatrix, time: str) -> None:
    """Raise :class:`MeasureError` if a period's matrix has negative or non-finite values."""
    data = pm.matrix.data
    bad = ~np.isfinite(data) | (data < 0)
    if bad.any():
        raise MeasureError(
            nmsg("period %(time)s: %(n)d value(s) are negative or infinite; complexity needs "
                 "non-negative activity (exports, employment)",
                 "period %(time)s: %(n)d value(s) are negative or infinite; complexity needs "
                 "non-negative activity (exports, employment)", int(bad.sum()), time=repr(time))
        )


def presences(selected: Panel, threshold: float = 1.0, *,
              strict: bool = False) -> Iterator[tuple[str, PanelMatrix, sp.csr_matrix]]:
    """``(time, matrix, M)`` for every period of an already selected panel, each matrix
    checked (:func:`check_values`) and ``M`` its :func:`presence`: the loop of complexity
    and outlook. Not a measure (it takes no selection options)."""
    for t, pm in matrices(selected):
        yield t, pm, checked_presence(pm, t, threshold, strict=strict)


def checked_presence(pm: PanelMatrix, time: str, threshold: float = 1.0, *,
                     strict: bool = False) -> sp.csr_matrix:
    """:func:`presence` of one period's matrix once :func:`check_values` has passed it."""
    check_values(pm, time)
    return presence(pm.matrix, threshold, strict=strict)


def long_cells(x: sp.spmatrix) -> int:
    """Rows with some activity times columns with some activity: the number of cells of
    Stata ``ecomplexity``'s long table, whose standard deviations divide by it."""
    return int((np.asarray(x.sum(axis=1)).ravel() > 0).sum()
               * (np.asarray(x.sum(axis=0)).ravel() > 0).sum())


def second_eigenpair(m: sp.csr_matrix, d: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``(kc, kp)``: the second eigenvectors of :math:`D^{-1}MU^{-1}M^\top` and its dual.

    ``m`` must have no zero rows or columns (``d``, ``u`` its row and column sums).
    ``kp`` has unit Euclidean norm (as Mata's ``eigensystem`` returns it) and
    :math:`k_c = D^{-1} M k_p`; the sign is not fixed here.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float))
    >>> kc, kp = second_eigenpair(m, np.array([3.0, 2, 1]), np.array([3.0, 2, 1]))
    >>> bool(np.isclose(np.linalg.norm(kp), 1)), bool(np.allclose(kc, (m @ kp) / [3, 2, 1]))
    (True, True)
    """
    a = m.copy()
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    a.data = m.data / (np.sqrt(d)[rows] * np.sqrt(u)[m.indices])
    on_products = a.shape[1] <= a.shape[0]
    g = a if on_products else a.T.tocsr()  # G = g.T @ g is the smaller Gram matrix
    side = u if on_products else d
    q = np.sqrt(side) / np.linalg.norm(np.sqrt(side))
    n = len(side)
    if n <= _SMALL:
        gram = (g.T @ g).toarray() if sp.issparse(g) else g.T @ g
        gram = gram - np.outer(q, q)  # deflate the known top eigenpair (eigenvalue 1)
        _, vecs = np.linalg.eigh(gram)
        v = vecs[:, -1]
    else:
        gt = g.T.tocsr()

        def matvec(x: np.ndarray) -> np.ndarray:
            x = np.ravel(x)
            y = x - q * (q @ x)
            z = gt @ (g @ y)
            return np.asarray(z - q * (q @ z))

        op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
        # Start from two reflections of the degree vector (close to the answer, deterministic).
        v0 = np.asarray(g.T @ (g @ (np.sqrt(side) * side))).ravel()
        v0 = v0 - q * (q @ v0)
        _, vecs = eigsh(op, k=1, which="LA", v0=v0, tol=_TOL, ncv=min(n, 8))
        v = vecs[:, 0]
    if on_products:
        kp = v / np.sqrt(u)
    else:
        kp = np.asarray(m.T @ (v / np.sqrt(d))).ravel() / u
    kp = kp / np.linalg.norm(kp)
    kc = np.asarray(m @ kp).ravel() / d
    return kc, kp


def _orient(kc: np.ndarray, kp: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flip both vectors so that ``kc`` correlates positively with diversity (Stata's rule)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.corrcoef(d, kc)[0, 1] if np.std(d) > 0 and np.std(kc) > 0 else 1.0
    return (-kc, -kp) if c < 0 else (kc, kp)


def _z(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.full_like(x, np.nan)


def _eigen(m: sp.csr_matrix, d: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kc, kp = _orient(*second_eigenpair(m, d, u), d)
    return _z(kc), _z(kp)


def _ecomplexity(m: sp.csr_matrix, d: np.ndarray, u: np.ndarray, n_long: int) -> tuple[np.ndarray, np.ndarray]:
    kc, kp = _orient(*second_eigenpair(m, d, u), d)
    # Stata: `sum eci` runs over the rectangular region x industry long table, so the sd is
    # the sample sd of kc repeated once per industry (n_long - 1 degrees of freedom).
    mu = kc.mean()
    sd = np.sqrt(((kc - mu) ** 2).sum() * (n_long / len(kc)) / (n_long - 1))
    return (kc - mu) / sd, (kp - mu) / sd


def _reflections(m: sp.csr_matrix, d: np.ndarray, u: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    mt = m.T.tocsr()
    kc = d.copy()
    for _ in range(iterations // 2):
        kp = np.asarray(mt @ kc).ravel() / u
        kc = _z(np.asarray(m @ kp).ravel() / d)  # z-scoring each step is affine: same limit
    if iterations % 2:
        kc = _z(np.asarray(m @ (np.asarray(mt @ kc).ravel() / u)).ravel() / d)
    kp = np.asarray(mt @ kc).ravel() / u
    return _z(kc), _z(kp)


def _fitness(m: sp.csr_matrix, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    from innesto.measures.fitness import fitness_complexity

    return fitness_complexity(m, iterations=iterations)


def complexity_matrix(
    m: sp.csr_matrix,
    method: Method = "eigen",
    *,
    iterations: int | None = None,
    n_long: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """ECI (per row) and PCI (per column) of a binary matrix; NaN for empty rows/columns.

    ``n_long`` (``ecomplexity`` only) is the size of Stata's long table, regions x industries
    with a positive total; it defaults to the size of ``m``.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float))
    >>> eci, pci = complexity_matrix(m)
    >>> (eci.round(4) + 0.0).tolist(), (pci.round(4) + 0.0).tolist()
    ([1.2247, 0.0, -1.2247], [-1.2247, 0.0, 1.2247])
    """
    if method not in METHODS:
        raise MeasureError(msg("unknown complexity method %(method)s; expected one of %(items)s",
                           method=repr(method), items=', '.join(METHODS)))
    m = sp.csr_matrix(m, dtype=np.float64)
    d_all = np.asarray(m.sum(axis=1)).ravel()
    u_all = np.asarray(m.sum(axis=0)).ravel()
    r_ok, p_ok = d_all > 0, u_all > 0
    eci = np.full(m.shape[0], np.nan)
    pci = np.full(m.shape[1], np.nan)
    if r_ok.sum() < 2 or p_ok.sum() < 2:
        return eci, pci
    mv = m if r_ok.all() and p_ok.all() else sp.csr_matrix(m[r_ok][:, p_ok])
    # dropping empty columns can empty a row only if it was empty already
    d, u = d_all[r_ok], u_all[p_ok]
    runners: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {
        "eigen": lambda: _eigen(mv, d, u),
        "ecomplexity": lambda: _ecomplexity(mv, d, u, n_long or mv.shape[0] * mv.shape[1]),
        "reflections": lambda: _reflections(mv, d, u, 18 if iterations is None else iterations),
        "fitness": lambda: _fitness(mv, 200 if iterations is None else iterations),
    }
    e, p = runners[method]()
    eci[r_ok], pci[p_ok] = e, p
    return eci, pci


def complexity(
    panel: Panel,
    *,
    method: Method = "eigen",
    threshold: float = 1.0,
    iterations: int | None = None,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> Complexity:
    r"""Economic Complexity Index (regions) and Product Complexity Index (industries).

    Eigenvector method (``"eigen"``, Hidalgo & Hausmann 2009; Hausmann et al. 2014):

    .. math::

        \tilde M_{rr'} = \sum_p \frac{M_{rp} M_{r'p}}{k_{r,0}\, k_{p,0}}, \qquad
        \tilde M \vec K = \lambda \vec K

    :math:`\vec K` is the eigenvector of the second largest eigenvalue;
    :math:`\vec Q = U^{-1} M^\top \vec K` is the matching industry vector (the second
    eigenvector of :math:`U^{-1} M^\top D^{-1} M`). The sign is chosen so that ECI
    correlates positively with diversity, and
    :math:`ECI = (K - \langle K\rangle)/\mathrm{sd}(K)`,
    :math:`PCI = (Q - \langle Q\rangle)/\mathrm{sd}(Q)`, each with its own mean and
    population standard deviation (``ddof=0``).

    ``"ecomplexity"`` reproduces the Stata command ``ecomplexity`` (Growth Lab): the same
    eigenvector pair with :math:`k_c = D^{-1} M k_p`, :math:`M = [RCA > 1]` (strict),
    and both indices standardised with the **ECI's** mean and the sample standard
    deviation over the rectangular region x industry long table
    (:math:`n = N_r N_p`, ``ddof=1``), i.e.
    :math:`ECI = (k_c - \bar k_c)/s`, :math:`PCI = (k_p - \bar k_c)/s` with
    :math:`s^2 = N_p \sum_r (k_r - \bar k)^2 / (N_r N_p - 1)`. This standardisation is the
    whole difference from ``"eigen"`` (up to 0.006 on the ground-truth sample).

    ``"reflections"`` (Hidalgo & Hausmann 2009, eq. 1-2):
    :math:`k_{r,N} = \frac{1}{k_{r,0}} \sum_p M_{rp} k_{p,N-1}`,
    :math:`k_{p,N} = \frac{1}{k_{p,0}} \sum_r M_{rp} k_{r,N-1}`; ECI is the z-score of
    :math:`k_{r,N}` (``iterations`` :math:`N`, default 18) and PCI that of
    :math:`k_{p,N+1}`. Each step is z-scored to avoid the collapse onto the constant
    vector; being affine, this leaves the z-scored result unchanged.

    ``"fitness"``: Tacchella et al. (2012), see :func:`innesto.measures.fitness.fitness`.

    Regions (industries) with zero diversity (ubiquity) get NaN.

    Parameters
    ----------
    panel
        Values (exports, employment) per region, industry and period; computed per period.
    method
        ``"eigen"`` (default), ``"reflections"``, ``"fitness"`` or ``"ecomplexity"``.
    threshold
        RCA cut-off for :math:`M_{rp}` (1 by default).
    iterations
        Reflections (default 18) or fitness iterations (default 200).

    Returns
    -------
    Complexity
        ``.regions`` (region, time, diversity, eci) and ``.industries``
        (industry, time, ubiquity, pci).

    References
    ----------
    Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
    PNAS 106(26), 10570-10575, eq. 1-2 (reflections) and SI section 2 (eigenvector).
    Hausmann, R., Hidalgo, C. A., et al. (2014). The Atlas of Economic Complexity, MIT
    Press, Technical Box 2.1 (ECI, PCI).
    Tacchella, A., et al. (2012). A new metrics for countries' fitness and products'
    complexity. Scientific Reports 2, 723, eq. 1.

    Examples
    --------
    >>> p = Panel.from_records([
    ...     ("A", "x", 2017, 10), ("A", "y", 2017, 10), ("A", "z", 2017, 10),
    ...     ("B", "x", 2017, 10), ("B", "y", 2017, 10), ("C", "x", 2017, 10)])
    >>> c = complexity(p)
    >>> c.regions.round(4).values.tolist()
    [['A', '2017', 2, 1.309], ['B', '2017', 2, -0.191], ['C', '2017', 1, -1.118]]
    >>> c.industries["pci"].round(3).tolist()
    [-1.309, 0.191, 1.118]
    """
    import pandas as pd

    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "complexity")
    if method not in METHODS:
        raise MeasureError(msg("unknown complexity method %(method)s; expected one of %(items)s",
                           method=repr(method), items=', '.join(METHODS)))
    region_frames, industry_frames = [], []
    for t, pm, m in presences(panel, threshold, strict=method == "ecomplexity"):
        e, p = complexity_matrix(m, method, iterations=iterations, n_long=long_cells(pm.matrix))
        region_frames.append(pd.DataFrame({
            "region": pm.regions.astype(str), "time": t,
            "diversity": np.asarray(m.sum(axis=1)).ravel().astype(np.int64), "eci": e}))
        industry_frames.append(pd.DataFrame({
            "industry": pm.industries.astype(str), "time": t,
            "ubiquity": np.asarray(m.sum(axis=0)).ravel().astype(np.int64), "pci": p}))
    if not region_frames:
        raise MeasureError(msg("the panel is empty"))
    return Complexity(pd.concat(region_frames, ignore_index=True), pd.concat(industry_frames, ignore_index=True))


def eci(panel: Panel, *, method: Method = "eigen", threshold: float = 1.0,
        iterations: int | None = None, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    """``region, time, diversity, eci``: the region table of :func:`complexity`.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 2), ("A", "y", 1, 2), ("B", "x", 1, 3),
    ...                         ("C", "y", 1, 1), ("C", "z", 1, 5)])
    >>> list(eci(p).columns)
    ['region', 'time', 'diversity', 'eci']
    """
    return complexity(panel, method=method, threshold=threshold, iterations=iterations,
                      regions=regions, industries=industries, period=period,
                      reference_region=reference_region, total_industry=total_industry).regions


def pci(panel: Panel, *, method: Method = "eigen", threshold: float = 1.0,
        iterations: int | None = None, regions: Codes = None, industries: Codes = None,
        period: Periods = None, reference_region: str | None = None,
        total_industry: str | None = None) -> pd.DataFrame:
    """``industry, time, ubiquity, pci``: the industry table of :func:`complexity`.

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 2), ("A", "y", 1, 2), ("B", "x", 1, 3),
    ...                         ("C", "y", 1, 1), ("C", "z", 1, 5)])
    >>> pci(p)["ubiquity"].tolist()
    [2, 1, 1]
    """
    return complexity(panel, method=method, threshold=threshold, iterations=iterations,
                      regions=regions, industries=industries, period=period,
                      reference_region=reference_region, total_industry=total_industry).industries
