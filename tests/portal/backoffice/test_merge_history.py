"""What a load overwrites stays in the history and comes back: the audit log restores it,
a page's published texts get versions; a value revised in the back office is a new
vintage; the import page names conflicts and imports them only when told to."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innesto.plan.examples import tiny_planset
from innesto.plan.model import PlanSet
from innesto.plan.spreadsheet import export_plan
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.backoffice.importing import current_planset
from innesto.portal.backoffice.models import AuditEntry, NodeDraft, NodeVersion
from innesto.portal.backoffice.publishing import publish, start_draft
from innesto.portal.backoffice.restoring import CannotRestore, restore
from innesto.portal.plans.loader import load_planset
from innesto.portal.plans.models import IndicatorValue, Milestone, Node

pytestmark = pytest.mark.django_db


def _renamed_axis(title: str) -> PlanSet:
    data = tiny_planset().model_dump(mode="json", exclude_none=True)
    data["editions"][0]["nodes"][0]["title"]["en"] = title
    return PlanSet.model_validate(data)


def test_an_overwritten_published_text_is_versioned_and_restorable(tiny_plan: Any,
                                                                  role_users: dict) -> None:
    d = start_draft(Node.objects.get(key="axis"))
    d.title_en = "Axis, as published"
    d.save()
    publish(d, role_users["editor"])
    assert load_planset(_renamed_axis("Axis, from the files")).conflicts
    load_planset(_renamed_axis("Axis, from the files"), overwrite=True)
    node = Node.objects.get(key="axis")
    assert node.title_en == "Axis, from the files"
    # versions: 1 as loaded, 2 published, 3 the load with --overwrite (the refused load
    # before it changed no text: statuses are computed, not loaded)
    assert [(v.number, v.data["title_en"]) for v in node.versions.order_by("number")] == [
        (1, "Axis"), (2, "Axis, as published"), (3, "Axis, from the files")]
    entry = AuditEntry.objects.filter(model="plans.node", object_id=str(node.pk),
                                      actor="load_plan").latest("at")
    restore(entry, role_users["administrator"])
    assert Node.objects.get(key="axis").title_en == "Axis, as published"
    back = AuditEntry.objects.filter(context=f"restore audit entry {entry.pk}").get()
    assert back.user == role_users["administrator"]
    # the restored text is the office's again: the next load keeps it
    load_planset(_renamed_axis("Axis, from the files"))
    assert Node.objects.get(key="axis").title_en == "Axis, as published"


def test_a_milestone_removed_with_overwrite_comes_back_with_its_id(tiny_plan: Any) -> None:
    ms = Milestone.objects.get(key="end")
    with acting_as(name="office"):
        ms.title_en = "End, as the office says"
        ms.save()
    data = tiny_planset().model_dump(mode="json", exclude_none=True)
    data["editions"][0]["nodes"][0]["children"][0]["children"][0]["milestones"].pop()
    result = load_planset(PlanSet.model_validate(data))
    assert [c.key for c in result.conflicts] == ["2006/proj/end"]
    load_planset(PlanSet.model_validate(data), overwrite=True)
    assert not Milestone.objects.filter(pk=ms.pk).exists()
    entry = AuditEntry.objects.get(model="plans.milestone", object_id=str(ms.pk),
                                   action="deleted")
    restore(entry)
    assert Milestone.objects.get(pk=ms.pk).title_en == "End, as the office says"


def test_a_creation_has_nothing_to_restore(tiny_plan: Any) -> None:
    entry = AuditEntry.objects.filter(model="plans.node", action="created").first()
    assert entry is not None
    with pytest.raises(CannotRestore, match="creation"):
        restore(entry)


def test_a_value_revised_in_the_admin_is_a_new_vintage(tiny_plan: Any,
                                                      role_users: dict) -> None:
    row = IndicatorValue.objects.get(indicator__slug="share", period="2010")
    client = Client()
    client.force_login(role_users["data manager"])
    url = reverse("admin:plans_indicatorvalue_change", args=[row.pk])
    form = client.get(url).context["adminform"].form
    data = {k: json.dumps(v) if isinstance(v, dict | list) else v
            for k, v in form.initial.items() if v is not None}
    data.update({"indicator": row.indicator_id, "period": "2010", "value": "1.23",
                 "recorded_at_0": row.recorded_at.date().isoformat(),
                 "recorded_at_1": "00:00:00"})
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    rows = list(IndicatorValue.objects.filter(indicator__slug="share", period="2010")
                .order_by("recorded_at"))
    assert [r.value for r in rows] == [1.2, 1.23]
    assert rows[0].pk == row.pk and rows[0].superseded_at == rows[1].recorded_at
    assert rows[1].superseded_at is None


def _csv_with_axis_title(title: str) -> bytes:
    ps = current_planset()
    assert ps is not None
    rows = list(csv.DictReader(io.StringIO(export_plan(ps, "csv").decode("utf-8"))))
    next(r for r in rows if r["table"] == "nodes" and r["node_id"] == "axis")["title.en"] = title
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("overwrite", [False, True])
def test_the_import_page_names_the_conflict_and_overwrites_only_when_ticked(
        tiny_plan: Any, role_users: dict, overwrite: bool) -> None:
    with acting_as(role_users["editor"]):
        node = Node.objects.get(key="axis")
        node.title_en = "Office axis"
        node.save()
    client = Client()
    client.force_login(role_users["editor"])
    url = reverse("backoffice_import")
    upload = SimpleUploadedFile("plan.csv", _csv_with_axis_title("Sheet axis"), "text/csv")
    page = client.post(url, {"file": upload})
    html = page.content.decode()
    assert "node 2006/axis" in html and "Office axis" in html and "Sheet axis" in html
    assert 'name="overwrite"' in html and "editor on" in html
    form = {"token": page.context["token"], **({"overwrite": "1"} if overwrite else {})}
    done = client.post(url, form, follow=True)
    title = Node.objects.get(key="axis").title_en
    assert title == ("Sheet axis" if overwrite else "Office axis")
    said = " ".join(str(m) for m in done.context["messages"])
    assert ("node 2006/axis" in said) != overwrite  # the refused conflict, named
    assert NodeVersion.objects.count() == 0  # never published: the audit log keeps it
    entry = AuditEntry.objects.filter(model="plans.node", object_id=str(node.pk)).latest("at")
    assert entry.after["title_en"] == title


def test_publishing_a_draft_keeps_what_a_load_changed_meanwhile(tiny_plan: Any,
                                                               role_users: dict) -> None:
    from innesto.portal.backoffice.publishing import DraftConflict

    draft = start_draft(Node.objects.get(key="axis"))
    draft.body_en, draft.body_it = "Body from the office", "Testo dall'ufficio"
    draft.save()
    load_planset(_renamed_axis("Axis, from the files"))
    publish(draft, role_users["editor"])
    node = Node.objects.get(key="axis")
    assert (node.title_en, node.body_en) == ("Axis, from the files", "Body from the office")

    other = start_draft(node)
    other.title_en = "Axis, from the office"
    other.save()
    load_planset(_renamed_axis("Axis, from the files again"))
    with pytest.raises(DraftConflict, match="title_en"):
        publish(other, role_users["editor"])
    assert Node.objects.get(key="axis").title_en == "Axis, from the files again"
    publish(other, role_users["editor"], overwrite=True)
    assert Node.objects.get(key="axis").title_en == "Axis, from the office"


def _admin_edit_node(user: Any, **texts: str) -> None:
    """An editor changes the live page directly, in the admin's change form of the node."""
    node = Node.objects.get(key="axis")
    client = Client()
    client.force_login(user)
    url = reverse("admin:plans_node_change", args=[node.pk])
    form = client.get(url).context["adminform"].form
    data = {k: json.dumps(v) if isinstance(v, dict | list) else v
            for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"sectors": [], **texts})
    for prefix in ("milestones", "roles"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:3000]


