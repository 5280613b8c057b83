"""Private: ECI/PCI from a binary matrix by Lanczos on the symmetric similar matrix.

Used by :mod:`innesto.engines.pipeline` only; the public measure lives in
:mod:`innesto.measures`. The formula is in the pipeline module's docstring.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh

#: below this many valid industries the dense symmetric solver is used
SMALL = 64


def eci_pci(m: sp.csr_matrix | np.ndarray, diversity: np.ndarray,
            ubiquity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Standardised ECI (per region) and PCI (per industry); NaN where undefined.

    Examples
    --------
    >>> m = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float)
    >>> eci, pci = eci_pci(m, m.sum(1), m.sum(0))
    >>> eci.round(4).tolist(), pci.round(4).tolist()
    ([1.2247, 0.0, -1.2247], [-1.2247, 1.2247, 3.6742])
    """
    r_ok = diversity > 0
    p_ok = ubiquity > 0
    eci = np.full(len(diversity), np.nan)
    pci = np.full(len(ubiquity), np.nan)
    if r_ok.sum() < 2 or p_ok.sum() < 2:
        return eci, pci
    mv = sp.csr_matrix(m, dtype=np.float64)  # Lanczos products cost O(nnz) on CSR
    if not (r_ok.all() and p_ok.all()):
        mv = sp.csr_matrix(mv[r_ok][:, p_ok])
    d = diversity[r_ok].astype(np.float64)
    u = ubiquity[p_ok].astype(np.float64)
    w = _second_vector(mv, d, u)
    kp = w / np.sqrt(u)
    kc = np.asarray(mv @ kp).ravel() / d
    with np.errstate(invalid="ignore"):
        c = np.corrcoef(d, kc)[0, 1]
    sign = -1.0 if np.isfinite(c) and c < 0 else 1.0
    kc, kp = sign * kc, sign * kp
    mu, sd = kc.mean(), kc.std()
    if not sd > 0:
        return eci, pci
    eci[r_ok] = (kc - mu) / sd
    pci[p_ok] = (kp - mu) / sd
    return eci, pci


def _second_vector(m: sp.csr_matrix, d: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Eigenvector of S = U^-1/2 M^T D^-1 M U^-1/2 for its second largest eigenvalue."""
    a = sp.csr_matrix(sp.diags(1 / np.sqrt(d)) @ m @ sp.diags(1 / np.sqrt(u)))
    at = sp.csr_matrix(a.T)
    top = np.sqrt(u) / np.linalg.norm(np.sqrt(u))  # S @ top = top (eigenvalue 1)
    n = len(u)
    if n <= SMALL:
        s = (at @ a).toarray() - np.outer(top, top)
        vals, vecs = np.linalg.eigh(s)
        return np.asarray(vecs[:, -1])

    def matvec(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v).ravel()
        v = v - top * (top @ v)
        out = np.asarray(at @ np.asarray(a @ v).ravel()).ravel()
        return np.asarray(out - top * (top @ out))

    op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)  # type: ignore[call-arg]
    v0 = np.linspace(1.0, 2.0, n) - top * (top @ np.linspace(1.0, 2.0, n))
    try:
        vals, vecs = eigsh(op, k=1, which="LA", v0=v0, tol=1e-13, maxiter=20 * n)
    except ArpackNoConvergence:  # pragma: no cover - near-degenerate spectra
        s = (at @ a).toarray() - np.outer(top, top)
        vals, vecs = np.linalg.eigh(s)
        return np.asarray(vecs[:, -1])
    return np.asarray(vecs[:, 0])
