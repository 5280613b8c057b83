"""innesto.sources.gisco against a local server serving GISCO's real NUTS 2021 files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innesto.errors import FetchError
from innesto.sources.gisco import fetch_nuts, nuts_filename, nuts_url
from tests.sources import gisco_server
from tests.sources.gisco_server import PREFIX, FakeGisco

gisco = gisco_server.gisco  # the fixture


def test_url_follows_gisco_layout() -> None:
    assert nuts_url(url="https://x.eu/") == (
        "https://x.eu/distribution/v2/nuts/geojson/NUTS_RG_60M_2021_4326_LEVL_3.geojson")
    assert nuts_filename(kind="lb", scale="01M") == "NUTS_LB_2021_4326_LEVL_3.geojson"
    assert nuts_filename(scale="01m", level=0, year=2016, crs=3035) == (
        "NUTS_RG_01M_2016_3035_LEVL_0.geojson")


def test_default_base_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_GISCO_URL", "http://local:1")
    assert nuts_url(level=2).startswith("http://local:1/distribution/v2/nuts/geojson/")
    monkeypatch.delenv("INNESTO_GISCO_URL")
    assert nuts_url().startswith("https://gisco-services.ec.europa.eu/distribution/")


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("scale", "5M", "01M, 03M"), ("level", 4, "0, 1, 2, 3"), ("kind", "XX", "RG, LB"),
    ("year", 2020, "2016, 2021, 2024")])
def test_invalid_options(option: str, value: object, allowed: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=f"unknown NUTS {option}.*{allowed}"):
        fetch_nuts(**{option: value}, cache_dir=tmp_path, url="http://127.0.0.1:9")  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


def test_fetch_caches_and_refreshes(gisco: FakeGisco, tmp_path: Path) -> None:
    got = fetch_nuts(cache_dir=tmp_path, url=gisco.url)
    assert gisco.requests == [PREFIX + "NUTS_RG_60M_2021_4326_LEVL_3.geojson"]
    assert not got.from_cache and got.url == gisco.url + gisco.requests[0]
    real = (gisco.folder / "NUTS_RG_60M_2021_4326_LEVL_3.geojson").read_bytes()
    assert got.path.read_bytes() == real and got.bytes == len(real)
    doc = json.loads(got.path.read_bytes())
    italy = {f["properties"]["NUTS_ID"] for f in doc["features"]
             if f["properties"]["CNTR_CODE"] == "IT"}
    assert "ITC11" in italy  # Torino
    meta = json.loads(got.path.with_suffix(".json").read_text())
    assert meta["url"] == got.url and meta["sha256"] == got.sha256
    assert meta["options"] == {"year": 2021, "scale": "60M", "level": 3, "crs": 4326,
                               "kind": "RG"}
    assert meta["retrieved"] == got.retrieved and meta["bytes"] == len(real)
    again = fetch_nuts(cache_dir=tmp_path, url=gisco.url)
    assert again.from_cache and again.retrieved == got.retrieved and len(gisco.requests) == 1
    fresh = fetch_nuts(cache_dir=tmp_path, url=gisco.url, refresh=True)
    assert not fresh.from_cache and len(gisco.requests) == 2
    labels = fetch_nuts(cache_dir=tmp_path, url=gisco.url, kind="LB")
    assert labels.url.endswith("/NUTS_LB_2021_4326_LEVL_3.geojson")


def test_download_progress_reports_bytes_against_content_length(
        gisco: FakeGisco, tmp_path: Path) -> None:
    """The progress callback sees the bytes grow to the file's size, out of its
    Content-Length; a cached copy reports nothing."""
    calls: list[tuple[str, int, int | None]] = []
    got = fetch_nuts(cache_dir=tmp_path, url=gisco.url,
                     progress=lambda step, done, total: calls.append((step, done, total)))
    assert calls[0] == (f"download {got.url}", 0, got.bytes)
    assert calls[-1] == (f"download {got.url}", got.bytes, got.bytes)
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and len(calls) >= 2
    calls.clear()
    fetch_nuts(cache_dir=tmp_path, url=gisco.url, progress=lambda *a: calls.append(a))
    assert calls == []


def test_404_is_fetch_error(gisco: FakeGisco, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"NUTS_RG_60M_2021_4326_LEVL_1\.geojson: HTTP 404"):
        fetch_nuts(level=1, cache_dir=tmp_path, url=gisco.url)
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


def test_server_error_and_bad_bodies(gisco: FakeGisco, tmp_path: Path) -> None:
    path = PREFIX + "NUTS_RG_60M_2021_4326_LEVL_0.geojson"
    gisco.bodies[path] = (503, b"maintenance")
    with pytest.raises(FetchError, match="HTTP 503, the service is unavailable"):
        fetch_nuts(level=0, cache_dir=tmp_path, url=gisco.url)
    gisco.bodies[path] = (200, b"<html>maintenance</html>")
    with pytest.raises(FetchError, match=f"{gisco.url}{path}: the answer is not JSON"):
        fetch_nuts(level=0, cache_dir=tmp_path, url=gisco.url)
    gisco.bodies[path] = (200, b'{"type": "FeatureCollection", "features": '
                               b'[{"type": "Feature", "properties": {"id": 1}}]}')
    with pytest.raises(FetchError, match="feature 0 has no NUTS_ID"):
        fetch_nuts(level=0, cache_dir=tmp_path, url=gisco.url)
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


def test_timeout_is_fetch_error(tmp_path: Path) -> None:
    import socket
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(FetchError, match="timed out"):
            fetch_nuts(cache_dir=tmp_path, url=base, timeout=0.3)
