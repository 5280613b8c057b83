"""Tidy tables and Parquet files from the matrix stage's results.

The same table comes out of the sparse and the dense path: ``cells`` holds every cell with
a stored input value or a non-zero density (a missing row means value 0 and density 0).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp

if TYPE_CHECKING:  # pragma: no cover
    from innesto.engines.pipeline import PeriodResult, PipelineResult

TABLES = ("cells", "regions", "industries", "proximity")


def _pattern(x: Any) -> sp.csr_matrix:
    """Indicator of the stored entries of a sparse matrix, or of non-zero/NaN dense cells."""
    if sp.issparse(x):
        x = sp.csr_matrix(x)
        return sp.csr_matrix((np.ones(x.nnz), x.indices, x.indptr), shape=x.shape)
    arr = np.asarray(x)
    r, c = np.nonzero((arr != 0) | np.isnan(arr) if arr.dtype.kind == "f" else arr != 0)
    return sp.csr_matrix((np.ones(r.size), (r, c)), shape=arr.shape)


def _take(x: Any, keys: np.ndarray, n_cols: int) -> np.ndarray:
    """Values of ``x`` at the cells with linear index ``row * n_cols + col`` (sorted keys)."""
    if sp.issparse(x):
        csr = sp.csr_matrix(x)
        csr.sum_duplicates()  # canonical: sorted indices, so keys come out sorted
        rows = np.repeat(np.arange(csr.shape[0], dtype=np.int64), np.diff(csr.indptr))
        own = rows * n_cols + csr.indices
        out = np.zeros(len(keys), dtype=np.float64)
        pos = np.searchsorted(keys, own)
        hit = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == own)
        out[pos[hit]] = csr.data[hit]
        return out
    return np.asarray(x, dtype=np.float64).ravel()[keys]


def _labels(labels: np.ndarray, idx: np.ndarray) -> pa.Array:
    """``labels[idx]`` as an Arrow string array, without Python string objects per row."""
    dictionary = pa.array([str(v) for v in labels], pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), dictionary).cast(pa.string())


def period_tables(p: PeriodResult) -> dict[str, pd.DataFrame]:
    """The four tidy tables of one period."""
    union = (_pattern(p.value) + _pattern(p.density)).tocsr()
    union.sum_duplicates()
    rows = np.repeat(np.arange(union.shape[0], dtype=np.int64), np.diff(union.indptr))
    cols = union.indices.astype(np.int64)
    n_cols = union.shape[1]
    keys = rows * n_cols + cols
    n = len(keys)
    cells = pa.table({
        "region": _labels(p.regions, rows),
        "industry": _labels(p.industries, cols),
        "time": pa.array([p.time] * n, pa.string()) if n else pa.array([], pa.string()),
        "value": _take(p.value, keys, n_cols),
        "rca": _take(p.rca, keys, n_cols),
        "m": _take(p.m, keys, n_cols).astype(np.int8),
        "density": _take(p.density, keys, n_cols),
    }).to_pandas()
    regions = pd.DataFrame({"region": p.regions.astype(str), "time": p.time,
                            "diversity": p.diversity, "eci": p.eci})
    industries = pd.DataFrame({"industry": p.industries.astype(str), "time": p.time,
                               "ubiquity": p.ubiquity, "pci": p.pci})
    phi = sp.coo_matrix(p.proximity)
    keep = phi.data != 0
    prox = pd.DataFrame({
        "industry_a": p.industries[phi.row[keep]].astype(str),
        "industry_b": p.industries[phi.col[keep]].astype(str),
        "time": p.time,
        "proximity": phi.data[keep],
    }).sort_values(["industry_a", "industry_b"], ignore_index=True)
    return {"cells": cells, "regions": regions, "industries": industries, "proximity": prox}


def tables(result: PipelineResult) -> dict[str, pd.DataFrame]:
    """The four tidy tables for every period, stacked."""
    per = [period_tables(p) for p in result.periods]
    return {name: pd.concat([t[name] for t in per], ignore_index=True) for name in TABLES}


def write_tables(frames: dict[str, pd.DataFrame], outdir: str | Path) -> list[Path]:
    """Write each table to ``outdir/<name>.parquet`` atomically (temporary file, rename)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in frames.items():
        target = outdir / f"{name}.parquet"
        fd, tmp = tempfile.mkstemp(prefix=".innesto-", suffix=".parquet", dir=outdir)
        os.close(fd)
        try:
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
