"""``innesto fetch nuts`` against a local server serving GISCO's real NUTS 2021 files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from tests.sources import gisco_server
from tests.sources.gisco_server import PREFIX, FakeGisco

gisco = gisco_server.gisco  # the fixture
_register()
runner = CliRunner()


def test_fetch_nuts_copies_and_reuses_cache(gisco: FakeGisco, tmp_path: Path) -> None:
    out = tmp_path / "out" / "nuts2.geojson"
    args = ["fetch", "nuts", "--level", "2", "--cache-dir", str(tmp_path / "c"),
            "--url", gisco.url, "-o", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "downloaded http://127.0.0.1" in res.output
    assert "© EuroGeographics for the administrative boundaries" in res.output
    assert gisco.requests == [PREFIX + "NUTS_RG_60M_2021_4326_LEVL_2.geojson"]
    ids = {f["properties"]["NUTS_ID"] for f in json.loads(out.read_bytes())["features"]}
    assert "ITC1" in ids  # Piemonte
    res = runner.invoke(app, args)
    assert res.exit_code == 0 and "cached copy of" in res.output and len(gisco.requests) == 1
    res = runner.invoke(app, [*args, "--refresh"])
    assert res.exit_code == 0 and len(gisco.requests) == 2
    assert "download http://127.0.0.1" in res.output  # the download's progress bar
    res = runner.invoke(app, [*args, "--refresh", "--quiet"])
    assert res.exit_code == 0 and len(gisco.requests) == 3
    assert "download http://127.0.0.1" not in res.output and "downloaded" in res.output


def test_fetch_nuts_errors(gisco: FakeGisco, tmp_path: Path) -> None:
    res = runner.invoke(app, ["fetch", "nuts", "--scale", "5M", "--url", gisco.url,
                              "--cache-dir", str(tmp_path)])
    assert res.exit_code != 0 and "unknown NUTS scale '5M'" in res.output
    res = runner.invoke(app, ["fetch", "nuts", "--level", "1", "--url", gisco.url,
                              "--cache-dir", str(tmp_path), "-o", str(tmp_path / "x")])
    assert res.exit_code != 0 and "HTTP 404" in res.output
    assert not (tmp_path / "x").exists()


def test_fetch_nuts_uses_env_url(
    gisco: FakeGisco, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNESTO_GISCO_URL", gisco.url)
    monkeypatch.setenv("INNESTO_CACHE_DIR", str(tmp_path))
    res = runner.invoke(app, ["fetch", "nuts", "--kind", "LB"])
    assert res.exit_code == 0, res.output
    assert list((tmp_path / "gisco").glob("NUTS_LB_2021_4326_LEVL_3-*.geojson"))
