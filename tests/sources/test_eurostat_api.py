"""Eurostat API client against a local HTTP server serving the official formats."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import FetchError
from innesto.sources.eurostat_api import (
    _http_error,
    data_url,
    fetch_eurostat,
    last_update,
    read_eurostat,
)
from tests.sources import eurostat_server
from tests.sources.eurostat_server import (
    ASYNC_XML,
    BAD_FILTER_XML,
    NAMA_CSV,
    PREFIX,
    TOC_TXT,
    FakeEurostat,
    Route,
)
from tests.sources.fuzzing import FUZZ

eurostat = eurostat_server.eurostat  # the fixture: a fake API on 127.0.0.1

GEO = {"geo": "ITC11,ITC1,IT"}


def test_download_filters_cache_and_refresh(eurostat: FakeEurostat, tmp_path: Path) -> None:
    eurostat.routes["nama_10r_3empers"] = Route(body=NAMA_CSV.encode())
    panel, report = read_eurostat("nama_10r_3empers", GEO, start="2017", cache_dir=tmp_path,
                                  url=eurostat.url)
    (path, query), = eurostat.requests
    assert path == PREFIX + "nama_10r_3empers/1.0"
    assert query["c[geo]"] == ["ITC11,ITC1,IT"] and query["c[TIME_PERIOD]"] == ["ge:2017"]
    assert query["format"] == ["csvdata"] and query["formatVersion"] == ["2.0"]
    assert panel.regions == ["IT", "ITC1", "ITC11"] and panel.n_rows == 6
    assert report.counts == {"confidential": 1, "flag:p": 1}
    assert report.notes[0].startswith("retrieved 20") and eurostat.url in report.notes[0]
    assert panel.meta.attribution.startswith("Source: Eurostat, nama_10r_3empers (retrieved 20")
    (sidecar,) = tmp_path.glob("*.json")
    meta = json.loads(sidecar.read_text())
    assert meta["url"].startswith(eurostat.url) and meta["filters"] == {
        "geo": ["ITC11", "ITC1", "IT"]}
    assert meta["retrieved"][:2] == "20" and meta["bytes"] == len(NAMA_CSV)
    # a second call is served from the cache; --refresh downloads again
    again = fetch_eurostat("nama_10r_3empers", GEO, start="2017", cache_dir=tmp_path,
                           url=eurostat.url)
    assert again.from_cache and again.retrieved == meta["retrieved"]
    assert len(eurostat.requests) == 1
    fresh = fetch_eurostat("nama_10r_3empers", GEO, start="2017", cache_dir=tmp_path,
                           url=eurostat.url, refresh=True)
    assert not fresh.from_cache and len(eurostat.requests) == 2
    # a damaged cache file is not trusted
    fresh.path.write_text("garbage")
    assert not fetch_eurostat("nama_10r_3empers", GEO, start="2017", cache_dir=tmp_path,
                              url=eurostat.url).from_cache
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".json"]


def test_base_url_from_environment(eurostat: FakeEurostat, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    eurostat.routes["nama_10r_3empers"] = Route(body=gzip.compress(NAMA_CSV.encode()))
    monkeypatch.setenv("INNESTO_EUROSTAT_URL", eurostat.url + "/")
    panel, _ = read_eurostat("nama_10r_3empers", cache_dir=tmp_path)
    assert panel.n_rows == 6 and len(eurostat.requests) == 1


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(404, b""), "HTTP 404, not found: unknown dataset"),
        (Route(400, BAD_FILTER_XML.encode(), {"Content-Type": "application/xml"}),
         'HTTP 400, bad request: check the filter\'s dimension names and codes (API: '
         'INVALID_QUERY_DIMENSION: Dimension "GEOX" is not defined)'),
        (Route(413, b"<html><body>Request Entity Too Large</body></html>"),
         "HTTP 413, the request is too large: narrow it with --filter (API: Request Entity "
         "Too Large)"),
        (Route(500, b"Internal error"), "HTTP 500, Eurostat's server failed"),
        (Route(503, b""), "HTTP 503, Eurostat's service is unavailable"),
        (Route(200, ASYNC_XML.encode()), "Eurostat is preparing this extraction asynchronously"),
        (Route(200, b'{"warning":"nothing"}'), "the answer is not SDMX-CSV"),
        (Route(200, b""), "empty response"),
    ],
)
def test_http_and_api_errors_name_the_url(eurostat: FakeEurostat, tmp_path: Path, route: Route,
                                          message: str) -> None:
    eurostat.routes["nama_10r_3empers"] = route
    with pytest.raises(FetchError) as err:
        fetch_eurostat("nama_10r_3empers", GEO, cache_dir=tmp_path, url=eurostat.url)
    assert message in str(err.value)
    assert err.value.path is not None and err.value.path.startswith(eurostat.url + PREFIX)
    assert list(tmp_path.iterdir()) == []  # no partial file in the cache


def test_unknown_dataset_uses_eurostats_json_label(eurostat: FakeEurostat,
                                                   tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"API: 100 ERR_NOT_FOUND_4: NOPE \(DATA_SET:ESTAT"):
        fetch_eurostat("nope", cache_dir=tmp_path, url=eurostat.url)


def test_timeout_and_refused_connection(eurostat: FakeEurostat, tmp_path: Path) -> None:
    eurostat.routes["slow"] = Route(body=NAMA_CSV.encode(), delay=1.5)
    with pytest.raises(FetchError, match=r"no answer within 0.3 s \(timed out\)"):
        fetch_eurostat("slow", cache_dir=tmp_path, url=eurostat.url, timeout=0.3)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="network error"):
        fetch_eurostat("nama_10r_3empers", cache_dir=tmp_path, url=f"http://127.0.0.1:{port}")


def test_too_large_response(eurostat: FakeEurostat, tmp_path: Path) -> None:
    eurostat.routes["big"] = Route(body=NAMA_CSV.encode() * 50)
    with pytest.raises(FetchError, match="exceeds 1,000 bytes"):
        fetch_eurostat("big", cache_dir=tmp_path, url=eurostat.url, max_bytes=1000)
    assert list(tmp_path.iterdir()) == []


def test_bad_codes_are_refused_before_any_request() -> None:
    with pytest.raises(FetchError, match="bad dataset code"):
        data_url("../etc/passwd")
    with pytest.raises(FetchError, match="bad filter geo="):
        data_url("nama_10r_3empers", {"geo": "IT&format=xml"})
    assert "c[geo]=ITC11,IT" in data_url("nama_10r_3empers", {"geo": ["ITC11", "IT"]})


@settings(FUZZ, max_examples=500)
@given(st.one_of(st.binary(max_size=300),
                 st.sampled_from([BAD_FILTER_XML, ASYNC_XML, NAMA_CSV]).map(str.encode),
                 st.recursive(st.none() | st.integers() | st.text(max_size=20),
                              lambda c: st.lists(c, max_size=3)
                              | st.dictionaries(st.sampled_from(["error", "label", "id", "x"]),
                                                c, max_size=3),
                              max_leaves=8).map(lambda o: json.dumps(o).encode())))
def test_error_bodies_never_break_the_message(body: bytes) -> None:
    for status in (400, 404, 500, 599):
        err = _http_error("http://127.0.0.1/x", status, body)
        assert isinstance(err, FetchError) and str(err).startswith("http://127.0.0.1/x: HTTP")


def test_release_date_from_the_table_of_contents(eurostat: FakeEurostat, tmp_path: Path) -> None:
    """The vintage's release date is the dataset's "last update of data" in the table of
    contents served beside the data (16.04.2024 in :data:`TOC_TXT`): kept in the cache's
    sidecar and in the panel's metadata, reused from the cache, read again on refresh."""
    eurostat.routes["nama_10r_3empers"] = Route(body=NAMA_CSV.encode())
    eurostat.toc = Route(body=TOC_TXT.encode(), headers={"Content-Type": "text/plain"})
    panel, report = read_eurostat("nama_10r_3empers", GEO, cache_dir=tmp_path, url=eurostat.url)
    assert panel.meta.released == "2024-04-16" and panel.meta.dataset == "nama_10r_3empers"
    assert "released 2024-04-16 (last update of data in Eurostat's table of contents)" \
        in report.notes
    assert eurostat.toc_requests == [("/catalogue/toc/txt", {"lang": ["en"]})]
    (sidecar,) = tmp_path.glob("*.json")
    assert json.loads(sidecar.read_text())["released"] == "2024-04-16"
    cached = fetch_eurostat("nama_10r_3empers", GEO, cache_dir=tmp_path, url=eurostat.url)
    assert cached.from_cache and cached.released == "2024-04-16"
    assert len(eurostat.toc_requests) == 1
    eurostat.toc = Route(body=TOC_TXT.replace("16.04.2024", "23.10.2024").encode())
    fresh = fetch_eurostat("nama_10r_3empers", GEO, cache_dir=tmp_path, url=eurostat.url,
                           refresh=True)
    assert fresh.released == "2024-10-23"


def test_release_date_unknown_is_said(eurostat: FakeEurostat, tmp_path: Path) -> None:
    """No table of contents (404), or one without the dataset: the data are still read, the
    release date is empty and the report says why and what it means."""
    eurostat.routes["nama_10r_3empers"] = Route(body=NAMA_CSV.encode())
    panel, report = read_eurostat("nama_10r_3empers", GEO, cache_dir=tmp_path, url=eurostat.url)
    assert panel.meta.released == ""
    assert any(n.startswith("release date unknown (") and "HTTP 404" in n and
               "dated by their retrieval" in n for n in report.notes)
    eurostat.toc = Route(body=TOC_TXT.encode())
    with pytest.raises(FetchError, match="nama_10r_2gdp is not in Eurostat's table of contents"):
        last_update("nama_10r_2gdp", url=eurostat.url)
    eurostat.toc = Route(body=b"<html>maintenance</html>")
    with pytest.raises(FetchError, match="not Eurostat's table of contents"):
        last_update("nama_10r_3empers", url=eurostat.url)
