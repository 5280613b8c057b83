"""Drafts, the publication gate (no page goes live with a missing mandatory translation)
and the public version history of a plan page."""

from __future__ import annotations

import pytest
from django.test import Client

from innesto.portal.backoffice.models import AuditEntry, NodeDraft, NodeVersion
from innesto.portal.backoffice.publishing import PublicationBlocked, publish, start_draft
from innesto.portal.plans.models import Node

pytestmark = pytest.mark.django_db


def test_a_draft_missing_a_translation_cannot_go_live(objects: dict) -> None:
    node = objects["plans.node"]
    NodeDraft.objects.filter(node=node).delete()
    draft = start_draft(node)  # the live node has no English title
    draft.body_it = "Nuovo testo"
    draft.save()
    with pytest.raises(PublicationBlocked) as err:
        publish(draft)
    assert {(m.field, m.language) for m in err.value.missing} == {("title", "en"),
                                                                   ("body", "en")}
    node.refresh_from_db()
    assert node.body_it == "" and not NodeVersion.objects.filter(node=node, number=2).exists()


def test_publishing_updates_the_page_and_its_public_history(objects: dict,
                                                            role_users: dict) -> None:
    node = objects["plans.node"]
    NodeVersion.objects.filter(node=node).delete()
    draft = NodeDraft.objects.get(node=node)
    draft.body_it, draft.body_en, draft.note = "Testo nuovo", "New text", "Testo riscritto"
    draft.save()
    AuditEntry.objects.all().delete()
    version = publish(draft, role_users["editor"])
    assert version.number == 2 and version.published_by == role_users["editor"]
    node.refresh_from_db()
    assert (node.title_en, node.body_en) == ("Axis", "New text")
    assert not NodeDraft.objects.filter(node=node).exists()
    assert AuditEntry.objects.filter(model="plans.node", action="updated",
                                     user=role_users["editor"]).exists()
    ed = node.edition.slug
    it = Client().get(f"/it/storico/{ed}/{node.key}/").content.decode()
    en = Client().get(f"/en/history/{ed}/{node.key}/").content.decode()
    assert "Versione 2" in it and "Testo nuovo" in it and "Testo riscritto" in it
    assert "Version 2" in en and "New text" in en and "Version 1" in en
    assert Client().get(f"/en/history/{ed}/no-such-node/").status_code == 404


def test_a_translator_can_edit_a_draft_but_not_publish_it(objects: dict,
                                                          role_users: dict) -> None:
    from django.urls import reverse

    draft = objects["backoffice.nodedraft"]
    client = Client()
    client.force_login(role_users["translator"])
    resp = client.post(reverse("admin:backoffice_nodedraft_change", args=[draft.pk]),
                       {"node": draft.node_id, "title_it": "Asse uno", "title_en": "Axis one",
                        "body_it": "", "body_en": "", "status_explanation_it": "",
                        "status_explanation_en": "", "note": ""})
    assert resp.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Axis one"
    client.post(reverse("admin:backoffice_nodedraft_changelist"),
                {"action": "publish_drafts", "_selected_action": [draft.pk]})
    assert NodeDraft.objects.filter(pk=draft.pk).exists()
    assert Node.objects.get(pk=draft.node_id).title_en == ""


