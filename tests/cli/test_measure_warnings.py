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


def test_other_warnings_are_shown_once_and_do_not_loop() -> None:
    """Regression: re-showing a recorded warning inside the recorder recorded it again,
    forever (a test process grew to 24 GB)."""
    import warnings

    from innesto.cli.common import handle_errors
    from innesto.errors import DoubleCountingWarning

    @handle_errors
    def command() -> str:
        warnings.warn("plain library warning", RuntimeWarning, stacklevel=1)
        warnings.warn(DoubleCountingWarning("nested codes"), stacklevel=1)
        return "done"

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert command() == "done"
    assert [str(w.message) for w in seen] == ["plain library warning"]
