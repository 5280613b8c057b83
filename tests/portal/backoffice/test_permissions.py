"""The permission matrix: every back-office view and action tried by every role.

``EXPECTED`` is written out by hand (it is the specification, not derived from the code):
for each model, the letters each role may use: ``v`` list and history, ``a`` add form,
``c`` change (POST), ``d`` delete page. A role not named may do nothing. A model the admin
shows but the table does not name fails the test, so new views cannot go untested.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from innesto.portal.backoffice.models import AuditEntry, NodeDraft
from innesto.portal.engage.models import Newsletter

pytestmark = pytest.mark.django_db

ADMIN, EDITOR, DATA, TRANSLATOR, SENDER = (
    "administrator", "editor", "data manager", "translator", "newsletter sender")
PLAN = {ADMIN: "vacd", EDITOR: "vacd", TRANSLATOR: "vc"}

EXPECTED: dict[str, dict[str, str]] = {
    "plans.edition": {**PLAN, DATA: "v"},
    "plans.node": {ADMIN: "vacd", EDITOR: "vacd", TRANSLATOR: "v", DATA: "v"},  # drafts only
    "plans.milestone": PLAN,
    "plans.actor": PLAN,
    "plans.role": PLAN,
    "plans.sector": PLAN,
    "plans.media": PLAN,
    "plans.indicator": {ADMIN: "vacd", EDITOR: "vc", TRANSLATOR: "vc", DATA: "v"},
    "plans.indicatorvalue": {ADMIN: "vacd", EDITOR: "v", DATA: "vacd"},
    "engage.mailinglist": {ADMIN: "vacd", SENDER: "v"},
    "engage.subscriber": {ADMIN: "vacd"},
    "engage.consenttext": {ADMIN: "vacd"},
    "engage.consentrecord": {ADMIN: "v"},
    "engage.delivery": {ADMIN: "v", SENDER: "v"},
    "engage.newsletter": {ADMIN: "vacd", SENDER: "vac"},
    "engage.contactmessage": {ADMIN: "vcd", EDITOR: "vc"},
    "engage.officecontact": {ADMIN: "vacd", EDITOR: "vacd"},
    "backoffice.auditentry": {ADMIN: "v"},
    "backoffice.reportingcycle": {ADMIN: "vacd", DATA: "vac", EDITOR: "v"},
    "backoffice.nodedraft": {ADMIN: "vacd", EDITOR: "vacd", TRANSLATOR: "vac"},
    "backoffice.nodeversion": {ADMIN: "v", EDITOR: "v", TRANSLATOR: "v"},
    "auth.user": {ADMIN: "vacd"},
    "auth.group": {ADMIN: "vacd"},
    "otp_totp.totpdevice": {ADMIN: "vacd"},  # staff authenticators (test_second_factor.py)
}
ROLES = [ADMIN, EDITOR, DATA, TRANSLATOR, SENDER, "nobody"]


def _try(client: Client, label: str, letter: str, obj: Any) -> int:
    app, model = label.split(".")
    if letter == "v":
        return client.get(reverse(f"admin:{app}_{model}_changelist")).status_code
    if letter == "a":
        return client.get(reverse(f"admin:{app}_{model}_add")).status_code
    if letter == "c":
        return client.post(reverse(f"admin:{app}_{model}_change", args=[obj.pk]), {}).status_code
    return client.get(reverse(f"admin:{app}_{model}_delete", args=[obj.pk])).status_code


#: django-axes' login audit (read-only, administrators only: test_login_protection.py)
LOGIN_AUDIT = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def test_the_table_covers_every_model_the_back_office_shows() -> None:
    shown = {m._meta.label_lower for m in admin.site._registry}
    assert shown - LOGIN_AUDIT == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_every_model_view_for_every_role(role: str, role_users: dict, objects: dict) -> None:
    client = Client()
    client.force_login(role_users[role])
    wrong = []
    for label, allowed in EXPECTED.items():
        for letter in "vacd":
            status = _try(client, label, letter, objects[label])
            ok = status in (200, 302)
            if ok != (letter in allowed.get(role, "")) or status not in (200, 302, 403):
                wrong.append(f"{label} {letter}: {status}")
    assert wrong == []


def test_anonymous_visitors_are_sent_to_the_login_page(objects: dict) -> None:
    for label in EXPECTED:
        app, model = label.split(".")
        resp = Client().get(reverse(f"admin:{app}_{model}_changelist"))
        assert resp.status_code == 302 and "/login/" in resp["Location"]


CUSTOM = {"translations": {ADMIN, EDITOR, TRANSLATOR},
          "spreadsheet import": {ADMIN, EDITOR},
          "newsletter preview": {ADMIN, SENDER},
          "newsletter send test": {ADMIN, SENDER},
          "newsletter send": {ADMIN, SENDER},
          "contact mark answered": {ADMIN, EDITOR},
          "approve reporting cycle": {ADMIN, EDITOR},
          "start draft": {ADMIN, EDITOR, TRANSLATOR},
          "publish draft": {ADMIN, EDITOR},
          "publish draft overwriting": {ADMIN, EDITOR},
          "delivery send again": {ADMIN, SENDER},
          "restore from the audit log": {ADMIN}}


def _restore(client: Client, edition: Any) -> int:
    """200 if the client could restore an edition's title from its audit entry."""
    from innesto.portal.backoffice.audit import acting_as

    before = edition.title_en
    with acting_as(name="someone"):
        edition.title_en = "Changed by someone"
        edition.save()
    entry = AuditEntry.objects.filter(model="plans.edition").latest("id")
    client.post(reverse("admin:backoffice_auditentry_changelist"),
                {"action": "restore_before", "_selected_action": [entry.pk]})
    edition.refresh_from_db()
    return 200 if edition.title_en == before else 403