def test_publishing_a_draft_keeps_a_direct_admin_edit_made_meanwhile(
        tiny_plan: Any, role_users: dict) -> None:
    """Before: the draft's texts replaced the live page's wholesale, so a title corrected
    directly in the admin after the draft was started was silently lost on publication."""
    from innesto.portal.backoffice.publishing import DraftConflict

    editor = role_users["editor"]
    draft = NodeDraft.objects.create(node=Node.objects.get(key="axis"), title_it="Asse",
                                     title_en="Axis", body_it="Testo", body_en="Text")
    assert draft.base["title_en"] == "Axis"  # the admin's add form records the base too
    _admin_edit_node(editor, title_en="Axis, corrected in the admin")
    publish(draft, editor)  # the draft changed the body only
    node = Node.objects.get(key="axis")
    assert (node.title_en, node.body_en) == ("Axis, corrected in the admin", "Text")

    other = start_draft(node)
    other.title_en = "Axis, as the draft says"
    other.save()
    _admin_edit_node(editor, title_en="Axis, corrected again in the admin")
    with pytest.raises(DraftConflict) as err:
        publish(other, editor)
    said = str(err.value)
    assert "title_en" in said and "'Axis, corrected again in the admin'" in said
    assert "'Axis, as the draft says'" in said and "editor on" in said and "2006/axis" in said
    assert Node.objects.get(key="axis").title_en == "Axis, corrected again in the admin"
    # the editor confirms: the draft goes live; the admin's text stays in the history
    version = publish(other, editor, overwrite=True)
    node = Node.objects.get(key="axis")
    assert node.title_en == "Axis, as the draft says"
    history = [(v.number, v.data["title_en"], v.note) for v in node.versions.order_by("number")]
    assert history[-2:] == [(version.number - 1, "Axis, corrected again in the admin",
                             "as changed on the live page"),
                            (version.number, "Axis, as the draft says", "")]
    entry = AuditEntry.objects.filter(model="plans.node", object_id=str(node.pk),
                                      after__title_en="Axis, as the draft says").latest("at")
    restore(entry, role_users["administrator"])
    assert Node.objects.get(key="axis").title_en == "Axis, corrected again in the admin"


def test_the_admin_publish_action_names_the_conflict_and_overwrites_only_when_chosen(
        tiny_plan: Any, role_users: dict) -> None:
    editor = role_users["editor"]
    draft = start_draft(Node.objects.get(key="axis"))
    draft.title_en = "Axis, draft"
    draft.save()
    _admin_edit_node(editor, title_en="Axis, admin")
    client = Client()
    client.force_login(editor)
    url = reverse("admin:backoffice_nodedraft_changelist")
    done = client.post(url, {"action": "publish_drafts", "_selected_action": [draft.pk]},
                       follow=True)
    said = " ".join(str(m) for m in done.context["messages"])
    assert "title_en" in said and "Axis, admin" in said
    assert Node.objects.get(key="axis").title_en == "Axis, admin"
    client.post(url, {"action": "publish_overwriting", "_selected_action": [draft.pk]})
    assert Node.objects.get(key="axis").title_en == "Axis, draft"
