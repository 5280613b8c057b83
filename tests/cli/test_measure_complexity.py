"""``innesto measure complexity``: the three CSV files, from Parquet and CSV inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.cli.measure import measure_app
from innesto.cli.measure_complexity import register
from tests.conftest import require_shared
from tests.measures._stata import stata_trade, stata_truth

_register()
register(measure_app)  # idempotent: a no-op once `innesto.cli.measure` registers it
runner = CliRunner()


def _stata_panel(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    panel = stata_trade()[1]
    return panel.write_parquet(tmp_path / "trade.parquet"), stata_truth()


def test_parquet_panel_ecomplexity_reproduces_stata(tmp_path: Path) -> None:
    """Reference implementation: Stata `ecomplexity` ground truth, through the CLI; column
    options omitted for a Parquet panel."""
    src, truth = _stata_panel(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(app, ["measure", "complexity", str(src), "--method", "ecomplexity",
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    regions = pd.read_csv(out / "regions.csv", dtype={"region": str, "time": str})
    industries = pd.read_csv(out / "industries.csv", dtype={"industry": str, "time": str})
    density = pd.read_csv(out / "density.csv", dtype={"industry": str, "time": str})
    assert list(regions.columns) == ["region", "time", "diversity", "eci"]
    assert list(industries.columns) == ["industry", "time", "ubiquity", "pci"]
    assert list(density.columns) == ["region", "industry", "time", "rca", "m", "density"]
    assert len(density) == 600
    t = truth[truth.kind == "eci"].rename(columns={"code": "region", "year": "time"})
    r = regions.merge(t, on=["region", "time"])
    assert len(r) == 20 and np.abs(r["eci"] - r["value"]).max() < 1e-6
    assert (r["diversity"] == r["diversity_or_ubiquity"]).all()
    t = truth[truth.kind == "pci"].rename(columns={"code": "industry", "year": "time"})
    p = industries.merge(t, on=["industry", "time"])
    assert len(p) == 60 and np.abs(p["pci"] - p["value"]).max() < 1e-6


def test_csv_with_column_options(tmp_path: Path) -> None:
    """A plain CSV named by column options (needs the generic CSV reader); same diversity
    as the Stata ground truth."""
    src = require_shared("ecomplexity-stata-ground-truth", "trade_data_sample.csv")
    out = tmp_path / "out"
    res = runner.invoke(app, ["measure", "complexity", str(src), "--region", "origin",
                              "--industry", "hs92", "--time", "year", "--value", "export_val",
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    regions = pd.read_csv(out / "regions.csv")
    assert len(regions) == 20 and regions["eci"].notna().all()


def test_bad_method_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    """An unknown method fails with exit code 1 and leaves no output folder content."""
    src, _ = _stata_panel(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(app, ["measure", "complexity", str(src), "--method", "magic",
                              "-o", str(out)])
    assert res.exit_code == 1
    assert "--method 'magic': expected eigen" in res.output
    assert not out.exists() or not any(out.iterdir())


def _run(tmp_path: Path, name: str, *extra: str) -> dict[str, pd.DataFrame]:
    src, _ = _stata_panel(tmp_path)
    out = tmp_path / name
    res = runner.invoke(app, ["measure", "complexity", str(src), "--method", "ecomplexity",
                              "-q", "-o", str(out), *extra])
    assert res.exit_code == 0, res.output
    return {f: pd.read_csv(out / f"{f}.csv", dtype={"region": str, "industry": str,
                                                    "time": str})
            for f in ("regions", "industries", "density")}


def test_engine_duckdb_gives_the_stata_numbers(tmp_path: Path) -> None:
    """--engine duckdb (the default) cleans and sums the rows on DuckDB, as `innesto
    pipeline` does; ECI still equals Stata's ground truth (1e-6)."""
    got = _run(tmp_path, "duck", "--engine", "duckdb")["regions"]
    t = stata_truth()
    t = t[t.kind == "eci"].rename(columns={"code": "region", "year": "time"})
    r = got.merge(t, on=["region", "time"])
    assert len(r) == 20 and np.abs(r["eci"] - r["value"]).max() < 1e-6


def test_period_option_selects_one_year(tmp_path: Path) -> None:
    """--period keeps the chosen year only; its numbers equal the full run's for that year
    (complexity is computed period by period)."""
    full = _run(tmp_path, "all")["regions"]
    one = _run(tmp_path, "one", "--period", "1996")["regions"]
    assert set(one["time"]) == {"1996"}
    expected = full[full["time"] == "1996"].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), expected)


def test_unknown_engine_is_one_line(tmp_path: Path) -> None:
    src, _ = _stata_panel(tmp_path)
    res = runner.invoke(app, ["measure", "complexity", str(src), "--engine", "pandas",
                              "-o", str(tmp_path / "o")])
    assert res.exit_code == 1 and "--engine 'pandas': expected duckdb, spark" in res.output


@pytest.mark.spark
@pytest.mark.slow
def test_engine_spark_equals_duckdb(tmp_path: Path, spark: Any) -> None:
    """The same three tables from Spark (local mode) and DuckDB, to 1e-12. The command
    runs in the test run's one Spark session (``spark``), which it must leave running."""
    duck = _run(tmp_path, "duck", "--engine", "duckdb")
    on_spark = _run(tmp_path, "spark", "--engine", "spark", "--spark-master", "local[1]")
    for name, frame in duck.items():
        keys = [c for c in ("region", "industry", "time") if c in frame.columns]
        a = frame.sort_values(keys).reset_index(drop=True)
        b = on_spark[name].sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=1e-12)
    assert spark.range(3).count() == 3