@pytest.mark.parametrize("role", ROLES)
def test_every_custom_view_and_action_for_every_role(role: str, role_users: dict,
                                                     objects: dict,
                                                     smtp_server: Any) -> None:
    client = Client()
    client.force_login(role_users[role])
    news = objects["engage.newsletter"]
    contact = objects["engage.contactmessage"]
    results = {
        "translations": client.get(reverse("backoffice_translations")).status_code,
        "spreadsheet import": client.get(reverse("backoffice_import")).status_code,
        "newsletter preview": client.get(
            reverse("admin:engage_newsletter_preview", args=[news.pk, "en"])).status_code,
        "newsletter send test": client.post(
            reverse("admin:engage_newsletter_send_test", args=[news.pk]),
            {"to": "staff@example.org"}).status_code,
        "newsletter send": client.post(
            reverse("admin:engage_newsletter_send", args=[news.pk])).status_code,
    }
    action = client.post(reverse("admin:engage_contactmessage_changelist"),
                         {"action": "mark_answered", "_selected_action": [contact.pk]})
    contact.refresh_from_db()
    results["contact mark answered"] = 200 if contact.status == "answered" else 403
    cycle = objects["backoffice.reportingcycle"]
    client.post(reverse("admin:backoffice_reportingcycle_changelist"),
                {"action": "approve_and_lock", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    results["approve reporting cycle"] = 200 if cycle.locked else 403
    draft = objects["backoffice.nodedraft"]
    node = objects["plans.node"]
    draft.delete()
    client.post(reverse("admin:plans_node_changelist"),
                {"action": "start_drafts", "_selected_action": [node.pk]})
    started = NodeDraft.objects.filter(node=node).exists()
    results["start draft"] = 200 if started else 403
    if not started:
        NodeDraft.objects.create(node=node, title_it="Asse", title_en="Axis")
    draft = NodeDraft.objects.get(node=node)
    draft.title_en, draft.title_it = "Axis", "Asse"
    draft.save()
    client.post(reverse("admin:backoffice_nodedraft_changelist"),
                {"action": "publish_drafts", "_selected_action": [draft.pk]})
    results["publish draft"] = 403 if NodeDraft.objects.filter(pk=draft.pk).exists() else 200
    NodeDraft.objects.filter(node=node).delete()
    draft = NodeDraft.objects.create(node=node, title_it="Asse 2", title_en="Axis 2")
    client.post(reverse("admin:backoffice_nodedraft_changelist"),
                {"action": "publish_overwriting", "_selected_action": [draft.pk]})
    results["publish draft overwriting"] = (
        403 if NodeDraft.objects.filter(pk=draft.pk).exists() else 200)
    delivery = objects["engage.delivery"]
    type(delivery).objects.filter(pk=delivery.pk).update(state="unknown")
    client.post(reverse("admin:engage_delivery_changelist"),
                {"action": "send_again", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    results["delivery send again"] = 200 if delivery.state == "pending" else 403
    results["restore from the audit log"] = _restore(client, objects["plans.edition"])
    assert action.status_code in (200, 302, 403)
    for name, status in results.items():
        allowed = role in CUSTOM[name]
        assert (status in (200, 302)) == allowed, (name, status)
    news.refresh_from_db()
    sent_tests = len(smtp_server.to("staff@example.org"))
    if role in CUSTOM["newsletter send"]:
        assert news.status == Newsletter.Status.QUEUED
        assert sent_tests == 2  # one per language
    else:
        assert news.status == Newsletter.Status.DRAFT
        assert sent_tests == 0
