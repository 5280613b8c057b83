"""Seeded synthetic panels and microdata for benchmarks and scale tests.

The panels are not random noise: each region has a latent capability and each industry a
latent complexity, and a region is present in an industry with a probability that falls
with ``complexity - capability``. That gives a nested region x industry matrix, as real
data are, so that the second eigenvector behind ECI/PCI is well separated and results can
be compared between implementations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from innesto._atomic import atomic_path
from innesto.panel import Panel, PanelMeta


def synthetic_panel(
    n_regions: int = 3000,
    n_industries: int = 1000,
    n_years: int = 5,
    zero_share: float = 0.7,
    seed: int = 0,
) -> Panel:
    """A seeded region x industry x year panel with about ``zero_share`` zero cells.

    Only the non-zero cells are stored (a zero is an absent row, as in most published
    tables); region codes are ``R00000``, industry codes ``I0000`` and years start at 2000.

    Examples
    --------
    >>> p = synthetic_panel(50, 20, 2, seed=1)
    >>> p.times, len(p.regions) <= 50
    (['2000', '2001'], True)
    >>> 0.6 < 1 - p.n_rows / (50 * 20 * 2) < 0.8
    True
    """
    rng = np.random.default_rng(seed)
    capability = rng.normal(size=n_regions)
    complexity = rng.normal(size=n_industries)
    size = rng.lognormal(mean=0.0, sigma=1.0, size=n_regions)
    scale = rng.lognormal(mean=0.0, sigma=1.0, size=n_industries)
    # Choose the logistic offset so that the expected share of present cells is 1 - zero_share.
    gap = complexity[None, :] - capability[:, None]
    offset = _offset_for_share(gap, 1.0 - zero_share)
    regions = np.array([f"R{i:05d}" for i in range(n_regions)], dtype=object)
    industries = np.array([f"I{j:04d}" for j in range(n_industries)], dtype=object)
    tables = []
    for k in range(n_years):
        noise = rng.normal(scale=0.3, size=gap.shape)
        present = rng.random(gap.shape) < 1.0 / (1.0 + np.exp(1.5 * gap + offset + noise))
        r, c = np.nonzero(present)
        value = np.round(size[r] * scale[c] * rng.lognormal(sigma=0.5, size=r.size) * 100.0)
        value = np.maximum(value, 1.0)
        tables.append(pa.table({
            "region": pa.array(regions[r], pa.string()),
            "industry": pa.array(industries[c], pa.string()),
            "time": pa.array([str(2000 + k)] * r.size, pa.string()),
            "value": pa.array(value, pa.float64()),
        }))
    return Panel(pa.concat_tables(tables), PanelMeta(measure="synthetic"))


def _offset_for_share(gap: np.ndarray, share: float) -> float:
    """Bisection on the logistic offset so that the mean presence probability is ``share``."""
    lo, hi = -20.0, 20.0
    sample = gap.ravel()[:: max(1, gap.size // 200_000)]
    for _ in range(60):
        mid = (lo + hi) / 2
        p = float(np.mean(1.0 / (1.0 + np.exp(1.5 * sample + mid))))
        lo, hi = (mid, hi) if p > share else (lo, mid)
    return (lo + hi) / 2


def microdata_batches(
    n_rows: int,
    n_regions: int = 1500,
    n_industries: int = 600,
    n_years: int = 20,
    batch_rows: int = 1_000_000,
    seed: int = 0,
) -> Iterator[pa.RecordBatch]:
    """Synthetic establishment microdata in batches of ``batch_rows`` rows.

    Columns: ``unit`` (establishment id, int64), ``region``, ``industry``, ``year``
    (strings) and ``weight`` (employees, float64). A unit keeps its region; industries are
    drawn with a region-specific tilt so that specialisation exists.

    Examples
    --------
    >>> b = next(microdata_batches(10, batch_rows=10))
    >>> b.num_rows, b.schema.names
    (10, ['unit', 'region', 'industry', 'year', 'weight'])
    """
    rng = np.random.default_rng(seed)
    regions = np.array([f"R{i:04d}" for i in range(n_regions)], dtype=object)
    industries = np.array([f"I{j:03d}" for j in range(n_industries)], dtype=object)
    years = np.array([str(2000 + k) for k in range(n_years)], dtype=object)
    tilt = rng.integers(0, n_industries, size=n_regions)
    done = 0
    while done < n_rows:
        n = min(batch_rows, n_rows - done)
        unit = np.arange(done, done + n, dtype=np.int64) // 3  # about three rows per unit
        r = (unit * 2654435761 % n_regions).astype(np.int64)
        near = (tilt[r] + rng.geometric(0.02, size=n)) % n_industries
        c = np.where(rng.random(n) < 0.5, near, rng.integers(0, n_industries, size=n))
        y = rng.integers(0, n_years, size=n)
        w = np.ceil(rng.lognormal(mean=1.5, sigma=1.0, size=n))
        yield pa.record_batch({
            "unit": pa.array(unit),
            "region": pa.DictionaryArray.from_arrays(pa.array(r), pa.array(regions, pa.string())).cast(pa.string()),
            "industry": pa.DictionaryArray.from_arrays(pa.array(c), pa.array(industries, pa.string())).cast(pa.string()),
            "year": pa.DictionaryArray.from_arrays(pa.array(y), pa.array(years, pa.string())).cast(pa.string()),
            "weight": pa.array(w, pa.float64()),
        })
        done += n


def write_microdata(path: str | Path, n_rows: int, *, batch_rows: int = 1_000_000,
                    seed: int = 0, **shape: int) -> Path:
    """Stream ``n_rows`` synthetic microdata rows to Parquet, one row group per batch.

    Never holds more than one batch in memory; writes a temporary file and renames it.
    """
    path = Path(path)
    with atomic_path(path, suffix=".parquet") as tmp:
        writer: pq.ParquetWriter | None = None
        for batch in microdata_batches(n_rows, batch_rows=batch_rows, seed=seed, **shape):
            if writer is None:
                writer = pq.ParquetWriter(tmp, batch.schema, compression="zstd")
            writer.write_batch(batch, row_group_size=batch_rows)
        if writer is not None:
            writer.close()
    return path
