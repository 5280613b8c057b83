"""The API is cached like pages: keyed by the full query, invalidated by any save of plan
content; its list queries are set-based (their number does not grow with the rows)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from innesto.portal.plans.models import Node


@pytest.fixture
def cache_on(settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.CACHE_SECONDS = 300


def test_an_api_answer_is_cached_until_plan_content_is_saved(tiny_plan: Any, client: Client,
                                                             cache_on: None) -> None:
    url = "/api/plans/2006/nodes/axis"
    first = client.get(url).json()
    # A write behind the models' back (no signal) is not seen: the answer comes from the cache.
    Node.objects.filter(key="axis").update(title_en="Silent change")
    assert client.get(url).json() == first
    node = Node.objects.get(key="axis")
    node.title_en = "Published title"
    node.save()  # what publishing in the back office and `plan refresh` do
    assert client.get(url).json()["title"]["en"] == "Published title"


def test_the_cache_key_is_the_full_query(tiny_plan: Any, client: Client, cache_on: None) -> None:
    """Three nodes in the tiny plan (innesto.plan.examples): limit=1 and limit=2 differ."""
    one = client.get("/api/plans/2006/nodes?limit=1").json()
    two = client.get("/api/plans/2006/nodes?limit=2").json()
    assert (len(one["items"]), len(two["items"])) == (1, 2)
    level = client.get("/api/plans/2006/nodes?level=project").json()
    assert [n["id"] for n in level["items"]] == ["proj"]


def test_cached_answers_keep_etag_and_cors(tiny_plan: Any, client: Client, cache_on: None) -> None:
    client.get("/api/plans")
    r = client.get("/api/plans")
    assert r["Access-Control-Allow-Origin"] == "*" and r.has_header("ETag")
    assert client.get("/api/plans", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304


@pytest.mark.parametrize("url", ["/api/plans/{e}/nodes?limit=100", "/api/indicators?limit=100",
                                 "/api/sectors", "/api/plans"])
def test_list_queries_do_not_grow_with_the_rows(torino_plan: Any, client: Client, url: str,
                                                django_assert_max_num_queries: Any) -> None:
    """The Torino example has dozens of nodes and indicators per edition: a list costs a
    count and one select (with its related rows joined), never one query per row."""
    from innesto.portal.plans.models import Edition

    edition = Edition.objects.order_by("-year").first()
    assert edition is not None
    with django_assert_max_num_queries(4):
        r = client.get(url.format(e=edition.slug))
    assert r.status_code == 200 and r.json()


def test_values_are_streamed_in_one_query(tiny_plan: Any, client: Client,
                                          cache_on: None) -> None:
    """The tiny plan's share indicator (innesto.plan.examples) holds three recorded values:
    2010 = 1.2, 2017 = 1.3 (superseded on 2020-03-01) and its revision 2017 = 1.25."""
    import csv
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/api/values.csv?edition=2006")
        assert r.streaming
        body = b"".join(r.streaming_content).decode()
    # One query on the plan's tables (the shared cache may live in the database too).
    assert len([q for q in ctx.captured_queries if "plans_" in q["sql"]]) == 1
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(x["period"], x["value"]) for x in rows] == [("2010", "1.2"), ("2017", "1.3"),
                                                         ("2017", "1.25")]
    # revised on 2020-03-01, a date: midnight in the portal's time zone (Europe/Rome), in UTC
    assert rows[1]["superseded"] == "2020-02-29T23:00:00+00:00" and rows[2]["superseded"] == ""
