"""Contact form: routed to the office of the lead actor of the chosen node (from the actors
registry), copy to the sender on request, privacy notice, stored with a status."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from innesto.portal.engage.models import ContactMessage, OfficeContact
from innesto.portal.plans.models import Actor, Edition, Node, Role, Sector
from tests.portal.engage.helpers import started

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> dict[str, object]:
    """An edition with an axis led by the Politecnico and a project under it with no lead,
    plus a sector attached to the axis."""
    ed = Edition.objects.create(slug="2006", year=2006, title_it="Secondo piano",
                                title_en="Second plan")
    axis = Node.objects.create(edition=ed, key="a2", path="a2", kind="axis",
                               title_it="Asse 2", title_en="Axis 2")
    project = Node.objects.create(edition=ed, parent=axis, key="p21", path="a2/p21",
                                  kind="project", title_it="Progetto", title_en="Project")
    poli = Actor.objects.create(slug="polito", name_it="Politecnico di Torino")
    partner = Actor.objects.create(slug="camera", name_it="Camera di commercio")
    Role.objects.create(node=axis, actor=partner, role="partner")
    Role.objects.create(node=axis, actor=poli, role="lead")
    OfficeContact.objects.create(actor=partner, email="camera@example.org")
    OfficeContact.objects.create(actor=poli, office="Ufficio ricerca", email="ricerca@example.org")
    sector = Sector.objects.create(slug="aerospace", title_it="Aerospazio", title_en="Aerospace")
    sector.nodes.add(axis)
    return {"axis": axis, "project": project, "sector": sector}


def _data(topic: str, **extra: str) -> dict[str, str]:
    data = {"name": "Anna Rossi", "email": "anna@example.org", "topic": topic,
            "subject": "Domanda", "message": "Quando parte il progetto?", "privacy": "on",
            "started": started(), "website": ""}
    data.update(extra)
    return data


def test_contact_page_lists_topics_and_shows_the_privacy_notice(plan: dict) -> None:
    page = Client().get("/it/contatti/").content.decode()
    assert "Informativa sulla privacy" in page
    assert "Asse 2" in page and "Settore: Aerospazio" in page
    page_en = Client().get("/en/contact/").content.decode()
    assert "Privacy notice" in page_en and "Axis 2" in page_en


def test_a_question_on_a_project_reaches_the_lead_of_its_axis_with_a_copy(
        plan: dict, smtp_server: object) -> None:
    project = plan["project"]
    resp = Client(REMOTE_ADDR="198.51.100.4").post(
        "/it/contatti/", _data(f"node:{project.pk}", copy_to_sender="on"))  # type: ignore[attr-defined]
    assert resp.status_code == 302
    stored = ContactMessage.objects.get()
    assert (stored.status, stored.routed_to_email, stored.ip) == (
        "new", "ricerca@example.org", "198.51.100.4")
    assert stored.routed_to_name == "Politecnico di Torino – Ufficio ricerca"
    [office] = smtp_server.to("ricerca@example.org")  # type: ignore[attr-defined]
    assert office["Reply-To"] == "anna@example.org"
    assert "Quando parte il progetto?" in office.get_body(("plain",)).get_content()
    # anna@ never confirmed her address: she gets a receipt, not the text (issue 14)
    [copy] = smtp_server.to("anna@example.org")  # type: ignore[attr-defined]
    assert copy["Subject"] == "Abbiamo ricevuto il tuo messaggio"
    assert "Quando parte" not in copy.as_string() and "Domanda" not in copy.as_string()


def test_a_sector_question_goes_to_the_lead_of_the_sector_axis(
        plan: dict, smtp_server: object) -> None:
    sector = plan["sector"]
    Client().post("/en/contact/", _data(f"sector:{sector.pk}"))  # type: ignore[attr-defined]
    assert len(smtp_server.to("ricerca@example.org")) == 1  # type: ignore[attr-defined]
    assert smtp_server.to("anna@example.org") == []  # no copy asked  # type: ignore[attr-defined]


def test_a_general_question_goes_to_the_association(plan: dict, smtp_server: object,
                                                     settings: object) -> None:
    settings.ENGAGE_CONTACT_EMAIL = "info@example.org"  # type: ignore[attr-defined]
    Client().post("/it/contatti/", _data("general"))
    assert len(smtp_server.to("info@example.org")) == 1  # type: ignore[attr-defined]
    assert ContactMessage.objects.get().topic == "general"


def test_the_privacy_notice_must_be_accepted(plan: dict, smtp_server: object) -> None:
    data = _data("general")
    del data["privacy"]
    resp = Client().post("/it/contatti/", data)
    assert resp.status_code == 200
    assert ContactMessage.objects.count() == 0
    assert smtp_server.received == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("spam", [{"website": "http://spam.example"},
                                  {"started": "forged"}])
def test_spam_is_answered_like_a_real_message_but_not_stored_or_sent(
        plan: dict, smtp_server: object, spam: dict[str, str]) -> None:
    resp = Client().post("/it/contatti/", _data("general", **spam))
    assert resp.status_code == 302
    assert ContactMessage.objects.count() == 0
    assert smtp_server.received == []  # type: ignore[attr-defined]


def test_a_form_sent_back_too_fast_is_treated_as_automated(
        plan: dict, smtp_server: object) -> None:
    Client().post("/it/contatti/", _data("general", started=started(seconds_ago=0)))
    assert ContactMessage.objects.count() == 0


def test_the_contact_form_is_rate_limited_per_ip(plan: dict, smtp_server: object,
                                                 settings: object) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.ENGAGE_RATE_LIMITS = {"ip": (2, 3600), "address": (100, 3600)}  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="192.0.2.99")
    codes = [client.post("/it/contatti/", _data("general")).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert ContactMessage.objects.count() == 2


def test_messages_are_deleted_after_two_years_as_the_notice_promises(plan: dict) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    for age in (10, 729, 731):
        msg = ContactMessage.objects.create(
            name="A", email="a@example.org", language="it", topic="general",
            topic_label="G", routed_to_name="O", routed_to_email="o@example.org",
            subject=f"age {age}", message="M")
        ContactMessage.objects.filter(pk=msg.pk).update(
            created_at=timezone.now() - timedelta(days=age))
    call_command("purge_contact_messages", stdout=io.StringIO())
    assert sorted(ContactMessage.objects.values_list("subject", flat=True)) == [
        "age 10", "age 729"]
