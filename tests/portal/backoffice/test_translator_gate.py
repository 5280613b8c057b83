"""Issue 14, translator bypasses the draft: a translator could edit live texts directly and
blank a mandatory translation. Now translators change plan pages only through drafts (the
publication gate guards those), and every direct edit of live content is gated too: it
may not leave a mandatory translation missing that was there before; adding an object
(live as soon as it is saved) needs every mandatory translation, and translators add none."""

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


PLAN_MODELS = ["edition", "node", "milestone", "actor", "role", "sector", "media", "indicator"]


def test_a_translator_cannot_add_live_objects(objects: dict, role_users: dict) -> None:
    """A new object is live the moment it is saved, so a translator adds none: new page
    texts go through drafts. Tried on every plan model, by GET and by POST."""
    from django.apps import apps

    client = Client()
    client.force_login(role_users["translator"])
    for name in PLAN_MODELS:
        model = apps.get_model("plans", name)
        before = model._default_manager.count()
        url = reverse(f"admin:plans_{name}_add")
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"slug": "nuovo", "title_it": "Nuovo",
                                 "title_en": "New"}).status_code == 403, name
        assert model._default_manager.count() == before, name


def test_a_new_object_needs_every_mandatory_translation(objects: dict,
                                                        role_users: dict) -> None:
    """The gate covers additions: an editor adding a sector in Italian only gets the form
    back with the English title marked, and nothing is created; with both titles it goes
    live. This failed before: the add form was not gated."""
    client = Client()
    client.force_login(role_users["editor"])
    url = reverse("admin:plans_sector_add")
    data = _form_data(client, url, slug="aero", title_it="Aerospazio", title_en="",
                      industries='["C30"]', nace="[]", position="0")
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "title_en" in resp.context["adminform"].form.errors
    assert not Sector.objects.filter(slug="aero").exists()
    resp = client.post(url, {**data, "title_en": "Aerospace"})
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    assert Sector.objects.get(slug="aero").title_en == "Aerospace"


def test_a_milestone_added_on_a_node_page_is_gated_too(objects: dict,
                                                       role_users: dict) -> None:
    """Milestones are added inline on the node's page: the inline form has the gate."""
    from innesto.portal.plans.models import Milestone

    node = objects["plans.node"]
    client = Client()
    client.force_login(role_users["editor"])
    url = reverse("admin:plans_node_change", args=[node.pk])
    page = client.get(url)
    data = _form_data(client, url, title_en="Axis")
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        mgmt = fs.management_form
        data.update({f"{fs.prefix}-{k}": v for k, v in mgmt.initial.items()})
        for i, form in enumerate(fs.forms):
            data.update({f"{fs.prefix}-{i}-{k}": ("" if v is None else v)
                         for k, v in form.initial.items() if k in form.fields})
            data[f"{fs.prefix}-{i}-id"] = form.instance.pk
            data[f"{fs.prefix}-{i}-{fs.fk.name}"] = node.pk
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"]
                  if f.formset.model is Milestone)
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-TOTAL_FORMS": n + 1, f"{prefix}-{n}-key": "m2",
                 f"{prefix}-{n}-status": "planned", f"{prefix}-{n}-title_it": "Nuova tappa",
                 f"{prefix}-{n}-title_en": "", f"{prefix}-{n}-node": node.pk})
    resp = client.post(url, data)
    assert resp.status_code == 200, resp.get("Location")
    assert not Milestone.objects.filter(key="m2").exists()
    data[f"{prefix}-{n}-title_en"] = "New milestone"
    resp = client.post(url, data)
    assert resp.status_code == 302
    assert Milestone.objects.get(key="m2").title_en == "New milestone"
