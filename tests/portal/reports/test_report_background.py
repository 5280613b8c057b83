"""Issue 14, report denial of service: a report is rendered by a background process at low
priority, never in the serving worker. The first request for a report starts one job and
answers "being prepared" (503, ``Retry-After``); requests meanwhile start no second job;
once the job has stored the report, it is served from the shared cache, identical to what
the serving process would have rendered itself.

This runs a separate instance (a database file other processes can open) with the
default ``REPORT_RENDER_BACKGROUND``, and real jobs; the PDF is rendered by WeasyPrint."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist

SCRIPT = """
import datetime as dt, os, time
from django.core.cache import cache
from django.test import Client
from innesto.plan.examples import tiny_planset
from innesto.portal.plans.loader import load_planset
from innesto.portal.plans.models import Edition
from innesto.portal.reports import background, views
from innesto.portal.site.cache import content_version

load_planset(tiny_planset())
ed = Edition.objects.get(slug="2006")
out = {"first": []}
started = []
real_start = background.start
background.start = lambda job: started.append(job.kind) or real_start(job)

def key(kind):
    return f"innesto:report:{kind}:{ed.pk}:2019-03-01:en:v{content_version()}"

def ask(url):
    # a new Client each time: another worker, whose memory (reports/shedding.py) has not
    # seen an earlier refusal, so the shared store decides
    r = Client(REMOTE_ADDR="198.51.100.7").get(url)
    return r.status_code, r.get("Retry-After"), r.content

for kind, url in (("html", "/en/report/2006/?date=2019-03-01"),
                  ("pdf", "/en/report/2006/report.pdf?date=2019-03-01")):
    first = ask(url)
    again = ask(url)  # the job is running: no second one
    out["first"].append([first[0], first[1], b'http-equiv="refresh"' in first[2], again[0]])
    end = time.monotonic() + 240
    while time.monotonic() < end:
        status, _, body = ask(url)
        if status == 200:
            break
        time.sleep(0.5)
    out[kind + "_status"] = status
    out[kind + "_job"] = cache.get(key(kind) + ":job")
    out[kind + "_lock_left"] = cache.get(key(kind) + ":lock") is not None
    if kind == "html":
        from django.test import RequestFactory
        from django.utils import translation
        req = RequestFactory().get("/en/report/2006/", {"date": "2019-03-01"})
        req.LANGUAGE_CODE = "en"
        with translation.override("en"):
            here = views.make_report("html", req, ed, dt.date(2019, 3, 1))
        out["same_as_inline"] = here == body
    else:
        out["pdf_magic"] = body[:5].decode("latin-1")
out["me"] = os.getpid()
out["started"] = started
from innesto.portal.site.throttle import _digest
out["slots"] = [cache.get(f"innesto:slot:report-client:{_digest('198.51.100.7')}"),
                cache.get(f"innesto:slot:report-site:{_digest('all')}")]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_reports_are_rendered_once_by_a_low_priority_background_job(instance: Any) -> None:
    out = instance.python(SCRIPT)
    # first request: 503 "being prepared", Retry-After, a page that reloads itself; the
    # second request while the job runs: 503 again, and still one job only
    assert out["first"] == [[503, "10", True, 503], [503, "10", True, 503]]
    assert out["started"] == ["html", "pdf"]  # one job per report, however often asked
    for kind in ("html", "pdf"):
        assert out[kind + "_status"] == 200
        job = out[kind + "_job"]
        assert job["pid"] != out["me"]  # another process rendered it ...
        assert job["nice"] == 19         # ... at the lowest priority
        assert out[kind + "_lock_left"] is False
    assert out["same_as_inline"] is True
    assert out["pdf_magic"] == "%PDF-"
    assert out["slots"] == [0, 0]  # the job gave its render places back


@pytest.mark.django_db
def test_a_failed_job_gives_its_lock_and_places_back(tiny_plan: Any) -> None:
    """A render that fails (here: its edition was deleted meanwhile) must not leave the
    report locked or the site's render place taken until the timeout."""
    from django.core.cache import cache

    from innesto.portal.reports import background
    from innesto.portal.site import throttle

    slots = [throttle.acquire("report-client", "192.0.2.1", limit=1, ttl=60),
             throttle.acquire("report-site", "all", limit=1, ttl=60)]
    job = background.Job(key="innesto:report:html:999999:2019-03-01:en:v1", kind="html",
                         edition=999999, day="2019-03-01", language="en",
                         path="/en/report/x/", host="testserver", secure=False, slots=slots)
    cache.add(job.lock, 1, timeout=60)
    with pytest.raises(ObjectDoesNotExist):
        background.run(job)
    assert cache.get(job.lock) is None
    assert [cache.get(k) for k in slots] == [0, 0]
    with throttle.slot("report-site", "all", limit=1, ttl=60):
        pass  # the place is free again


@pytest.mark.django_db
def test_refusals_write_nothing_and_start_no_second_job(tiny_plan: Any, settings: Any,
                                                        monkeypatch: Any) -> None:
    """With background rendering on (jobs recorded here instead of started), the first
    request starts one job; while it runs, the same report (503), another report from
    the same client (429) and another report from another client while the site's one
    render place is taken (503) are refused by reading the shared store only: no write,
    so a flood of refusals does not queue on the database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from innesto.portal.reports import background

    settings.REPORT_RENDER_BACKGROUND = True
    started: list[background.Job] = []
    monkeypatch.setattr(background, "start", started.append)
    first = Client(REMOTE_ADDR="192.0.2.7").get("/en/report/2006/?date=2019-03-01")
    assert first.status_code == 503 and first["Retry-After"] == "10"
    assert [j.kind for j in started] == ["html"] and len(started[0].slots) == 2
    # Each refusal below is asked through a new Client, i.e. a worker whose own memory has
    # not seen the first refusal (reports/shedding.py would answer a repeat from memory):
    # the decision comes from the shared store.
    for ip, url, status in (("192.0.2.7", "/en/report/2006/?date=2019-03-01", 503),
                            ("192.0.2.7", "/en/report/2006/report.pdf?date=2019-03-01", 429),
                            ("192.0.2.8", "/en/report/2006/report.pdf?date=2020-03-01", 503)):
        with CaptureQueriesContext(connection) as queries:
            assert Client(REMOTE_ADDR=ip).get(url).status_code == status, url
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == [], url
    assert len(started) == 1
