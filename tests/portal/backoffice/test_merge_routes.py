"""Every back-office action, followed by every route from the files into the database
(``load_plan``; ``innesto plan refresh`` then ``load_plan``; the spreadsheet import): the
back office's change is still there, or the route refused it with the conflict named.

The plan is the tiny example plus one indicator bound to the packaged Eurostat table (so
that a refresh has values to record), saved as a folder. Each route also carries an
unrelated change of the files, and the test checks that it arrived: the route did run.
Runs on SQLite, and on PostgreSQL when ``DATABASE_URL`` points at it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from typer.testing import CliRunner

from innesto.plan import load_plan, save_plan
from innesto.plan.examples import tiny_planset
from innesto.plan.model import PlanSet
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.backoffice.importing import apply
from innesto.portal.backoffice.models import NodeDraft
from innesto.portal.backoffice.publishing import publish, start_draft
from innesto.portal.plans.models import Indicator, IndicatorValue, Milestone, Node, Role
from innesto.portal.plans.vintages import record

pytestmark = pytest.mark.django_db

Data = dict[str, Any]


def _plan_data() -> Data:
    data = tiny_planset().model_dump(mode="json", exclude_none=True)
    data["editions"][0]["indicators"].append({
        "id": "jobs", "name": {"it": "Occupati manifattura", "en": "Manufacturing jobs"},
        "unit": {"it": "persone", "en": "persons"}, "direction": "increase",
        "binding": {"measure": "employment", "dataset": "employment_piemonte",
                    "region": "ITC11", "industry": "C"}})
    return data


def _nodes(data: Data) -> dict[str, Data]:
    out: dict[str, Data] = {}

    def walk(ns: list[Data]) -> None:
        for n in ns:
            out[n["id"]] = n
            walk(n.get("children", []))

    walk(data["editions"][0]["nodes"])
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The plan saved as a folder and loaded with ``load_plan``."""
    path = tmp_path / "plan"
    save_plan(PlanSet.model_validate(_plan_data()), path)
    call_command("load_plan", str(path), verbosity=0)
    return path


# ------------------------------------------------------------- back-office actions
def _user(role_users: dict) -> Any:
    return role_users["editor"]


def draft_text(user: Any) -> Callable[[], None]:
    with acting_as(user):
        d = start_draft(Node.objects.get(key="axis"))
        d.title_en = "Axis, a draft"
        d.save()
    return lambda: _eq(NodeDraft.objects.get(node__key="axis").title_en, "Axis, a draft")


def publish_text(user: Any) -> Callable[[], None]:
    d = start_draft(Node.objects.get(key="axis"))
    d.title_en, d.title_it = "Axis, published", "Asse, pubblicato"
    d.save()
    publish(d, user)
    return lambda: _eq(Node.objects.get(key="axis").title_en, "Axis, published")


def add_milestone(user: Any) -> Callable[[], None]:
    with acting_as(user):
        Milestone.objects.create(node=Node.objects.get(key="proj"), key="review",
                                 title_it="Revisione", title_en="Review", due=date(2027, 3, 1))
    return lambda: _eq(Milestone.objects.get(key="review").due, date(2027, 3, 1))


def change_milestone(user: Any) -> Callable[[], None]:
    with acting_as(user):
        m = Milestone.objects.get(key="end")
        m.due = date(2031, 6, 30)
        m.save()
    return lambda: _eq(Milestone.objects.get(key="end").due, date(2031, 6, 30))


def add_node(user: Any) -> Callable[[], None]:
    obj = Node.objects.get(key="obj")
    with acting_as(user):
        Node.objects.create(edition=obj.edition, parent=obj, key="pilot", path="axis/obj/pilot",
                            kind="project", title_it="Progetto pilota", title_en="Pilot")
    return lambda: _eq(Node.objects.get(key="pilot").title_en, "Pilot")


def _current(period: str) -> float | None:
    return {v.period: v.value for v in Indicator.objects.get(slug="share").values_as_of()
            }.get(period)


def add_value(user: Any) -> Callable[[], None]:
    with acting_as(user):
        record(IndicatorValue(indicator=Indicator.objects.get(slug="share"), period="2024",
                              value=1.41), revise=False)
    return lambda: _eq(_current("2024"), 1.41)


def revise_value(user: Any) -> Callable[[], None]:
    with acting_as(user):
        v = IndicatorValue.objects.get(indicator__slug="share", period="2010")
        v.value = 1.21
        record(v, revise=True)

    def check() -> None:
        _eq(_current("2010"), 1.21)
        rows = IndicatorValue.objects.filter(indicator__slug="share", period="2010")
        # the first vintage is 1.2 (or 1.19 where the files correct it): two rows either way
        _eq(list(rows.order_by("recorded_at").values_list("value", flat=True))[1:], [1.21])
    return check


def change_role(user: Any) -> Callable[[], None]:
    with acting_as(user):
        r = Role.objects.get(node__key="proj", actor__slug="city")
        r.role = "partner"
        r.save()
    def check() -> None:
        roles = set(Role.objects.filter(node__key="proj", actor__slug="city")
                    .values_list("role", flat=True))
        assert "partner" in roles and "lead" not in roles, roles
    return check


def _eq(got: Any, want: Any) -> None:
    assert got == want, f"{got!r} != {want!r}"


ACTIONS = {f.__name__: f for f in (draft_text, publish_text, add_milestone, change_milestone,
                                   add_node, add_value, revise_value, change_role)}


