"""run_pipeline on DuckDB: Panel or file input, levels, microdata, empty input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from innesto.engines.flow import MicrodataSpec, run_pipeline
from innesto.errors import EngineError
from innesto.panel import Panel


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "geo": ["a", "a", "b", "b", "c", "c"],
        "nace": ["C101", "C102", "C101", "J620", "J620", "J631"],
        "year": ["2020"] * 6,
        "emp": [3.0, 3.0, 1.0, 5.0, 2.0, 2.0],
    })


def test_level_aggregates_before_the_matrix_stage(tmp_path: Path) -> None:
    """Identity: at level 2 'C101' + 'C102' become 'C1' (a: 6), 'J620' + 'J631' become 'J6'."""
    f = tmp_path / "t.parquet"
    _table().to_parquet(f, index=False)
    out = run_pipeline(f, columns={"region": "geo", "industry": "nace", "time": "year",
                                   "value": "emp"}, level=2)
    cells = out.tables["cells"]
    assert sorted(set(cells.industry)) == ["C1", "J6"]
    assert cells.set_index(["region", "industry"]).loc[("a", "C1"), "value"] == 6.0
    assert out.counts == {"rows": 6, "missing": 0, "corrupt": 0, "no_key": 0}


def test_panel_input_equals_file_input(tmp_path: Path) -> None:
    df = _table()
    f = tmp_path / "t.csv"
    df.to_csv(f, index=False)
    cols = {"region": "geo", "industry": "nace", "time": "year", "value": "emp"}
    a = run_pipeline(f, columns=cols).tables
    b = run_pipeline(Panel.from_pandas(df, region="geo", industry="nace", time="year",
                                       value="emp")).tables
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_microdata_units(tmp_path: Path) -> None:
    """Hand-computed: firms per cell (f1 twice in a/x counts once)."""
    f = tmp_path / "m.csv"
    f.write_text("firm,r,i\nf1,a,x\nf1,a,x\nf2,a,x\nf3,a,y\nf4,b,y\nf5,b,z\n")
    out = run_pipeline(f, micro=MicrodataSpec(unit="firm", region="r", industry="i",
                                              time=None, count="units"))
    v = out.tables["cells"].set_index(["region", "industry"]).value
    assert v[("a", "x")] == 2.0 and v[("a", "y")] == 1.0 and v[("b", "z")] == 1.0


def test_nothing_left(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("region,industry,time,value\n,x,1,2\n")
    with pytest.raises(EngineError, match="no rows left"):
        run_pipeline(f)
