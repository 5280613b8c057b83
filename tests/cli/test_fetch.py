"""``innesto fetch eurostat`` against a local server serving Eurostat's formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.panel import Panel
from tests.sources import eurostat_server
from tests.sources.eurostat_server import NAMA_CSV, PREFIX, FakeEurostat, Route

eurostat = eurostat_server.eurostat  # the fixture: a fake API on 127.0.0.1
_register()
runner = CliRunner()


def test_fetch_writes_panel_and_reuses_cache(eurostat: FakeEurostat, tmp_path: Path) -> None:
    eurostat.routes["nama_10r_3empers"] = Route(body=NAMA_CSV.encode())
    out, cache = tmp_path / "torino.parquet", tmp_path / "cache"
    args = ["fetch", "eurostat", "nama_10r_3empers", "--filter", "geo=ITC11,ITC1",
            "--filter", "geo=IT", "--cache-dir", str(cache), "--url", eurostat.url,
            "-o", str(out), "--report-json", str(tmp_path / "r.json")]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "downloaded http://127.0.0.1" in res.output and "confidential: 1" in res.output
    (path, query), = eurostat.requests
    assert path == PREFIX + "nama_10r_3empers/1.0" and query["c[geo]"] == ["ITC11,ITC1,IT"]
    panel = Panel.read_parquet(out)
    assert panel.regions == ["IT", "ITC1", "ITC11"]
    assert panel.meta.attribution.startswith("Source: Eurostat, nama_10r_3empers (retrieved")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["url"] == query_url(eurostat, "ITC11,ITC1,IT")
    res = runner.invoke(app, args)
    assert res.exit_code == 0 and "cached copy of" in res.output
    assert len(eurostat.requests) == 1
    res = runner.invoke(app, [*args, "--refresh"])
    assert res.exit_code == 0 and len(eurostat.requests) == 2


def query_url(eurostat: FakeEurostat, geo: str) -> str:
    return (f"{eurostat.url}{PREFIX}nama_10r_3empers/1.0?c[geo]={geo}"
            "&format=csvdata&formatVersion=2.0&compress=false")


def test_env_url_and_plain_errors(eurostat: FakeEurostat, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_EUROSTAT_URL", eurostat.url)
    monkeypatch.setenv("INNESTO_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "x.parquet"
    res = runner.invoke(app, ["fetch", "eurostat", "nope", "-o", str(out)])
    assert res.exit_code == 1 and not out.exists()
    assert "HTTP 404" in res.output and "is not available for dissemination" in res.output
    assert eurostat.url in res.output
    eurostat.routes["two_units"] = Route(body=(NAMA_CSV + NAMA_CSV.splitlines()[1].replace(
        "THS", "PC") + "\n").encode())
    res = runner.invoke(app, ["fetch", "eurostat", "two_units", "-o", str(out)])
    assert res.exit_code == 1 and not out.exists()
    assert "'unit' has several values (PC, THS)" in res.output
    res = runner.invoke(app, ["fetch", "eurostat", "two_units", "-o", str(out), "-f", "geo"])
    assert res.exit_code == 1 and "is not DIM=CODES" in res.output
