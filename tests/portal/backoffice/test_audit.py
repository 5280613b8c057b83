"""The audit log records who changed what, when, with the values before and after."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from innesto.portal.backoffice.audit import acting_as, bulk_update
from innesto.portal.backoffice.models import AuditEntry
from innesto.portal.engage.models import ContactMessage
from innesto.portal.plans.models import Node

pytestmark = pytest.mark.django_db


def test_an_edit_in_the_back_office_is_logged_with_before_and_after(
        role_users: dict, objects: dict) -> None:
    sector = objects["plans.sector"]  # translators edit plan pages through drafts only
    AuditEntry.objects.all().delete()
    client = Client()
    client.force_login(role_users["translator"])
    url = reverse("admin:plans_sector_change", args=[sector.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()
            if k in form.fields}
    data.update({"title_it": "ICT", "title_en": "ICT sector"})
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    sector.refresh_from_db()
    assert sector.title_en == "ICT sector"
    [entry] = AuditEntry.objects.filter(model="plans.sector")
    assert entry.user == role_users["translator"]
    assert entry.actor == "translator"
    assert entry.action == "updated"
    assert entry.before["title_en"] == "" and entry.after["title_en"] == "ICT sector"
    assert entry.changed_fields() == ["title_en"]


def test_a_translator_cannot_change_the_structure(role_users: dict, objects: dict) -> None:
    node = objects["plans.node"]
    client = Client()
    client.force_login(role_users["translator"])
    url = reverse("admin:plans_node_change", args=[node.pk])
    client.post(url, {"title_it": "Asse", "title_en": "Axis", "key": "hacked",
                      "kind": "project", "path": "x"})
    node.refresh_from_db()
    assert (node.key, node.kind, node.path) == ("a1", "axis", "a1")


def test_a_bulk_action_logs_one_entry_per_object_in_one_transaction(objects: dict) -> None:
    first = objects["engage.contactmessage"]
    second = ContactMessage.objects.create(
        name="B", email="b@example.org", language="en", topic="general", topic_label="G",
        routed_to_name="O", routed_to_email="o@example.org", subject="S2", message="M2")
    AuditEntry.objects.all().delete()
    assert bulk_update(None, ContactMessage.objects.all(), status="closed") == 2
    entries = AuditEntry.objects.filter(model="engage.contactmessage")
    assert sorted(e.object_id for e in entries) == sorted([str(first.pk), str(second.pk)])
    assert {(e.before["status"], e.after["status"], e.context) for e in entries} == {
        ("new", "closed", "bulk action")}


def test_a_bulk_action_failing_on_its_second_object_changes_nothing(objects: dict) -> None:
    second = ContactMessage.objects.create(
        name="B", email="b@example.org", language="en", topic="general", topic_label="G",
        routed_to_name="O", routed_to_email="o@example.org", subject="S2", message="M2")
    AuditEntry.objects.all().delete()

    def fail_on_second(sender: object, instance: ContactMessage, **kwargs: object) -> None:
        if instance.pk == second.pk:
            raise RuntimeError("disk full")

    pre_save.connect(fail_on_second, sender=ContactMessage)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            bulk_update(None, ContactMessage.objects.order_by("pk"), status="closed")
    finally:
        pre_save.disconnect(fail_on_second, sender=ContactMessage)
    assert set(ContactMessage.objects.values_list("status", flat=True)) == {"new"}
    assert not AuditEntry.objects.exists()


def test_changes_without_an_actor_are_not_edits_and_are_not_logged(objects: dict) -> None:
    AuditEntry.objects.all().delete()
    Node.objects.filter(pk=objects["plans.node"].pk).first().save()  # e.g. load_plan
    assert not AuditEntry.objects.exists()
    with acting_as(name="cli:import", context="import plan.xlsx"):
        node = Node.objects.get(pk=objects["plans.node"].pk)
        node.title_en = "Axis one"
        node.save()
        node.delete()
    actions = list(AuditEntry.objects.filter(model="plans.node").order_by("id")
                   .values_list("actor", "action", "context"))
    assert actions == [("cli:import", "updated", "import plan.xlsx"),
                       ("cli:import", "deleted", "import plan.xlsx")]
    # What the delete cascaded to is logged too (the node's milestone and role).
    cascaded = set(AuditEntry.objects.exclude(model="plans.node")
                   .values_list("model", "action"))
    assert {("plans.milestone", "deleted"), ("plans.role", "deleted")} <= cascaded


def test_password_hashes_never_reach_the_log(role_users: dict) -> None:
    with acting_as(name="admin"):
        user = role_users["editor"]
        user.set_password("secret-password")
        user.save()
    entry = AuditEntry.objects.filter(model="auth.user").latest("id")
    assert entry.changed_fields() == ["password"]
    assert entry.after["password"].startswith("(fingerprint ")
    assert user.password not in str(entry.after) + str(entry.before)
