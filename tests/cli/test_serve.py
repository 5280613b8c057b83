"""``innesto serve`` runs gunicorn on the portal; ``innesto demo`` loads Torino and reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner


def test_serve_runs_gunicorn_on_the_portal_wsgi_app() -> None:
    from innesto.cli.serve import gunicorn_argv

    argv = gunicorn_argv("127.0.0.1", 8123, 3)
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "innesto.portal.wsgi:application"]
    assert "127.0.0.1:8123" in argv and argv[argv.index("--workers") + 1] == "3"


def test_demo_loads_torino_and_prints_the_lq_of_the_four_sectors(
        db: None, tmp_path: Path, monkeypatch: Any) -> None:
    """Identity: the printed 2017 LQ of ICT (J) in Torino equals
    ``location_quotient`` on ``innesto.datasets.employment_italy()``."""
    from innesto import datasets
    from innesto.cli.app import _register, app
    from innesto.measures.specialisation import location_quotient

    monkeypatch.setenv("INNESTO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "test-only-key-" + "0123456789abcdefghij" * 3)
    _register()
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for sector in ("Automotive", "ICT", "Aerospace", "Finance"):
        assert sector in result.output
    panel = datasets.employment_italy().filter(region=["ITC11", "IT"], industry=["J", "TOTAL"],
                                               time="2017")
    lq = location_quotient(panel, reference_region="IT", total_industry="TOTAL")
    want = float(lq[(lq.region == "ITC11") & (lq.industry == "J")]["lq"].iloc[0])
    assert f"{want:.3f}" in result.output
    assert "Shift-share" in result.output
