"""Synthetic data for the benchmarks: seeded, shaped as asked, streamed in row groups."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from innesto.engines.synthetic import synthetic_panel, write_microdata


def test_synthetic_panel_is_seeded_and_about_70_percent_zeros() -> None:
    a = synthetic_panel(200, 80, 2, seed=9)
    b = synthetic_panel(200, 80, 2, seed=9)
    assert a.table.equals(b.table)
    zeros = 1 - a.n_rows / (200 * 80 * 2)
    assert 0.65 < zeros < 0.75
    assert a.times == ["2000", "2001"] and a.n_missing == 0


def test_write_microdata_streams_row_groups(tmp_path: Path) -> None:
    """25,000 rows in batches of 10,000 give three row groups and no temporary file left."""
    path = write_microdata(tmp_path / "m.parquet", 25_000, batch_rows=10_000, seed=2,
                           n_regions=30, n_industries=12, n_years=3)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 25_000 and meta.num_row_groups == 3
    t = pq.read_table(path)
    assert t.schema.names == ["unit", "region", "industry", "year", "weight"]
    assert len(set(t.column("year").to_pylist())) == 3
    assert min(t.column("weight").to_pylist()) >= 1
    assert [p.name for p in tmp_path.iterdir()] == ["m.parquet"]
