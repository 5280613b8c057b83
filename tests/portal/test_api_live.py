"""The live API on the Torino data, explored by schemathesis (bounded): no 5xx and every
response conforms to the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def torino_live(transactional_db: None, live_server: Any) -> str:
    from innesto.portal.plans.adapter import load_into_database

    load_into_database(__import__("tests.portal.conftest", fromlist=["TORINO"]).TORINO)
    return str(live_server.url)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(torino_live: str) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    schema = schemathesis.openapi.from_url(f"{torino_live}/api/openapi.json")
    schema.validate()
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    ran = 0
    for result in schema.get_all_operations():
        op = result.ok()

        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate(base_url=torino_live, checks=checks)

        check()
        ran += 1
    assert ran >= 8
