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


def test_serve_uses_threaded_workers_that_keep_connections_alive() -> None:
    """The serving setup measured by bench/portal_throughput.py (docs/portal.md,
    "Serving"): gunicorn's gthread worker, THREADS threads each, keep-alive on."""
    from innesto.cli.serve import KEEP_ALIVE, THREADS, WORKERS, gunicorn_argv

    argv = gunicorn_argv("127.0.0.1", 8123)
    option = {name: argv[argv.index(name) + 1]
              for name in ("--workers", "--worker-class", "--threads", "--keep-alive")}
    assert option == {"--workers": str(WORKERS), "--worker-class": "gthread",
                      "--threads": str(THREADS), "--keep-alive": str(KEEP_ALIVE)}
    assert KEEP_ALIVE > 0 and THREADS > 1
    assert gunicorn_argv("127.0.0.1", 8123, 1, 6)[argv.index("--threads") + 1] == "6"
    assert "--access-logfile" not in argv
    assert "--access-logfile" in gunicorn_argv("127.0.0.1", 8123, access_log=True)


def test_the_serve_command_passes_workers_and_threads_to_gunicorn(
        tmp_path: Path, monkeypatch: Any) -> None:
    from innesto.cli import serve
    from innesto.cli.app import _register, app

    started: list[tuple[Any, ...]] = []
    monkeypatch.setenv("INNESTO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "test-only-key-" + "0123456789abcdefghij" * 3)
    monkeypatch.setattr(serve, "prepare_database", lambda **_: None)
    monkeypatch.setattr(serve, "serve_forever", lambda *a, **k: started.append((*a, k)))
    _register()
    runner = CliRunner()
    for extra, want in (([], (serve.WORKERS, serve.THREADS, {"access_log": False})),
                        (["--workers", "3", "--threads", "2", "--access-log"],
                         (3, 2, {"access_log": True}))):
        result = runner.invoke(app, ["serve", "--port", "0", *extra])
        assert result.exit_code == 0, result.output
        assert started.pop()[2:] == want
    assert runner.invoke(app, ["serve", "--port", "0", "--threads", "0"]).exit_code == 2


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
