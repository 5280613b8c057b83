"""The shared per-period loop: one encoding pass gives the same matrices as Panel.matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd

from innesto.measures._kernels import matrices, per_period
from innesto.panel import Panel


def _random_panel(seed: int) -> Panel:
    rng = np.random.default_rng(seed)
    n = 400
    df = pd.DataFrame({
        "region": rng.choice([f"R{i}" for i in range(30)], n),
        "industry": rng.choice([f"{i:04d}" for i in range(25)], n),  # leading zeros kept
        "time": rng.choice(["2015", "2016", "2017", "2018"], n),
        "value": rng.lognormal(size=n),
    })
    df.loc[rng.random(n) < 0.1, "value"] = np.nan
    df.loc[df["time"] == "2018", "value"] = np.nan  # a period with only missing values
    return Panel.from_pandas(df)


def test_matrices_equal_panel_matrix_per_period() -> None:
    """Identity: for seeded random panels with duplicates, missing values, labels present in
    some periods only and an all-missing period, matrices() yields exactly the periods and
    matrices of Panel.matrix(t)."""
    for seed in range(5):
        panel = _random_panel(seed)
        got = list(matrices(panel))
        assert [t for t, _ in got] == panel.times
        for t, pm in got:
            ref = panel.matrix(time=t)
            assert pm.regions.tolist() == ref.regions.tolist()
            assert pm.industries.tolist() == ref.industries.tolist()
            assert pm.matrix.shape == ref.matrix.shape
            assert np.array_equal(pm.matrix.toarray(), ref.matrix.toarray())


def test_per_period_adds_time_after_the_keys() -> None:
    """Identity: per_period stacks each period's frame with a time column."""
    panel = _random_panel(1)
    out = per_period(panel, lambda pm, t: pd.DataFrame({"region": pm.regions.astype(str),
                                                         "n": pm.matrix.getnnz(axis=1)}))
    assert list(out.columns) == ["region", "time", "n"]
    assert set(out["time"]) <= set(panel.times)
