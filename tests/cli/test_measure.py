"""``innesto measure lq`` and ``innesto measure shift-share`` (innesto.cli.measure)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.measures.specialisation import location_quotient
from innesto.panel import Panel
from tests.measures._torino import A10, torino_panel

_register()
runner = CliRunner()


@pytest.fixture
def torino_parquet(tmp_path: Path) -> Path:
    """The Piemonte employment table written as `innesto ingest` would (Parquet panel)."""
    return torino_panel().write_parquet(tmp_path / "piemonte.parquet")


def test_lq_against_italy(torino_parquet: Path, tmp_path: Path) -> None:
    """Torino's 2017 LQ in J against Italy, the regression value of the library test."""
    out = tmp_path / "lq.csv"
    result = runner.invoke(app, ["measure", "lq", str(torino_parquet), "--reference-region",
                                 "IT", "--total-industry", "TOTAL", "-o", str(out)])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out, dtype={"time": str})
    assert list(df.columns) == ["region", "industry", "time", "lq"]
    j = df[(df["region"] == "ITC11") & (df["industry"] == "J") & (df["time"] == "2017")]
    assert j["lq"].iloc[0] == pytest.approx(1.970044842645186, rel=1e-12)


def test_lq_default_is_against_all_regions(tmp_path: Path) -> None:
    """Without options the benchmark is the sum of all regions in the input (identity
    with the library call)."""
    panel = Panel.from_records([("R1", "A", 2017, 2), ("R1", "B", 2017, 2),
                                ("R2", "A", 2017, 0), ("R2", "B", 2017, 4)])
    src = panel.write_parquet(tmp_path / "p.parquet")
    out = tmp_path / "lq.csv"
    result = runner.invoke(app, ["measure", "lq", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = pd.read_csv(out)["lq"].to_numpy()
    expected = location_quotient(panel)["lq"].to_numpy()
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("method", ["classic", "esteban-marquillas", "dynamic"])
def test_shift_share_torino(torino_parquet: Path, tmp_path: Path, method: str) -> None:
    """Torino vs Italy 2008-2017: components per industry and overall; total -4,200."""
    out = tmp_path / "ss.csv"
    result = runner.invoke(app, [
        "measure", "shift-share", str(torino_parquet), "--focus", "ITC11", "--reference",
        "IT", "--start", "2008", "--end", "2017", "--method", method, "--total-industry",
        "TOTAL", "--industries", ",".join(A10), "-o", str(out)])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out).set_index("industry")
    components = ["national", "industry_mix", "competitive"]
    if method == "esteban-marquillas":
        components.append("allocation")
    else:
        assert "allocation" not in df.columns
    assert set(components + ["total"]) <= set(df.columns)
    assert list(df.index) == [*A10, "TOTAL"]
    assert df.loc["TOTAL", "total"] == -4200.0
    assert df[components].sum(axis=1).to_numpy() == pytest.approx(df["total"].to_numpy())


def test_shift_share_from_csv_with_column_options(tmp_path: Path) -> None:
    """A plain CSV read through the generic reader with --region/--industry/--time/--value:
    Krumme's textbook industries I and II (national growth effect recomputed by hand:
    (500 + 100) * (350 - 300) / 300 = 100)."""
    src = tmp_path / "jobs.csv"
    src.write_text("area,sector,year,jobs\n"
                   "region,I,1985,500\nregion,I,1995,1000\nnation,I,1985,100\n"
                   "nation,I,1995,110\nregion,II,1985,100\nregion,II,1995,100\n"
                   "nation,II,1985,200\nnation,II,1995,240\n")
    out = tmp_path / "ss.csv"
    result = runner.invoke(app, [
        "measure", "shift-share", str(src), "--region", "area", "--industry", "sector",
        "--time", "year", "--value", "jobs", "--focus", "region", "--reference", "nation",
        "--start", "1985", "--end", "1995", "-o", str(out)])
    assert result.exit_code == 0, result.output
    overall = pd.read_csv(out).set_index("industry").loc["_all"]
    assert overall["national"] == pytest.approx(100.0)
    assert overall["total"] == pytest.approx(500.0)


def test_error_is_one_line_and_leaves_no_file(torino_parquet: Path, tmp_path: Path) -> None:
    """Overlapping Eurostat aggregates without --industries: exit 1, innesto's message,
    and no output file (written atomically)."""
    out = tmp_path / "ss.csv"
    result = runner.invoke(app, [
        "measure", "shift-share", str(torino_parquet), "--focus", "ITC11", "--reference",
        "IT", "--start", "2008", "--end", "2017", "--total-industry", "TOTAL", "-o",
        str(out)])
    assert result.exit_code == 1
    assert "overlap or leave a gap" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(tmp_path.glob(".innesto-*"))


def test_unknown_reference_region(torino_parquet: Path, tmp_path: Path) -> None:
    out = tmp_path / "lq.csv"
    result = runner.invoke(app, ["measure", "lq", str(torino_parquet), "--reference-region",
                                 "FR", "-o", str(out)])
    assert result.exit_code == 1
    assert "reference region 'FR' not in the panel" in result.output
    assert not out.exists()
