"""Each worker keeps cached answers to anonymous visitors in its own memory
(``site/cache.py``): a repeated request costs no query while the worker's read of the
content version is fresh (``FRONT_CACHE_CHECK_MS``) and one when it is not, and gets the
same bytes; an edit made in the worker's process is seen at its next request, one made by
another process once the interval has passed; a visitor with cookies, a conditional
request or a page that sets a cookie always goes through the whole stack; nothing is
served past its ``Expires``; the store keeps within its bound.

The worker's clock (``VERSION.clock``) is a fake one that tests move by hand: no test
depends on how fast the machine is."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from innesto.portal.plans.models import Node
from innesto.portal.site import cache as front
from innesto.portal.site.cache import STORE, VERSION, bump_content_version, content_version
from tests.portal.wsgi_calls import Counting, call

URL = "/en/plan/2006/axis/"


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(VERSION, "clock", fake)
    return fake


@pytest.fixture
def cache_on(settings: Any, clock: Clock) -> None:
    cache.clear()
    STORE.clear()
    VERSION.expire()
    settings.CACHE_SECONDS = 300
    settings.FRONT_CACHE_CHECK_MS = 100


def _without_age(response: HttpResponse) -> dict[str, str]:
    return {k: v for k, v in response.items() if k != "Age"}


def test_a_repeated_anonymous_get_costs_at_most_the_version_and_gives_the_same_answer(
        tiny_plan: Any, client: Client, cache_on: None, clock: Clock,
        django_assert_num_queries: Any) -> None:
    first = client.get(URL)
    with django_assert_num_queries(0):  # the version was read less than 100 ms ago
        again = client.get(URL)
    clock.now += 0.1
    with django_assert_num_queries(1):  # the content version's row, nothing else
        third = client.get(URL)
    for r in (again, third):
        assert r.status_code == 200 and r.content == first.content
        assert _without_age(r) == _without_age(first)
        assert int(r["Age"]) >= 0


def test_with_no_interval_the_version_is_read_at_every_request(
        tiny_plan: Any, client: Client, cache_on: None, settings: Any,
        django_assert_num_queries: Any) -> None:
    settings.FRONT_CACHE_CHECK_MS = 0
    first = client.get(URL)
    for _ in range(2):
        with django_assert_num_queries(1):
            assert client.get(URL).content == first.content


def test_an_edit_is_seen_at_the_next_request(tiny_plan: Any, client: Client,
                                             cache_on: None) -> None:
    first = client.get(URL).content
    # Behind the models' back (no signal): the worker's copy is still served.
    Node.objects.filter(key="axis").update(title_en="Silent change")
    assert client.get(URL).content == first
    # What any process saving plan content does (publish, load_plan, plan refresh).
    bump_content_version()
    assert b"Silent change" in client.get(URL).content


def test_another_process_edit_is_seen_once_the_interval_has_passed(
        tiny_plan: Any, client: Client, cache_on: None, clock: Clock) -> None:
    """Another process's publish changes the version's row without touching this
    process's memory (here: the row written directly): this worker keeps serving its copy
    for less than ``FRONT_CACHE_CHECK_MS`` after its last read, never longer."""
    first = client.get(URL).content
    Node.objects.filter(key="axis").update(title_en="Published elsewhere")
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {front._table()} SET version = version + 1 WHERE id = 1")
    clock.now += 0.099
    assert client.get(URL).content == first
    clock.now += 0.001
    assert b"Published elsewhere" in client.get(URL).content


def test_a_read_that_raced_an_edit_is_not_trusted(
        tiny_plan: Any, cache_on: None, clock: Clock, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any) -> None:
    """A thread that read the old row while another thread of the worker committed an
    edit does not keep the old version for a whole interval: the next request reads again."""
    reads: list[int] = []

    def read_then_edit() -> int:
        reads.append(1)
        old = 41 if len(reads) == 1 else 42
        if len(reads) == 1:
            VERSION.expire()  # the other thread's commit, while this read was under way
        return old

    monkeypatch.setattr(front, "content_version", read_then_edit)
    assert VERSION.current() == 41
    assert VERSION.current() == 42 and len(reads) == 2  # read again, not 41 from memory
    assert VERSION.current() == 42 and len(reads) == 2  # now trusted for the interval
    with django_capture_on_commit_callbacks(execute=True):
        bump_content_version()  # this process reads the version at its next request ...
        monkeypatch.setattr(front, "content_version", lambda: 43)
        assert VERSION.current() == 43  # (another thread, before the commit)
    monkeypatch.setattr(front, "content_version", lambda: 44)
    assert VERSION.current() == 44  # ... and again once the change is committed


def test_visitors_with_cookies_or_conditional_requests_go_through_the_stack(
        tiny_plan: Any, client: Client, cache_on: None, monkeypatch: Any) -> None:
    etag = client.get(URL)["ETag"]
    looked_up: list[str] = []
    real_get = STORE.get

    def spy(meta: Any, *args: Any) -> Any:
        looked_up.append(meta.get("PATH_INFO", ""))
        return real_get(meta, *args)

    monkeypatch.setattr(STORE, "get", spy)
    assert client.get(URL).status_code == 200 and looked_up == [URL]  # the spy sees hits
    for headers in ({"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_AUTHORIZATION": "Basic eDp5"},
                    {"HTTP_IF_NONE_MATCH": etag}):
        looked_up.clear()
        r = Client(**headers).get(URL)
        # the worker's memory is never consulted: the whole stack answers (whichever
        # shared cache, database or Redis, is behind it)
        assert r.status_code in (200, 304) and looked_up == [], headers
    assert Client(HTTP_IF_NONE_MATCH=etag).get(URL).status_code == 304


def test_a_page_that_sets_a_cookie_is_never_kept(tiny_plan: Any, client: Client,
                                                 cache_on: None) -> None:
    """The subscription form sets the CSRF cookie: each visitor gets their own."""
    for _ in range(2):
        r = client.get("/en/subscribe/")
        assert r.status_code == 200 and "csrftoken" in r.cookies
        client.cookies.clear()
    assert not [k for k in STORE.entries if "/en/subscribe/" in k]


def test_api_answers_are_kept_per_accept_language(tiny_plan: Any, cache_on: None,
                                                  django_assert_num_queries: Any) -> None:
    """The API varies on Accept-Language (its answers are not under a language prefix)."""
    answers = {}
    for lang in ("it", "en", "it", "en"):
        c = Client(HTTP_ACCEPT_LANGUAGE=lang)
        answers.setdefault(lang, c.get("/api/plans"))
        with django_assert_num_queries(0):  # the version was read less than 100 ms ago
            r = c.get("/api/plans")
        assert r["Content-Language"] == lang == answers[lang]["Content-Language"]
        assert r.content == answers[lang].content


def test_the_wsgi_entry_point_answers_from_memory_before_django(
        transactional_db: None, tiny_plan: Any, cache_on: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # transactional_db: Django's handler closes the connection when a request finishes,
    # as in production; inside the test-wide transaction of ``db`` PostgreSQL's would
    # stay closed for the next read of the version.
    django_app = Counting()
    app = front.front_cached(django_app)
    status, headers, body = call(app, URL)
    again = call(app, URL)
    assert django_app.calls == 1 and again[0] == status == "200 OK" and again[2] == body
    assert {k: v for k, v in again[1].items() if k != "Age"} == {
        k: v for k, v in headers.items() if k != "Age"}
    bump_content_version()
    assert call(app, URL)[2] == body and django_app.calls == 2  # read again, kept again
    assert call(app, URL)[2] == body and django_app.calls == 2

    def broken() -> int:
        raise DatabaseError("the database went away")

    monkeypatch.setattr(front, "content_version", broken)
    VERSION.expire()
    call(app, "/en/")  # Django's handler answers instead (and reconnects)
    assert django_app.calls == 3


def test_an_answer_is_not_served_past_its_expires(tiny_plan: Any, client: Client,
                                                  cache_on: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    client.get(URL)
    (entry,) = [e for k, e in STORE.entries.items() if URL in k]
    for now, served in ((entry.expires - 1, True), (entry.expires, False)):
        monkeypatch.setattr(front, "time", SimpleNamespace(time=lambda t=now: t,
                                                           time_ns=time.time_ns))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        assert (len(ctx.captured_queries) == 0) is served, now  # the stack reads the version


def _response(size: int) -> HttpResponse:
    r = HttpResponse(b"x" * size)
    r["Expires"] = "Sun, 06 Dec 2099 00:00:00 GMT"
    r["Cache-Control"] = "max-age=300"
    setattr(r, front.CACHEABLE, True)
    return r


def test_the_store_keeps_within_its_bound_dropping_the_least_recently_used() -> None:
    store = front.FrontStore(max_bytes=1000)
    bases = [("http", None, "h", None, "h", "80", "", f"/{i}/", "") for i in range(20)]
    for i, base in enumerate(bases[:9]):
        store.put({}, base, 7, _response(100), expires=4e9)
        if i == 3:
            assert store.get({}, bases[0], 7, 1.0) is not None  # used: now the most recent
    for base in bases[9:]:
        store.put({}, base, 7, _response(100), expires=4e9)
    assert store.size <= 1000 and len(store.entries) == 10
    assert store.get({}, bases[1], 7, 1.0) is None and store.get({}, bases[19], 7, 1.0)
    store.put({}, bases[0], 7, _response(200), expires=4e9)  # over an eighth: not kept
    assert store.get({}, bases[0], 7, 1.0) is None
    assert store.get({}, bases[19], 8, 1.0) is None and not store.entries  # a new version


def test_storable_refuses_what_the_shared_cache_would_not_keep() -> None:
    assert front.storable(_response(10)) is not None
    plain = HttpResponse(b"x")  # not produced by a cached view
    assert front.storable(plain) is None
    for change in ({"Cache-Control": "private, max-age=300"}, {"Vary": "*"},
                   {"Cache-Control": "max-age=0"}):
        r = _response(10)
        for k, v in change.items():
            r[k] = v
        assert front.storable(r) is None, change
    cookie = _response(10)
    cookie.set_cookie("csrftoken", "abc")
    assert front.storable(cookie) is None


def test_the_content_version_never_repeats_after_a_rollback(db: None) -> None:
    """A repeated version could meet pages some cache still keeps from the rolled-back
    change, so every bump moves to the later of the next number and the clock."""
    start = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        bump_content_version()
        lost = content_version()
        raise RuntimeError("rolled back")
    assert content_version() == start
    bump_content_version()
    assert content_version() not in (start, lost) and content_version() > start
