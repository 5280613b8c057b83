"""The CLI turns a double-counting warning into one readable line (and still writes)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from innesto.cli.app import _register, app
from tests.measures.test_nesting import _mixed

_register()


def test_lq_on_nested_regions_prints_one_warning_line(tmp_path: Path) -> None:
    panel = _mixed().write_parquet(tmp_path / "p.parquet")
    out = tmp_path / "lq.csv"
    result = CliRunner().invoke(app, ["measure", "lq", str(panel), "--total-industry", "TOTAL",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: the regions summed for the benchmark nest (IT contains ITC11)" in (
        " ".join(result.output.split()))
    assert out.exists()
