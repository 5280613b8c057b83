"""Issue 14, report denial of service: a report is rendered once per (edition, snapped
day, language), any ``date`` is snapped to the days the data changed, and PDF rendering is
limited per client and for the whole site.

The change days pinned here are the ``published`` dates written in
``innesto.plan.examples.tiny_planset`` (2011-05-01, 2019-03-01, 2020-03-01)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from innesto.portal.reports import views
from innesto.portal.site import throttle

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_calls(monkeypatch: Any) -> list[str]:
    """Count PDF renders (WeasyPrint takes seconds; a fake PDF keeps the test short)."""
    calls: list[str] = []

    def fake(html: str, base_url: str | None = None) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(views, "html_to_pdf", fake)
    return calls


@pytest.mark.parametrize(("asked", "snapped"), [
    ("2015-06-15", "2011-05-01"),   # between the first and second publication
    ("2019-12-31", "2019-03-01"),
    ("2099-01-01", "2020-03-01"),   # the future: the latest change
    ("1990-01-01", "2011-04-30"),   # before any value: the day before the first
])
def test_any_date_is_snapped_to_the_last_change_day(tiny_plan: Any, asked: str,
                                                     snapped: str) -> None:
    r = Client().get(f"/en/report/2006/report.pdf?date={asked}")
    assert r.status_code == 302
    assert r["Location"] == f"/en/report/2006/report.pdf?date={snapped}"


def test_a_snapped_date_is_served_as_is(tiny_plan: Any, pdf_calls: list[str]) -> None:
    r = Client().get("/en/report/2006/report.pdf?date=2019-03-01")
    assert r.status_code == 200 and r.content == b"%PDF-1.7 fake"
    assert "report-2006-2019-03-01-en.pdf" in r["Content-Disposition"]


@pytest.mark.parametrize("bad", ["yesterday", "2019-3-1", "+02019-03-01", "2019-02-30",
                                 "2019-03-01T00:00", "\x00", "9" * 5000])
def test_a_malformed_date_is_refused_with_4xx(tiny_plan: Any, bad: str) -> None:
    """A date that is not YYYY-MM-DD finds no report (404); a NUL byte is refused before
    any view, by the input guard (400). Never a render, never a 500."""
    status = Client().get("/en/report/2006/report.pdf", {"date": bad}).status_code
    assert status == (400 if "\x00" in bad else 404)


def test_many_dates_and_requests_render_each_report_once(tiny_plan: Any,
                                                         pdf_calls: list[str]) -> None:
    """Twenty different dates, asked twice each, in two languages: one PDF per snapped day
    (the four of the parametrised test above) and language."""
    client = Client()
    day = dt.date(1995, 1, 1)
    for _ in range(2):
        for lang, word in (("it", "rapporto"), ("en", "report")):
            for k in range(20):
                asked = day + dt.timedelta(days=700 * k)
                r = client.get(f"/{lang}/{word}/2006/{word}.pdf?date={asked}", follow=True)
                assert r.status_code == 200
    assert len(pdf_calls) == 2 * 4


def test_the_html_report_is_cached_too(tiny_plan: Any, monkeypatch: Any) -> None:
    calls: list[int] = []
    real = views.render_report

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "render_report", counting)
    for _ in range(5):
        assert Client().get("/it/rapporto/2006/?date=2019-03-01").status_code == 200
        assert Client().get("/it/rapporto/2006/").status_code == 200
    assert len(calls) == 2


def test_a_client_already_rendering_gets_429_and_others_503(tiny_plan: Any,
                                                            pdf_calls: list[str]) -> None:
    url = "/en/report/2006/report.pdf?date=2019-03-01"
    with throttle.slot("report-client", "203.0.113.5", limit=1, ttl=60):
        r = Client(REMOTE_ADDR="203.0.113.5").get(url)
        assert r.status_code == 429 and r["Retry-After"]
        # another client is not limited by the first one's own limit ...
        assert Client(REMOTE_ADDR="198.51.100.1").get(url).status_code == 200
    url = "/en/report/2006/report.pdf?date=2020-03-01"
    with throttle.slot("report-site", "all", limit=1, ttl=60):
        # ... but the whole site renders one report at a time: the others are told to retry
        r = Client(REMOTE_ADDR="198.51.100.1").get(url)
        assert r.status_code == 503 and r["Retry-After"]
    assert Client(REMOTE_ADDR="198.51.100.1").get(url).status_code == 200
    assert len(pdf_calls) == 2


def test_a_report_being_rendered_elsewhere_is_not_rendered_again(tiny_plan: Any,
                                                                 pdf_calls: list[str]) -> None:
    """The lock in the shared store: while another worker holds it, the request does not
    start a second render."""
    from django.core.cache import cache

    from innesto.portal.site.cache import content_version

    key = f"innesto:report:pdf:{_edition_pk()}:2019-03-01:en:v{content_version()}"
    cache.add(f"{key}:lock", 1, timeout=60)
    r = Client().get("/en/report/2006/report.pdf?date=2019-03-01")
    assert r.status_code == 503
    assert pdf_calls == []


def _edition_pk() -> int:
    from innesto.portal.plans.models import Edition

    return int(Edition.objects.get(slug="2006").pk)


def test_a_client_told_to_wait_is_refused_again_without_any_query(
        tiny_plan: Any, pdf_calls: list[str], monkeypatch: Any) -> None:
    """Load shedding (reports/shedding.py): after a refusal with Retry-After, the same
    client's report requests (any report, any date) get 429 at once, with no database
    query, until the wait is over; other clients and other pages are not affected."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from innesto.portal.reports import shedding

    clock = [1000.0]
    monkeypatch.setattr(shedding.time, "monotonic", lambda: clock[0])
    client = Client(REMOTE_ADDR="203.0.113.9")
    with throttle.slot("report-client", "203.0.113.9", limit=1, ttl=60):
        assert client.get("/en/report/2006/report.pdf?date=2019-03-01").status_code == 429
    clock[0] += 4
    for url in ("/en/report/2006/report.pdf?date=2019-03-01", "/it/rapporto/2006/",
                "/en/report/2006/?date=1999-09-09"):
        with CaptureQueriesContext(connection) as queries:
            r = client.get(url)
        assert (r.status_code, r["Retry-After"], len(queries)) == (429, "6", 0), url
    assert "Il rapporto è in preparazione" in client.get("/it/rapporto/2006/").content.decode()
    assert client.get("/en/").status_code == 200  # the rest of the site as usual
    assert Client(REMOTE_ADDR="198.51.100.9").get(
        "/en/report/2006/report.pdf?date=2019-03-01").status_code == 200
    clock[0] += 7  # the wait is over
    assert client.get("/en/report/2006/report.pdf?date=2019-03-01").status_code == 200


