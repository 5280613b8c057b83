"""Tidy tables: which cells are listed, and atomic Parquet files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from innesto.engines import outputs, pipeline
from innesto.panel import Panel


def test_cells_are_stored_values_or_nonzero_density() -> None:
    """Identity: a cell without a value and with zero density is left out; one with a
    value or a positive density is listed (toy of test_pipeline: c has only z, and its
    density for x is 0, for y 0.5)."""
    p = Panel.from_records([("a", "x", 2000, 6), ("a", "y", 2000, 2), ("b", "x", 2000, 2),
                            ("b", "y", 2000, 2), ("b", "z", 2000, 4), ("c", "z", 2000, 4)])
    t = pipeline.run(p).tables()
    cells = t["cells"].set_index(["region", "industry"])
    assert ("c", "x") not in cells.index
    assert cells.loc[("c", "y"), "value"] == 0 and cells.loc[("c", "y"), "density"] == 0.5
    assert list(t["regions"].columns) == ["region", "time", "diversity", "eci"]
    assert list(t["proximity"].columns) == ["industry_a", "industry_b", "time", "proximity"]
    assert (t["proximity"].proximity > 0).all()


def test_write_tables_atomic(tmp_path: Path) -> None:
    frames = {"regions": pd.DataFrame({"region": ["a"], "eci": [0.5]})}
    written = outputs.write_tables(frames, tmp_path / "out")
    assert [p.name for p in written] == ["regions.parquet"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["regions.parquet"]
    assert pd.read_parquet(written[0]).eci.tolist() == [0.5]


def test_proximity_rows_are_the_matrix_pairs_in_label_order() -> None:
    """Independent of the table code: on both paths the proximity table lists exactly the
    non-zero entries of the period's proximity matrix, row by row, columns in order."""
    import numpy as np

    from innesto.engines.synthetic import synthetic_panel

    panel = synthetic_panel(60, 25, 1, seed=4)
    for path in ("sparse", "dense"):
        res = pipeline.run(panel, path=path)
        prox = res.tables()["proximity"]
        p = res.periods[0]
        phi = p.dense("proximity")
        a, b = np.nonzero(phi)
        assert prox.industry_a.tolist() == p.industries[a].tolist(), path
        assert prox.industry_b.tolist() == p.industries[b].tolist(), path
        assert np.array_equal(prox.proximity.to_numpy(), phi[a, b]), path
