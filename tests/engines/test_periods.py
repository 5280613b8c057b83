"""The one-pass period split: the same matrices as Panel.matrix, whatever the table's shape."""

from __future__ import annotations

import pyarrow as pa
import pytest
import scipy.sparse as sp

from innesto.engines import periods
from innesto.engines.synthetic import synthetic_panel
from innesto.panel import Panel


def _same(p: Panel) -> None:
    """Identity: every period's matrix equals Panel.matrix (labels, order, values)."""
    enc = periods.encode(p)
    assert enc.times == sorted({str(t) for t in p.table.column("time").to_pylist()
                                if p.matrix(str(t)).matrix.nnz})
    for t in enc.times:
        got, ref = enc.matrix(t), p.matrix(t)
        assert list(got.regions) == list(ref.regions)
        assert list(got.industries) == list(ref.industries)
        assert (sp.csr_matrix(got.matrix) != ref.matrix).nnz == 0


def test_split_equals_panel_matrix_on_synthetic() -> None:
    _same(synthetic_panel(40, 15, 3, seed=2))


def test_parallel_encoding_of_a_chunked_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The threaded encoding (large tables) on a table of many chunks gives the same split."""
    monkeypatch.setattr(periods, "PARALLEL_ROWS", 0)
    p = synthetic_panel(30, 12, 4, seed=5)
    chunked = pa.Table.from_batches(p.table.to_batches(max_chunksize=37))
    assert chunked.column("region").num_chunks > 1
    _same(Panel(chunked))


def test_missing_values_left_out_and_empty_period_skipped() -> None:
    """Hand-made: a null value is not a cell; a period with only nulls is not a period."""
    p = Panel.from_records([("b", "x", 2001, 1.0), ("a", "x", 2000, 2.0), ("a", "y", 2001, None),
                            ("c", "z", 2002, None), ("a", "x", 2000, 3.0)])
    enc = periods.encode(p)
    assert enc.times == ["2000", "2001"]
    m2000 = enc.matrix("2000")
    assert m2000.regions.tolist() == ["a"] and m2000.industries.tolist() == ["x"]
    assert m2000.matrix.toarray().tolist() == [[5.0]]  # duplicate cells summed
    m2001 = enc.matrix("2001")
    assert m2001.regions.tolist() == ["b"] and m2001.industries.tolist() == ["x"]
    got = dict(periods.split_periods(p, times=["2001", "2002"]))
    assert list(got) == ["2001"]
