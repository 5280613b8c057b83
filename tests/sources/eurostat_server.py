"""A local stand-in for Eurostat's dissemination API: ``http.server`` in a thread on
127.0.0.1, answering the SDMX 3.0 data path with files the tests write in the official
formats (SDMX-CSV 2.0 data; Eurostat's JSON and XML error bodies), and the catalogue's
table of contents (TXT)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.local_http import QuietHandler, serve

PREFIX = "/sdmx/3.0/data/dataflow/ESTAT/"

# What https://ec.europa.eu/eurostat/api/dissemination/sdmx/3.0/data/dataflow/ESTAT/
# nama_10r_3empers/1.0?c[geo]=ITC11,ITC1,IT&format=csvdata&formatVersion=2.0 returns.
NAMA_CSV = """STRUCTURE,STRUCTURE_ID,freq,unit,wstatus,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,J,IT,2017,578.9,,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,J,ITC1,2017,71.2,,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,J,ITC11,2017,48.0,,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,K,ITC11,2017,34.6,p,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,TOTAL,ITC11,2017,1003.1,,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,L,ITC11,2017,,,C
"""
TOC_PATH = "/catalogue/toc/txt"
# The head of https://ec.europa.eu/eurostat/api/dissemination/catalogue/toc/txt?lang=en in
# its official layout: tab-separated, every field quoted, titles indented by four spaces
# per level of the navigation tree, dates DD.MM.YYYY (the dates here are made up).
TOC_TXT = (
    '"title"\t"code"\t"type"\t"last update of data"\t"last table structure change"\t'
    '"data start"\t"data end"\t"values"\n'
    '"Database by themes"\t"data"\t"folder"\t" "\t" "\t" "\t" "\t" "\n'
    '"    Economy and finance"\t"economy"\t"folder"\t" "\t" "\t" "\t" "\t" "\n'
    '"        Employment (thousand persons) by NUTS 3 regions"\t"nama_10r_3empers"\t'
    '"dataset"\t"16.04.2024"\t"16.04.2024"\t"1995"\t"2022"\t"1187542"\n'
    '"        Employment by NUTS 3 regions (copy in another folder)"\t"nama_10r_3empers"\t'
    '"dataset"\t"16.04.2024"\t"16.04.2024"\t"1995"\t"2022"\t"1187542"\n')
# Eurostat's JSON error body (status, fault id, label)
NOT_FOUND_JSON = ('{"error":[{"status":404,"id":100,"label":"ERR_NOT_FOUND_4: NOPE '
                  '(DATA_SET:ESTAT,1.0) is not available for dissemination."}]}')
# Eurostat's SDMX-ML error message
BAD_FILTER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<mes:Error xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
 xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common">
<mes:ErrorMessage code="150"><com:Text xml:lang="en">INVALID_QUERY_DIMENSION: Dimension "GEOX" is not defined</com:Text></mes:ErrorMessage>
</mes:Error>"""
ASYNC_XML = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>
<ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/extraction">
<queued><id>ab12-cd34</id><status>SUBMITTED</status></queued></ns0:syncResponse>
</env:Body></env:Envelope>"""


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class FakeEurostat:
    """Routes by dataset code; records each data request's path and decoded query (and
    each request for the table of contents apart)."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    #: the table of contents (404 when None), and the requests for it
    toc: Route | None = None
    toc_requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)


def _handler(state: FakeEurostat) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            asked = (unquote(parts.path), parse_qs(parts.query))
            (state.toc_requests if parts.path == TOC_PATH else state.requests).append(asked)
            dataset = unquote(parts.path)[len(PREFIX):].split("/")[0]
            route = state.routes.get(dataset) if parts.path.startswith(PREFIX) else None
            if parts.path == TOC_PATH:
                route = state.toc
            route = route or Route(404, NOT_FOUND_JSON.encode(),
                                   {"Content-Type": "application/json"})
            if route.delay:
                time.sleep(route.delay)
            try:
                self.answer(route.status, route.body,
                            {"Content-Type": "text/csv", **route.headers})
            except (BrokenPipeError, ConnectionResetError):  # client gave up (time-out test)
                pass

    return Handler


@pytest.fixture
def eurostat() -> Iterator[FakeEurostat]:
    """A running fake API; set ``.routes[dataset] = Route(...)`` in the test."""
    state = FakeEurostat(url="")
    with serve(_handler(state)) as url:
        state.url = url
        yield state
