"""``innesto pipeline``: tables written, options checked, microdata, errors in one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.engines import pipeline
from innesto.panel import Panel
from tests.conftest import require_shared

_register()
runner = CliRunner()


def test_pipeline_on_trade_csv_equals_library(tmp_path: Path) -> None:
    """Identity: the CLI's tables equal the library's pipeline on the same panel."""
    src = require_shared("ecomplexity-stata-ground-truth", "trade_data_sample.csv")
    out = tmp_path / "out"
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(out), "--region", "origin",
                              "--industry", "hs92", "--time", "year", "--value", "export_val",
                              "--quiet"])
    assert res.exit_code == 0, res.output
    assert "600 input rows" in res.output and "2 periods" in res.output
    regions = pd.read_parquet(out / "regions.parquet")
    df = pd.read_csv(src, dtype={"hs92": str, "year": str})
    lib = pipeline.run(Panel.from_pandas(df, region="origin", industry="hs92", time="year",
                                         value="export_val"))
    p = lib["1995"]
    got = regions[regions.time == "1995"].set_index("region").eci.reindex(p.regions)
    assert np.allclose(got.to_numpy(), p.eci, atol=1e-12)
    for name in ("cells", "industries", "proximity"):
        assert len(pd.read_parquet(out / f"{name}.parquet")) > 0
    assert not list(out.glob(".innesto-*"))


def test_pipeline_microdata_with_progress(tmp_path: Path) -> None:
    """Hand-made microdata: employees summed per region and industry, progress shown."""
    src = tmp_path / "units.csv"
    src.write_text("firm,nuts,ateco,year,emp\n"
                   "f1,ITC11,C10,2020,5\nf1,ITC11,C20,2020,2\nf2,ITC11,C10,2020,4\n"
                   "f3,ITC12,C20,2020,7\nf4,ITC12,C28,2020,1\nf5,ITC13,C28,2020,6\n")
    out = tmp_path / "out"
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(out), "--microdata",
                              "--unit", "firm", "--region", "nuts", "--industry", "ateco",
                              "--time", "year", "--weight", "emp", "--workers", "2"])
    assert res.exit_code == 0, res.output
    assert "matrix stage" in res.output
    cells = pd.read_parquet(out / "cells.parquet").set_index(["region", "industry"])
    assert cells.loc[("ITC11", "C10"), "value"] == 9.0
    assert cells.loc[("ITC12", "C20"), "value"] == 7.0


def test_pipeline_errors(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("region,industry,time,value\nr,i,1,2\n")
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "o"),
                              "--engine", "polars"])
    assert res.exit_code == 1 and "--engine 'polars': expected duckdb, spark" in res.output
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "o"),
                              "--spark-master", "local[1]"])
    assert res.exit_code == 1 and "needs --engine spark" in res.output
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "o"),
                              "--value", "amount", "-q"])
    assert res.exit_code == 1 and "'amount' not found" in res.output
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "o"), "--workers", "0"])
    assert res.exit_code == 2 and "--workers" in res.output
    assert not (tmp_path / "o").exists()


def test_pipeline_tables_and_sparse_density(tmp_path: Path) -> None:
    """``--tables`` writes only the tables asked; ``--density sparse`` lists the cells with
    a value or a density >= --density-min (the full run's cells, filtered)."""
    from innesto.engines.synthetic import synthetic_panel

    src = tmp_path / "p.parquet"
    synthetic_panel(40, 20, 2, seed=2).write_parquet(src)
    full, some, sparse = tmp_path / "full", tmp_path / "some", tmp_path / "sparse"
    assert runner.invoke(app, ["pipeline", str(src), "-o", str(full), "-q"]).exit_code == 0
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(some), "-q",
                              "--tables", "regions,industries"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in some.iterdir()) == ["industries.parquet", "regions.parquet"]
    assert "cells" not in res.output
    pd.testing.assert_frame_equal(pd.read_parquet(some / "regions.parquet"),
                                  pd.read_parquet(full / "regions.parquet"))
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(sparse), "-q", "--tables",
                              "cells", "--density", "sparse", "--density-min", "0.3"])
    assert res.exit_code == 0, res.output
    cells = pd.read_parquet(full / "cells.parquet")
    keep = cells[(cells.value != 0) | (cells.density >= 0.3)].reset_index(drop=True)
    pd.testing.assert_frame_equal(pd.read_parquet(sparse / "cells.parquet"), keep)
    assert f"{len(keep)} cells" in res.output
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "x"), "--tables",
                              "cells,eci"])
    assert res.exit_code == 1 and "unknown table(s) eci" in res.output
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "x"), "--density",
                              "some"])
    assert res.exit_code == 1 and "--density 'some': expected dense, sparse" in res.output
    assert not (tmp_path / "x").exists()
