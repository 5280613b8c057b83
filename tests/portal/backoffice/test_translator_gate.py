"""Issue 14, translator bypasses the draft: a translator could edit live texts directly and
blank a mandatory translation. Now translators change plan pages only through drafts (the
publication gate guards those), and every direct edit of live content is gated too: it
may not leave a mandatory translation missing that was there before."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from innesto.portal.plans.models import Sector

pytestmark = pytest.mark.django_db


def _form_data(client: Client, url: str, **changes: str) -> dict[str, Any]:
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(changes)
    return data


def test_a_translator_cannot_edit_a_live_page(objects: dict, role_users: dict) -> None:
    node = objects["plans.node"]
    client = Client()
    client.force_login(role_users["translator"])
    url = reverse("admin:plans_node_change", args=[node.pk])
    assert client.get(url).status_code == 200  # may read it (view only)
    resp = client.post(url, {"title_it": "Cambiato", "title_en": "Changed"})
    assert resp.status_code == 403
    node.refresh_from_db()
    assert node.title_it == "Asse"


def test_a_mandatory_translation_cannot_be_blanked_directly(objects: dict,
                                                            role_users: dict) -> None:
    sector = objects["plans.sector"]
    Sector.objects.filter(pk=sector.pk).update(title_it="Aerospazio", title_en="Aerospace")
    client = Client()
    client.force_login(role_users["translator"])
    url = reverse("admin:plans_sector_change", args=[sector.pk])
    resp = client.post(url, _form_data(client, url, title_en=""))
    assert resp.status_code == 200  # the form again
    assert "title_en" in resp.context["adminform"].form.errors
    assert "mandatory in both languages" in resp.content.decode() or (
        "obbligatorio in entrambe le lingue" in resp.content.decode())
    sector.refresh_from_db()
    assert sector.title_en == "Aerospace"
    # a real translation still goes through
    resp = client.post(url, _form_data(client, url, title_en="Aerospace industry"))
    assert resp.status_code == 302
    sector.refresh_from_db()
    assert sector.title_en == "Aerospace industry"


def test_the_gate_holds_for_editors_too(objects: dict, role_users: dict) -> None:
    sector = objects["plans.sector"]
    Sector.objects.filter(pk=sector.pk).update(title_en="ICT", body_it="Testo", body_en="Text")
    client = Client()
    client.force_login(role_users["editor"])
    url = reverse("admin:plans_sector_change", args=[sector.pk])
    resp = client.post(url, _form_data(client, url, body_en=""))
    assert resp.status_code == 200
    assert "body_en" in resp.context["adminform"].form.errors
    sector.refresh_from_db()
    assert sector.body_en == "Text"
