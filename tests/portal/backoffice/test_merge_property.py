"""Property: random interleavings of back-office edits and plan-file edits (each file edit
followed by a load, with or without ``--overwrite``) never lose a back-office change
without an audit entry that restores it, and a load without ``--overwrite`` never changes
what the back office wrote."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innesto.plan.examples import tiny_planset
from innesto.plan.model import PlanSet
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.backoffice.models import AuditEntry
from innesto.portal.backoffice.restoring import restore
from innesto.portal.plans.loader import load_planset
from innesto.portal.plans.models import Indicator, IndicatorValue, Milestone, Node, Role
from innesto.portal.plans.vintages import record

pytestmark = pytest.mark.django_db

NODES = ["axis", "obj", "proj"]
WORDS = ["alpha", "beta", "gamma"]
op = st.one_of(
    st.tuples(st.just("bo_title"), st.sampled_from(NODES), st.sampled_from(WORDS)),
    st.tuples(st.just("file_title"), st.sampled_from(NODES), st.sampled_from(WORDS)),
    st.tuples(st.just("bo_due"), st.sampled_from(["start", "end"]), st.integers(2030, 2032)),
    st.tuples(st.just("file_due"), st.sampled_from(["start", "end"]), st.integers(2030, 2032)),
    st.tuples(st.just("bo_value"), st.sampled_from(["2010", "2017"]), st.integers(1, 3)),
    st.tuples(st.just("file_value"), st.sampled_from(["2010", "2017"]), st.integers(1, 3)),
    st.tuples(st.just("bo_role"), st.sampled_from(["lead", "partner", "funder"]), st.just(0)),
    st.tuples(st.just("file_role"), st.sampled_from(["lead", "partner", "funder"]),
              st.just(0)),
    st.tuples(st.just("load"), st.booleans(), st.just(0)),
)


class Plan:
    """The plan files, as data, edited by the "file" operations."""

    def __init__(self) -> None:
        self.data = tiny_planset().model_dump(mode="json", exclude_none=True)
        self.published = 0

    def nodes(self) -> dict[str, Any]:
        axis = self.data["editions"][0]["nodes"][0]
        obj = axis["children"][0]
        return {"axis": axis, "obj": obj, "proj": obj["children"][0]}

    def apply(self, kind: str, a: Any, b: Any) -> None:
        proj = self.nodes()["proj"]
        if kind == "file_title":
            self.nodes()[a]["title"]["en"] = f"{b} (files)"
        elif kind == "file_due":
            ms = {m["id"]: m for m in proj["milestones"]}
            ms[a]["due"] = f"{b}-06-30"
        elif kind == "file_value":
            self.published += 1
            self.data["editions"][0]["indicators"][0]["observations"].append(
                {"period": a, "value": float(b), "published": f"2023-01-{self.published:02d}"})
        elif kind == "file_role":
            proj["actors"][0]["role"] = a

    def load(self, overwrite: bool) -> Any:
        return load_planset(PlanSet.model_validate(self.data), overwrite=overwrite)


def _bo(kind: str, a: Any, b: Any, writes: list[tuple[Any, str, Any]]) -> None:
    """One back-office edit; records (object, field, value written)."""
    with acting_as(name="office"):
        if kind == "bo_title":
            obj: Any = Node.objects.get(key=a)
            obj.title_en = f"{b} (office)"
            obj.save()
            writes.append((obj, "title_en", obj.title_en))
        elif kind == "bo_due":
            obj = Milestone.objects.get(key=a)
            obj.due = date(b, 1, 31)
            obj.save()
            writes.append((obj, "due", obj.due))
        elif kind == "bo_value":
            obj = record(IndicatorValue(indicator=Indicator.objects.get(slug="share"),
                                        period=a, value=float(b) + 0.5,
                                        recorded_at=timezone.now()), revise=False)
            writes.append((obj, "value", obj.value))
        elif kind == "bo_role":
            obj = Role.objects.get()
            obj.role = a
            obj.save()
            writes.append((obj, "role", a))


def _base_of(obj: Any, field: str) -> Any:
    """What the files said about ``field`` at the last load that took it (the merge's base);
    a value the office added is in no base."""
    from innesto.portal.plans.models import LoadBase

    key = {Node: lambda o: f"node 2006/{o.key}",
           Milestone: lambda o: f"milestone 2006/proj/{o.key}",
           Role: lambda o: "role 2006/proj/city"}.get(type(obj))
    records = LoadBase.objects.get().records
    return records.get(key(obj), {}).get(field, "(none)") if key else "(none)"


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _current(obj: Any, field: str) -> Any:
    row = type(obj).objects.filter(pk=obj.pk).values_list(field, flat=True).first()
    return row


def _restorable(obj: Any, field: str, value: Any) -> bool:
    """Some audit entry of ``obj`` restores ``field`` to ``value`` (tried, then undone)."""
    label = obj._meta.label_lower
    for entry in AuditEntry.objects.filter(model=label, object_id=str(obj.pk)):
        if entry.before is None or field not in entry.before:
            continue
        with transaction.atomic():
            restored = restore(entry)
            ok = getattr(restored, field) == value
            transaction.set_rollback(True)
        if ok:
            return True
    return False


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=10))
def test_no_back_office_change_is_lost_without_a_history_entry(db: None, ops: list[Any]) -> None:
    with transaction.atomic():
        plan = Plan()
        plan.load(False)
        writes: list[tuple[Any, str, Any]] = []
        for kind, a, b in [*ops, ("load", False, 0)]:
            if kind.startswith("bo_"):
                _bo(kind, a, b, writes)
            elif kind.startswith("file_"):
                plan.apply(kind, a, b)
            else:
                before = [(o, f, _current(o, f), _base_of(o, f)) for o, f, _ in writes]
                plan.load(a)
                if not a:
                    # Without --overwrite a field the office wrote moves only when the
                    # office's value is the one the files had said (the office changed
                    # nothing the files did not know).
                    for o, f, was, base in before:
                        now = _current(o, f)
                        assert now == was or _json(was) == base, (o, f, was, now, base, ops)
        for obj, field, value in writes:
            if _current(obj, field) != value:
                assert _restorable(obj, field, value), (obj, field, value, ops)
        transaction.set_rollback(True)
