"""A load is a three-way merge (files vs database vs last load): back-office changes are
kept, file changes applied, conflicts refused unless overwritten, locked periods checked
before anything is written. The expected values are written out by hand in each test."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from innesto.plan.examples import tiny_planset
from innesto.plan.model import PlanSet
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.backoffice.models import AuditEntry
from innesto.portal.plans.loader import LoadRefused, load_planset
from innesto.portal.plans.models import Indicator, IndicatorValue, Milestone, Node, Role

pytestmark = pytest.mark.django_db


def edited(change: Any) -> PlanSet:
    """The tiny plan as JSON data, changed by ``change(data)``, validated again."""
    data = tiny_planset().model_dump(mode="json", exclude_none=True)
    change(data)
    return PlanSet.model_validate(data)


def axis(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data["editions"][0]["nodes"][0])


def proj(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data["editions"][0]["nodes"][0]["children"][0]["children"][0])


def bo_save(obj: Any, **fields: Any) -> None:
    with acting_as(name="editor-anna"):
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.save()


def test_a_reload_of_unchanged_files_writes_nothing(tiny_plan: Any) -> None:
    AuditEntry.objects.all().delete()
    result = load_planset(tiny_plan)
    # status is not computed in this call, so only the statuses change
    assert {c.kind for c in result.plan.apply} <= {"node", "indicator"}
    again = load_planset(tiny_plan)
    assert again.plan.apply == [] and again.plan.conflicts == []


def test_a_back_office_title_survives_a_load_and_a_file_title_is_applied(tiny_plan: Any) -> None:
    bo_save(Node.objects.get(key="axis"), title_en="Axis as the office writes it")

    def rename(data: dict[str, Any]) -> None:
        data["editions"][0]["nodes"][0]["children"][0]["title"]["en"] = "Objective, renamed"

    result = load_planset(edited(rename))
    assert Node.objects.get(key="axis").title_en == "Axis as the office writes it"
    assert Node.objects.get(key="obj").title_en == "Objective, renamed"
    kept = [c for c in result.plan.kept if c.key == "2006/axis"]
    assert kept and "editor-anna" in kept[0].last
    assert result.plan.conflicts == []


def test_both_sides_changing_one_field_is_a_conflict_until_overwritten(tiny_plan: Any) -> None:
    bo_save(Node.objects.get(key="axis"), title_en="Office title")

    def rename(data: dict[str, Any]) -> None:
        data["editions"][0]["nodes"][0]["title"]["en"] = "File title"

    result = load_planset(edited(rename))
    assert [(c.kind, c.key, list(c.fields)) for c in result.conflicts] == [
        ("node", "2006/axis", ["title_en"])]
    assert "editor-anna" in result.conflicts[0].last
    assert Node.objects.get(key="axis").title_en == "Office title"
    # The same conflict again on the next load (the base did not move).
    assert len(load_planset(edited(rename)).conflicts) == 1
    forced = load_planset(edited(rename), overwrite=True)
    assert forced.conflicts == [] and len(forced.plan.overwritten) == 1
    assert Node.objects.get(key="axis").title_en == "File title"
    entry = AuditEntry.objects.filter(model="plans.node", actor="load_plan",
                                      action="updated").first()
    assert entry is not None and entry.before["title_en"] == "Office title"


def test_a_node_added_in_the_back_office_is_not_deleted_by_a_load(tiny_plan: Any) -> None:
    parent = Node.objects.get(key="obj")
    with acting_as(name="editor-anna"):
        Node.objects.create(edition=parent.edition, parent=parent, key="extra",
                            path="axis/obj/extra", kind="project", title_it="Nuovo")
    load_planset(tiny_plan)
    assert Node.objects.filter(key="extra").exists()


def test_a_node_removed_from_the_files_goes_unless_the_office_added_beneath(
        tiny_plan: Any) -> None:
    def drop_project(data: dict[str, Any]) -> None:
        data["editions"][0]["nodes"][0]["children"][0]["children"] = []

    ms = Milestone.objects.get(key="end")
    with acting_as(name="editor-anna"):
        Milestone.objects.create(node=ms.node, key="office", title_it="Aggiunta")
    result = load_planset(edited(drop_project))
    assert Node.objects.filter(key="proj").exists()
    assert [c.key for c in result.conflicts] == ["2006/proj"]
    assert "milestone 2006/proj/office" in result.conflicts[0].detail
    Milestone.objects.filter(key="office").delete()
    load_planset(edited(drop_project))
    assert not Node.objects.filter(key="proj").exists()


def test_milestones_and_roles_are_updated_in_place_and_office_changes_kept(
        tiny_plan: Any) -> None:
    before = {m.key: m.pk for m in Milestone.objects.all()}
    role = Role.objects.get()
    bo_save(role, role="partner")
    bo_save(Milestone.objects.get(key="end"), due=date(2031, 6, 30))

    def new_title(data: dict[str, Any]) -> None:
        data["editions"][0]["nodes"][0]["children"][0]["children"][0]["milestones"][0][
            "title"]["en"] = "Kick-off"

    load_planset(edited(new_title))
    assert {m.key: m.pk for m in Milestone.objects.all()} == before
    assert Milestone.objects.get(key="start").title_en == "Kick-off"
    assert Milestone.objects.get(key="end").due == date(2031, 6, 30)
    assert Role.objects.get().pk == role.pk and Role.objects.get().role == "partner"


def test_values_from_the_office_and_the_files_are_two_vintages(tiny_plan: Any) -> None:
    ind = Indicator.objects.get(slug="share")
    office_at = timezone.make_aware(datetime(2021, 1, 10, 9, 30))
    with acting_as(name="data-manager"):
        IndicatorValue.objects.create(indicator=ind, period="2017", value=1.27,
                                      recorded_at=office_at)

    def new_vintage(data: dict[str, Any]) -> None:
        data["editions"][0]["indicators"][0]["observations"].append(
            {"period": "2017", "value": 1.28, "published": "2022-02-01"})

    load_planset(edited(new_vintage))
    rows = list(ind.values.filter(period="2017").order_by("recorded_at"))
    # 1.3 (2019-03-01), 1.25 (2020-03-01), office 1.27 (2021-01-10), file 1.28 (2022-02-01)
    assert [r.value for r in rows] == [1.3, 1.25, 1.27, 1.28]
    assert [r.superseded_at for r in rows[:-1]] == [r.recorded_at for r in rows[1:]]
    assert rows[-1].superseded_at is None
    at = timezone.make_aware(datetime(2021, 6, 1))
    assert {v.period: v.value for v in ind.values_as_of(at)}["2017"] == 1.27


def test_a_load_touching_a_locked_period_is_refused_whole(tiny_plan: Any,
                                                          role_users: dict) -> None:
    from innesto.portal.backoffice.models import ReportingCycle, ReportingItem

    ind = Indicator.objects.get(slug="share")
    cycle = ReportingCycle.objects.create(edition=ind.edition, period="2017",
                                          due=date(2018, 1, 1), approved_at=timezone.now())
    ReportingItem.objects.create(cycle=cycle, indicator=ind, owner=role_users["data manager"])

    def change(data: dict[str, Any]) -> None:
        data["editions"][0]["nodes"][0]["title"]["en"] = "Renamed axis"
        data["editions"][0]["indicators"][0]["observations"].append(
            {"period": "2017", "value": 9.9, "published": "2022-02-01"})

    values = list(IndicatorValue.objects.values_list("pk", "value", "superseded_at"))
    with pytest.raises(LoadRefused, match=r"2006/share 2017 \(add"):
        load_planset(edited(change))
    assert Node.objects.get(key="axis").title_en == "Axis"  # nothing written
    assert list(IndicatorValue.objects.values_list("pk", "value", "superseded_at")) == values
