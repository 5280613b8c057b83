"""The read API: OpenAPI 3 document, pagination, filters, as_of, ETags, CORS."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_openapi_document_is_valid_openapi_3(db: None, client: Client) -> None:
    import schemathesis

    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(doc).validate()  # against the OpenAPI meta-schema
    paths = set(doc["paths"])
    assert {"/api/plans", "/api/indicators", "/api/sectors"} <= paths


def test_interactive_docs_load_swagger_from_this_site(db: None, client: Client) -> None:
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui" in html and "cdn." not in html


def test_plans_nodes_paginated_and_filtered(tiny_plan: Any, client: Client) -> None:
    plans = client.get("/api/plans").json()
    assert plans["count"] == 1 and plans["items"][0]["id"] == "2006"
    nodes = client.get("/api/plans/2006/nodes?limit=2").json()
    assert nodes["count"] == 3 and len(nodes["items"]) == 2
    assert [n["id"] for n in client.get("/api/plans/2006/nodes?level=project").json()["items"]] \
        == ["proj"]
    node = client.get("/api/plans/2006/nodes/axis").json()
    assert node["status"] == "limited_progress" and node["title"]["en"]
    assert client.get("/api/plans/2006/nodes/nope").status_code == 404


def test_indicator_values_as_of_a_date(tiny_plan: Any, client: Client) -> None:
    """Identity: the 2017 value was 1.3 until its revision to 1.25 on 2020-03-01."""
    now = client.get("/api/indicators/2006/share").json()
    assert {v["period"]: v["value"] for v in now["values"]} == {"2010": 1.2, "2017": 1.25}
    old = client.get("/api/indicators/2006/share?as_of=2019-12-31").json()
    assert {v["period"]: v["value"] for v in old["values"]} == {"2010": 1.2, "2017": 1.3}
    assert len(now["history"]) == 3
    assert client.get("/api/indicators?edition=2006").json()["count"] == 1


def test_etag_and_cors_on_get(tiny_plan: Any, client: Client) -> None:
    r = client.get("/api/plans")
    assert r["Access-Control-Allow-Origin"] == "*" and r.has_header("ETag")
    again = client.get("/api/plans", HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304
    pre = client.options("/api/plans", HTTP_ORIGIN="https://example.org",
                         HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert pre.status_code == 204 and "GET" in pre["Access-Control-Allow-Methods"]