# ----------------------------------------------- the same thing changed in the files
def _same_thing(action: str, data: Data) -> str | None:
    """Change in the files what ``action`` changed; the conflict key expected, or None
    when the two changes can live together."""
    nodes = _nodes(data)
    if action in ("draft_text", "publish_text"):
        nodes["axis"]["title"]["en"] = "Axis, as the files say"
        return "node 2006/axis" if action == "publish_text" else None
    if action == "add_milestone":
        nodes["proj"]["milestones"].append({"id": "review", "title": {"it": "R", "en": "R"},
                                            "due": "2028-01-01"})
        return "milestone 2006/proj/review"
    if action == "change_milestone":
        nodes["proj"]["milestones"][1]["due"] = "2032-01-01"
        return "milestone 2006/proj/end"
    if action == "add_node":
        nodes["obj"].setdefault("children", []).append(
            {"id": "pilot", "level": "project", "title": {"it": "Pilota", "en": "Pilot plan"}})
        return "node 2006/pilot"
    if action == "add_value":
        data["editions"][0]["indicators"][0]["observations"].append(
            {"period": "2024", "value": 1.39, "published": "2026-01-15"})
        return None  # two vintages: the office's, recorded later, is the current one
    if action == "revise_value":
        data["editions"][0]["indicators"][0]["observations"][0]["value"] = 1.19
        return None  # the files correct the old vintage; the office's revision stays current
    nodes["proj"]["actors"][0]["role"] = "funder"
    # A spreadsheet keys roles by (actor, role): its "lead" row deleted and a "funder" row
    # added is, merged against the export's base, the same role changed, as in the files.
    return "role 2006/proj/city"


def _unrelated(data: Data) -> None:
    _nodes(data)["obj"]["title"]["en"] = "Objective, renamed in the files"


def _arrived() -> None:
    _eq(Node.objects.get(key="obj").title_en, "Objective, renamed in the files")


# ------------------------------------------------------------------------- routes
def via_load_plan(folder: Path, data: Data, user: Any) -> str:
    save_plan(PlanSet.model_validate(data), folder)
    try:
        call_command("load_plan", str(folder), verbosity=0)
    except CommandError as exc:
        return str(exc) + "\n" + _last_conflicts(folder)
    return ""


def _last_conflicts(folder: Path) -> str:
    from innesto.portal.plans.adapter import load_into_database

    return "\n".join(c.describe() for c in load_into_database(folder, dry_run=True).conflicts)


def via_refresh(folder: Path, data: Data, user: Any) -> str:
    from innesto.cli.app import _register, app

    save_plan(PlanSet.model_validate(data), folder)
    _register()
    out = CliRunner().invoke(app, ["plan", "refresh", str(folder), "--published", "2026-11-30"])
    assert out.exit_code == 0, out.output
    assert "new or revised value" in out.output
    jobs = load_plan(folder).editions[0].indicators[-1]
    assert jobs.observations, "the refresh recorded the bound indicator's values"
    return via_load_plan(folder, load_plan(folder).model_dump(mode="json", exclude_none=True),
                         user)


def via_import(folder: Path, data: Data, user: Any) -> str:
    """The plan files exported, edited in the spreadsheet into ``data``, imported."""
    upload = folder.parent / "plan.csv"
    upload.write_text(edited_export(load_plan(folder), PlanSet.model_validate(data)))
    result = apply(upload, user=user, name="plan.csv")
    return "\n".join(c.describe() for c in result.conflicts)


def edited_export(exported: PlanSet, edited: PlanSet) -> str:
    """The CSV ``export`` writes for ``exported``, with its rows edited into ``edited``
    (its base stays the exported plan's)."""
    import csv
    import io

    from innesto.plan.spreadsheet import BASE, base_chunks, csv_columns, to_csv
    from innesto.plan.tables import flatten

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=csv_columns(), lineterminator="\n")
    for n, chunk in enumerate(base_chunks(flatten(exported)), 1):
        writer.writerow({"table": BASE, "n": str(n), "id": chunk})
    return to_csv(edited, base=False) + buf.getvalue()


ROUTES = {"load_plan": via_load_plan, "refresh": via_refresh, "import": via_import}


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_back_office_change_survives_every_route(folder: Path, role_users: dict,
                                                   action: str, route: str) -> None:
    check = ACTIONS[action](_user(role_users))
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    _unrelated(data)
    refused = ROUTES[route](folder, data, _user(role_users))
    assert refused == ""
    check()
    _arrived()


@pytest.mark.parametrize("route", ["load_plan", "import"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_same_thing_changed_in_the_files_is_kept_or_refused_by_name(
        folder: Path, role_users: dict, action: str, route: str) -> None:
    check = ACTIONS[action](_user(role_users))
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    _unrelated(data)
    conflict = _same_thing(action, data)
    refused = ROUTES[route](folder, data, _user(role_users))
    if conflict is None:
        assert refused == ""
    else:
        assert conflict in refused, refused
    check()
    _arrived()


def test_a_dry_run_shows_the_diff_with_who_changed_what_and_writes_nothing(
        folder: Path, role_users: dict) -> None:
    import io

    change_milestone(_user(role_users))
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    _unrelated(data)
    save_plan(PlanSet.model_validate(data), folder)
    out = io.StringIO()
    call_command("load_plan", str(folder), "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"files: {folder}, last modified " in text
    assert "~ node 2006/obj: title_en: 'Objective' -> 'Objective, renamed in the files'" in text
    assert "kept ~ milestone 2006/proj/end: due: database '2031-06-30', files '2030-01-01' " \
           "[changed in the back office] (last changed by editor on " in text
    assert "would load" in text
    assert Node.objects.get(key="obj").title_en == "Objective"