def test_the_wsgi_entry_point_repeats_a_refusal_without_django(
        transactional_db: None, tiny_plan: Any, pdf_calls: list[str], monkeypatch: Any,
) -> None:
    """(transactional_db: Django's handler closes the connection after each request, as in
    production; inside ``db``'s test-wide transaction PostgreSQL's would stay closed.)

    Under gunicorn (``shed_early`` around Django's application, innesto.portal.wsgi) a
    client told to wait gets, after the middleware's first 429 in a language, the same
    answer (status, headers, body; only ``Retry-After`` counts down) without Django's
    handler being called at all; other clients and pages still reach Django."""
    from innesto.portal.reports import shedding
    from tests.portal.wsgi_calls import Counting, call

    clock = [1000.0]
    monkeypatch.setattr(shedding.time, "monotonic", lambda: clock[0])
    django_app = Counting()
    app = shedding.shed_early(django_app)
    me = {"REMOTE_ADDR": "203.0.113.9"}
    with throttle.slot("report-client", "203.0.113.9", limit=1, ttl=60):
        assert call(app, "/en/report/2006/report.pdf", **me)[0].startswith("429")  # the view
    clock[0] += 1
    first = call(app, "/en/report/2006/", **me)  # the middleware, whose headers are kept
    assert django_app.calls == 2 and first[0].startswith("429") and first[1]["Retry-After"] == "9"
    clock[0] += 3
    again = call(app, "/en/report/2006/report.pdf", **me)
    assert django_app.calls == 2, "answered before Django"
    assert again[0] == first[0] and again[2] == first[2]
    assert {**first[1], "Retry-After": "6", "Content-Length": str(len(first[2]))} == again[1]
    assert {"Content-Security-Policy", "X-Content-Type-Options"} <= set(again[1])
    italian = call(app, "/it/rapporto/2006/", **me)  # no Italian answer kept yet: Django
    assert django_app.calls == 3 and "Il rapporto è in preparazione" in italian[2].decode()
    assert call(app, "/it/rapporto/2006/", **me)[2] == italian[2] and django_app.calls == 3
    assert call(app, "/en/", **me)[0] == "200 OK" and django_app.calls == 4
    other = call(app, "/en/report/2006/report.pdf", REMOTE_ADDR="198.51.100.9")
    assert other[0] == "200 OK" and django_app.calls == 5
    clock[0] += 7  # the wait is over: Django again, which renders the report
    assert call(app, "/en/report/2006/report.pdf", **me)[0] == "200 OK"
    assert django_app.calls == 6
