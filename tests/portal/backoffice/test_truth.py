"""A value entered in the back office changes the indicator's status everywhere the public
sees it: pages, status board, API, report, plan JSON and the datapackage's tables.

The database is the truth: statuses are computed by the plan library from the values the
database holds, not from the plan files as loaded. The expected status is computed
independently, in the test, by ``compute_status`` on the tiny plan with the same value
added as an observation (the library's rule applied to what the office entered).
Before this change the status stayed the files' (``limited_progress``) after the entry.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innesto.plan.evaluate import compute_status
from innesto.plan.examples import tiny_planset
from innesto.plan.model import Milestone, Observation
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.plans import board
from innesto.portal.plans.loader import load_planset
from innesto.portal.plans.models import Edition, Indicator, IndicatorValue, Node
from innesto.portal.plans.models import Milestone as StoredMilestone
from innesto.portal.reports.content import report_context

pytestmark = pytest.mark.django_db


def _expected(period: str, value: float) -> tuple[str, str, str]:
    """(indicator status, objective's outcome, axis's outcome) by the library, on the
    plan with the office's value added as a vintage published today."""
    ps = tiny_planset()
    ps.editions[0].indicators[0].observations.append(
        Observation(period=period, value=value, published=timezone.localdate()))
    st = compute_status(ps, edition=2006)
    return st.indicators["share"].status, st.nodes["obj"].outcome, st.nodes["axis"].outcome


def _enter_value(user: Any, period: str, value: str) -> None:
    """A data manager adds a value through the admin's add form."""
    client = Client()
    client.force_login(user)
    ind = Indicator.objects.get(slug="share")
    now = timezone.localtime()
    resp = client.post(reverse("admin:plans_indicatorvalue_add"), {
        "indicator": ind.pk, "period": period, "value": value, "note": "", "note_en": "",
        "source": "office survey", "recorded_at_0": now.date().isoformat(),
        "recorded_at_1": now.strftime("%H:%M:%S"), "published": "", "provenance": "{}"})
    assert resp.status_code == 302, resp.content.decode()[:3000]


def test_a_value_entered_in_the_back_office_changes_the_status_everywhere(
        tiny_plan: Any, role_users: dict, client: Client) -> None:
    before = Indicator.objects.get(slug="share").status
    want, obj_outcome, axis_outcome = _expected("2018", 1.6)
    assert before == "limited_progress" and want != before  # the scenario is a real change

    _enter_value(role_users["data manager"], "2018", "1.6")

    ind = Indicator.objects.get(slug="share")
    assert ind.status == want
    assert Node.objects.get(key="obj").status == obj_outcome
    assert Node.objects.get(key="axis").status == axis_outcome
    # the API
    api = client.get("/api/indicators/2006/share").json()
    assert api["status"] == want and {"period": "2018", "value": 1.6}.items() <= \
        next(v for v in api["values"] if v["period"] == "2018").items()
    assert client.get("/api/plans/2006/nodes/axis").json()["status"] == axis_outcome
    # the status board
    rows = {r.node.key: r for r in board.rows(Edition.objects.get(slug="2006"))}
    assert rows["obj"].outcome.code == obj_outcome
    assert rows["obj"].latest is not None and rows["obj"].latest.value == 1.6
    # the report
    ctx = report_context(Edition.objects.get(slug="2006"))
    shown = [s for sec in ctx["sections"] for s in sec.indicators if s.indicator.slug == "share"]
    assert shown and shown[0].indicator.status == want
    # the plan JSON downloads show the database's state
    for url in ("/en/plan.json", "/en/plan/2006/plan.json"):
        doc = client.get(url).json()
        eds = doc["editions"] if "editions" in doc else [doc]
        obs = eds[0]["indicators"][0]["observations"]
        assert {(o["period"], o["value"], o.get("source")) for o in obs} >= {
            ("2018", 1.6, "office survey"), ("2010", 1.2, None)}
    # the datapackage's indicator table
    table = client.get("/en/plan/2006/indicators.csv").content.decode()
    row = next(r for r in csv.DictReader(io.StringIO(table)) if r["id"] == "share")
    assert row["status"] == want
    # the indicator page says it in words
    page = client.get("/en/plan/2006/indicators/share/").content.decode()
    assert _words(want) in page and _words("limited_progress") not in page


def _words(code: str) -> str:
    from django.utils import translation

    from innesto.portal.plans import statuswords

    with translation.override("en"):
        return str(statuswords.outcome(code).words)


def test_the_status_follows_a_revision_and_a_removal_and_history_as_of_a_date(
        tiny_plan: Any, role_users: dict, client: Client) -> None:
    _enter_value(role_users["data manager"], "2018", "1.6")
    row = IndicatorValue.objects.get(indicator__slug="share", period="2018")
    with acting_as(role_users["data manager"]):
        row.delete()
    assert Indicator.objects.get(slug="share").status == "limited_progress"
    # as of a day before the entry, the status is the files' one, whatever came after
    _enter_value(role_users["data manager"], "2018", "1.6")
    old = client.get("/api/indicators/2006/share?as_of=2021-01-01").json()
    assert old["status"] == "limited_progress"


def test_a_milestone_changed_in_the_back_office_changes_the_delivery(
        tiny_plan: Any, role_users: dict) -> None:
    ms = StoredMilestone.objects.get(key="end")
    with acting_as(role_users["editor"]):
        ms.done, ms.status = date(2025, 6, 1), "done"
        ms.save()
    proj = Node.objects.get(key="proj")
    assert [m["status"] for m in proj.document["milestones"]] == ["done", "done"]
    ps = tiny_planset()
    ends = ps.editions[0].nodes[0].children[0].children[0].milestones
    ends[1] = Milestone(id="end", title=ends[1].title, due=ends[1].due,
                        done=date(2025, 6, 1), status="done")
    want = compute_status(ps, edition=2006).nodes["proj"]
    assert proj.status == want.outcome
    row = {r.node.key: r for r in board.rows(Edition.objects.get(slug="2006"))}["proj"]
    assert row.delivery.code == want.delivery.status


def test_a_load_keeps_the_office_value_in_the_status(tiny_plan: Any, role_users: dict) -> None:
    """The next load of the same files keeps the office's value and its status."""
    _enter_value(role_users["data manager"], "2018", "1.6")
    want = Indicator.objects.get(slug="share").status
    load_planset(tiny_planset())
    assert Indicator.objects.get(slug="share").status == want != "limited_progress"
