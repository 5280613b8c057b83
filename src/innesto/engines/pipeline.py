"""The matrix stage, per period: RCA, binary M, diversity/ubiquity, ECI/PCI, proximity, density.

One call runs the whole chain for every period of a panel, with the measures of
:mod:`innesto.measures` (whose docstrings give the formulas and references):
:func:`~innesto.measures._kernels.rca` and :func:`~innesto.measures._kernels.binary`
(:math:`M_{rp} = [RCA_{rp} \\ge 1]`), diversity :math:`k_{r,0} = \\sum_p M_{rp}` and
ubiquity :math:`k_{p,0} = \\sum_r M_{rp}`,
:func:`~innesto.measures.complexity.complexity_matrix` (ECI/PCI, eigenvector method by
default), :func:`~innesto.measures.relatedness.proximity_matrix`
(:math:`\\varphi_{pq} = \\sum_r M_{rp} M_{rq} / \\max(k_{p,0}, k_{q,0})`, diagonal 0 by
default) and :func:`~innesto.measures.relatedness.density_matrix`
(:math:`\\omega_{rp} = \\sum_q M_{rq} \\varphi_{qp} / \\sum_q \\varphi_{qp}`).

Each period is one region x industry matrix, computed on one of two paths:

- *sparse*: SciPy CSR throughout, with the measures' own functions; the region x industry
  intermediates (value, RCA, M) hold only the non-zeros, and only the density output is a
  full region x industry array.
- *dense*: the same RCA, M and ECI/PCI, but co-occurrence :math:`M^T M` and density
  :math:`M \\varphi` as BLAS products on dense arrays (co-occurrence in float32, exact
  for counts below :math:`2^{24}`), which is several times faster when many cells are filled.

Both give the same numbers (tested to 1e-12); ``path="auto"`` picks by fill ratio and size.

References
----------
Hidalgo, C. A., Klinger, B., Barabási, A.-L., Hausmann, R. (2007). The product space
conditions the development of nations. Science 317(5837), 482-487 (proximity, eq. 1;
density, SOM eq. 2).
Hidalgo, C. A., Hausmann, R. (2009). The building blocks of economic complexity. PNAS
106(26), 10570-10575 (diversity and ubiquity, eqs. 1-2).
Hausmann, R., Hidalgo, C. A., et al. (2014). The Atlas of Economic Complexity, MIT Press,
"Technical box 1" (ECI and PCI as eigenvectors).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from innesto._progress import Progress
from innesto.engines import periods
from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures import _kernels
from innesto.measures.complexity import Method, complexity_matrix
from innesto.measures.relatedness import density_matrix, proximity_matrix
from innesto.panel import Panel, PanelMatrix

Path_ = Literal["auto", "sparse", "dense"]

#: above this share of filled cells, ``path="auto"`` takes the dense path
DENSE_FILL = 0.01
#: ... unless the dense region x industry matrix would exceed this many cells
DENSE_MAX_CELLS = 20_000_000


@dataclass(frozen=True)
class MatrixRecord:
    """One matrix built by the pipeline: its name, shape and how many entries it holds."""

    name: str
    shape: tuple[int, int]
    stored: int
    dense: bool


@dataclass
class PeriodResult:
    """Every output of the matrix stage for one period, aligned with sorted labels."""

    time: str
    regions: np.ndarray
    industries: np.ndarray
    path: str
    value: sp.csr_matrix
    rca: sp.csr_matrix | np.ndarray
    m: sp.csr_matrix | np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    proximity: sp.csr_matrix | np.ndarray
    density: sp.csr_matrix | np.ndarray
    ledger: list[MatrixRecord] = field(default_factory=list)
    #: the input's cells without a value or with a flag (listed by ``cells`` as null, or
    #: with their flag); None when there are none
    marks: periods.CellMarks | None = None

    def dense(self, name: str) -> np.ndarray:
        """An output as a dense array, whichever path built it."""
        x = getattr(self, name)
        return np.asarray(x.toarray() if sp.issparse(x) else x)


def choose_path(shape: tuple[int, int], nnz: int, path: Path_ = "auto") -> str:
    """``"dense"`` or ``"sparse"``: dense when the matrix is filled and fits comfortably.

    Examples
    --------
    >>> choose_path((3000, 1000), 900_000), choose_path((3000, 1000), 9_000)
    ('dense', 'sparse')
    """
    if path != "auto":
        if path not in ("sparse", "dense"):
            raise MeasureError(msg("path must be 'auto', 'sparse' or 'dense', not %(path)s",
                               path=repr(path)))
        return path
    cells = shape[0] * shape[1]
    return "dense" if cells and nnz / cells >= DENSE_FILL and cells <= DENSE_MAX_CELLS else "sparse"


def run_period(pm: PanelMatrix, time: str = "", *, threshold: float = 1.0,
               path: Path_ = "auto", diagonal: float = 0.0,
               method: Method = "eigen") -> PeriodResult:
    """The whole matrix stage on one period's region x industry matrix.

    ``threshold`` is the RCA cut-off of M, ``diagonal`` the proximity of an industry to
    itself (0 as Stata ``ecomplexity`` and EconGeo, 1 as the Python ``ecomplexity``) and
    ``method`` the ECI/PCI method of :func:`~innesto.measures.complexity.complexity_matrix`.

    Examples
    --------
    >>> p = Panel.from_records([("a", "x", 2000, 5), ("a", "y", 2000, 1), ("b", "x", 2000, 1),
    ...                         ("b", "y", 2000, 5), ("c", "x", 2000, 3), ("c", "y", 2000, 3),
    ...                         ("c", "z", 2000, 4)])
    >>> r = run_period(p.matrix("2000"), "2000")
    >>> r.diversity.tolist(), r.ubiquity.tolist()
    ([1, 1, 1], [1, 1, 1])
    >>> r.dense("m").tolist()
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    """
    x = sp.csr_matrix(pm.matrix, dtype=np.float64, copy=True)
    x.eliminate_zeros()  # published zeros are stored cells of the input; not here
    if x.nnz and float(x.data.min()) < 0:
        raise MeasureError(msg("period %(time)s: negative values; RCA needs counts or amounts >= 0",
                           time=repr(time)))
    if x.sum() == 0:
        raise MeasureError(msg("period %(time)s: the matrix sums to zero", time=repr(time)))
    chosen = choose_path(x.shape, x.nnz, path)
    ledger = [MatrixRecord("value", x.shape, x.nnz, False)]
    if chosen == "sparse":
        parts = _sparse(x, threshold, diagonal, ledger)
    else:
        parts = _dense(x, threshold, diagonal, ledger)
    rca, m, div, ubi, phi, dens, mf = parts
    eci, pci = complexity_matrix(mf, method)
    return PeriodResult(time, pm.regions, pm.industries, chosen, x, rca, m, div, ubi,
                        eci, pci, phi, dens, ledger)


def _sparse(x: sp.csr_matrix, threshold: float, diagonal: float,
            ledger: list[MatrixRecord]) -> tuple[Any, ...]:
    rca, m, mf, div, ubi = _presence(x, threshold, ledger)
    phi = proximity_matrix(mf, diagonal=diagonal)
    dens = density_matrix(mf, phi)
    ledger += [MatrixRecord("proximity", phi.shape, phi.nnz, False),
               MatrixRecord("density", dens.shape, dens.size, True)]
    return rca, m, div, ubi, phi, dens, mf


def _dense(x: sp.csr_matrix, threshold: float, diagonal: float,
           ledger: list[MatrixRecord]) -> tuple[Any, ...]:
    """Proximity and density as BLAS products: the formulas of ``proximity_matrix`` and
    ``density_matrix`` (tested equal to them), for filled matrices."""
    rca, m, mf, div, ubi = _presence(x, threshold, ledger)
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    m32 = np.zeros(m.shape, dtype=np.float32)
    m32[rows, m.indices] = 1.0
    co = (m32.T @ m32).astype(np.float64)  # integer counts < 2**24: exact in float32
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / np.maximum(ubi[:, None], ubi[None, :])
    phi[~np.isfinite(phi)] = 0.0
    np.fill_diagonal(phi, np.where(ubi > 0, diagonal, 0.0))
    colsum = phi.sum(axis=0)
    m64 = np.zeros(m.shape, dtype=np.float64)
    m64[rows, m.indices] = 1.0
    dens = m64 @ phi
    dens *= _inverse(colsum)[None, :]
    dens[:, colsum == 0] = np.nan
    ledger += [MatrixRecord("m_dense", m32.shape, m32.size, True),
               MatrixRecord("cooccurrence", co.shape, co.size, True),
               MatrixRecord("proximity", phi.shape, phi.size, True),
               MatrixRecord("density", dens.shape, dens.size, True)]
    return rca, m, div, ubi, phi, dens, mf


def _presence(x: sp.csr_matrix, threshold: float, ledger: list[MatrixRecord]
              ) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix, np.ndarray, np.ndarray]:
    """RCA and M on the stored cells only (shared by both paths), with diversity/ubiquity."""
    rca = _kernels.rca(x)
    m = _kernels.binary(rca, threshold)
    ledger += [MatrixRecord("rca", rca.shape, rca.nnz, False),
               MatrixRecord("m", m.shape, m.nnz, False)]
    mf = sp.csr_matrix((np.ones(m.nnz), m.indices, m.indptr), shape=m.shape)
    div = np.diff(m.indptr).astype(np.int64)
    ubi = np.bincount(m.indices, minlength=m.shape[1]).astype(np.int64)
    return rca, m, mf, div, ubi


def _inverse(v: np.ndarray) -> np.ndarray:
    """1/v where v != 0, else 0."""
    out = np.zeros_like(v, dtype=np.float64)
    np.divide(1.0, v, out=out, where=v != 0)
    return out


@dataclass
class PipelineResult:
    """The matrix stage for every period, with tidy tables on request."""

    periods: list[PeriodResult]

    @property
    def times(self) -> list[str]:
        return [p.time for p in self.periods]

    def __getitem__(self, time: str | int) -> PeriodResult:
        for p in self.periods:
            if p.time == str(time):
                return p
        raise KeyError(time)

    def tables(self) -> dict[str, Any]:
        """Tidy pandas tables: ``cells``, ``regions``, ``industries``, ``proximity``.

        ``cells`` lists every stored (region, industry) cell of the input with value, rca,
        m and density; ``proximity`` lists the industry pairs with a non-zero proximity.
        """
        from innesto.engines import outputs

        return outputs.tables(self)


def run(panel: Panel, *, threshold: float = 1.0, path: Path_ = "auto", diagonal: float = 0.0,
        method: Method = "eigen", progress: Progress | None = None,
        times: Iterable[str] | None = None, workers: int | None = None) -> PipelineResult:
    """The matrix stage for every period of ``panel`` (missing values are left out).

    Options as :func:`run_period`.

    ``workers`` (default: one per CPU core) share the periods. While there are at least as
    many periods left as workers, each worker thread builds and computes one period at a
    time with single-threaded BLAS (NumPy's BLAS and SciPy's sparse kernels release the
    GIL); the periods left over are then computed one after the other, each with every
    core in BLAS. So the cores are neither idle nor oversubscribed, and the results do not
    depend on ``workers``: each period is computed by the same code, on its own data.

    ``progress(step, done, total)`` is called after each period, for progress bars.

    Examples
    --------
    >>> from innesto.engines.synthetic import synthetic_panel
    >>> res = run(synthetic_panel(60, 30, 2, seed=3))
    >>> res.times, res["2000"].eci.shape == res["2000"].regions.shape
    (['2000', '2001'], True)
    """
    return PipelineResult(list(iter_run(
        periods.encode(panel), threshold=threshold, path=path, diagonal=diagonal,
        method=method, progress=progress, times=times, workers=workers)))


def iter_run(enc: periods.EncodedPanel, *, threshold: float = 1.0, path: Path_ = "auto",
             diagonal: float = 0.0, method: Method = "eigen",
             progress: Progress | None = None, times: Iterable[str] | None = None,
             workers: int | None = None, streaming: bool = False) -> Iterator[PeriodResult]:
    """The matrix stage as :func:`run`, one period at a time, in order, on an encoded panel.

    At most ``workers`` periods are computed ahead of the one the caller holds, so that a
    caller writing each period's tables and letting it go keeps memory bounded by a few
    periods, whatever the number of periods; writing overlaps with computing.

    Periods are computed ``workers`` at a time, each with single-threaded BLAS; the periods
    left over (5 periods on 2 workers: the fifth) are computed after them with the BLAS
    threads of the machine, when nothing else is computing. A ``streaming`` caller (one
    that writes each period's tables, :func:`innesto.engines.flow.write_pipeline`) has
    them computed in the pool too, while it writes the period before: otherwise the last
    period would start only when the caller had finished with the one before it (0.35 s
    of waiting on set (a) of ``bench/peers.py``).
    """
    todo, n = _schedule(enc, times, workers)
    if progress is not None:
        progress("matrix stage", 0, len(todo))

    def one(t: str) -> PeriodResult:
        res = run_period(enc.matrix(t), t, threshold=threshold, path=path,
                         diagonal=diagonal, method=method)
        res.marks = enc.marks(t)
        return res

    left_over = len(todo) % n if n > 1 and not streaming else 0  # computed alone, after
    pooled = len(todo) - left_over if n > 1 else 0
    results = _in_threads(one, todo[:pooled], n) if pooled else iter(())
    for count, result in enumerate(chain(results, map(one, todo[pooled:])), start=1):
        if progress is not None:
            progress("matrix stage", count, len(todo))
        yield result


def _schedule(enc: periods.EncodedPanel, times: Iterable[str] | None,
              workers: int | None) -> tuple[list[str], int]:
    """The periods to compute, in order, and how many threads share them."""
    if workers is not None and workers < 1:
        raise MeasureError(msg("workers must be at least 1, not %(workers)s", workers=workers))
    wanted = None if times is None else {str(t) for t in times}
    todo = [t for t in enc.times if wanted is None or t in wanted]
    if not todo:
        raise MeasureError(msg("the panel is empty"))
    return todo, min(workers or os.cpu_count() or 1, len(todo))


def _in_threads(one: Callable[[str], PeriodResult], todo: list[str], n: int
                ) -> Iterator[PeriodResult]:
    """``one(t)`` for each period in ``n`` threads with single-threaded BLAS, in order,
    at most ``n`` periods ahead of the caller (errors are raised in order too)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(n) as pool:
        ahead: deque[Future[PeriodResult]] = deque()
        for t in todo:
            ahead.append(pool.submit(one, t))
            if len(ahead) > n:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
