"""API: every value carries its provenance and the plan's own release date; ``as_of`` is
validated (422) and gives the status known that day, computed by the library."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone


@pytest.mark.parametrize("bad", ["0.0", "0", "1899-12-31", "2020-13-01", "2020-1-1", "x",
                                 "20200101"])
def test_as_of_must_be_an_iso_date_from_1900_to_today(tiny_plan: Any, client: Client,
                                                       bad: str) -> None:
    r = client.get(f"/api/indicators/2006/share?as_of={bad}")
    assert r.status_code == 422, bad
    assert "as_of" in r.json()["detail"]


def test_as_of_in_the_future_is_refused(tiny_plan: Any, client: Client) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert client.get(f"/api/indicators/2006/share?as_of={tomorrow}").status_code == 422
    assert client.get(f"/api/indicators/2006/share?as_of={timezone.localdate()}").status_code == 200


def test_status_as_of_rests_on_the_values_known_then(tiny_plan: Any, client: Client) -> None:
    """The tiny plan's first value (2010) was published on 2011-05-01: before it only the
    2006 baseline is known, so no status can be computed (one period); the stored status
    (latest, 'limited_progress') must not be shown for that day."""
    early = client.get("/api/indicators/2006/share?as_of=2011-01-01").json()
    assert early["values"] == [] and early["status"] == "not_available"
    # 2019-12-31: baseline 1.1 (2006) and 1.3 (2017, before its revision); by hand:
    # CAGR_o = (1.3/1.1)^(1/11) - 1 = 0.01531, CAGR_T = (1.5/1.1)^(1/9) - 1 = 0.03505,
    # R = 0.4368 < 0.6: limited progress.
    mid = client.get("/api/indicators/2006/share?as_of=2019-12-31").json()
    assert mid["status"] == "limited_progress"
    assert "2006-2017" in mid["status_explanation"]["en"]


def test_values_carry_release_date_and_provenance(tiny_plan: Any, client: Client) -> None:
    """Published dates are the plan's dates (2011-05-01), never a day earlier."""
    data = client.get("/api/indicators/2006/share").json()
    first = next(v for v in data["history"] if v["period"] == "2010")
    assert first["published"] == "2011-05-01"
    assert first["provenance"]["released"] == "2011-05-01"
    assert first["provenance"]["unit"] == {"it": "%", "en": "%"}
    assert first["provenance"]["licence_text"]["en"] == "rights not stated"
    assert "line" in data["provenance"]
