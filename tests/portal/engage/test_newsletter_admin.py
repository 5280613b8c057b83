"""Staff compose a bilingual newsletter in the back office, preview it in each language,
send a test, and send it to a list; the sender delivers it in each subscriber's language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from innesto.portal.engage import sender
from innesto.portal.engage.models import Newsletter, Subscriber, Subscription
from tests.portal.engage.helpers import make_lists
from tests.portal.engage.smtp import text_part

pytestmark = pytest.mark.django_db


def test_compose_preview_test_and_send(smtp_server: object) -> None:
    lists = make_lists()
    for email, lang in (("ada@example.org", "it"), ("bob@example.org", "en")):
        person = Subscriber.objects.create(email=email, language=lang)
        Subscription.objects.create(subscriber=person, mailing_list=lists["axis"],
                                    status="active")
    staff = User.objects.create(username="sender", email="staff@example.org", is_staff=True)
    staff.groups.add(Group.objects.get(name="newsletter sender"))
    client = Client()
    client.force_login(staff)

    resp = client.post(reverse("admin:engage_newsletter_add"), {
        "mailing_list": lists["axis"].pk, "subject_it": "Avanzamento dell'asse 2",
        "subject_en": "Progress of axis 2", "body_it": "Il progetto è partito.",
        "body_en": "The project has started."})
    assert resp.status_code == 302
    news = Newsletter.objects.get()
    assert news.created_by == staff and news.status == "draft"

    it = client.get(reverse("admin:engage_newsletter_preview", args=[news.pk, "it"]))
    en = client.get(reverse("admin:engage_newsletter_preview", args=[news.pk, "en"]))
    assert "Il progetto è partito." in it.content.decode()
    assert "The project has started." in en.content.decode()
    assert "List-Unsubscribe-Post" in en.content.decode()

    client.post(reverse("admin:engage_newsletter_send_test", args=[news.pk]),
                {"to": "staff@example.org"})
    tests = smtp_server.to("staff@example.org")  # type: ignore[attr-defined]
    assert sorted(m["Subject"] for m in tests) == [
        "[TEST] Avanzamento dell'asse 2", "[TEST] Progress of axis 2"]
    assert smtp_server.to("ada@example.org") == []  # a test goes to staff only  # type: ignore[attr-defined]

    client.post(reverse("admin:engage_newsletter_send", args=[news.pk]))
    news.refresh_from_db()
    assert news.status == "queued" and news.deliveries.count() == 2
    # Once queued, what is sent can no longer be edited.
    assert client.post(reverse("admin:engage_newsletter_change", args=[news.pk]),
                       {}).status_code == 403
    assert sender.run() == {"sent": 2}
    [ada] = smtp_server.to("ada@example.org")  # type: ignore[attr-defined]
    [bob] = smtp_server.to("bob@example.org")  # type: ignore[attr-defined]
    assert ada["Subject"] == "Avanzamento dell'asse 2"
    assert "The project has started." in text_part(bob)
    news.refresh_from_db()
    assert news.status == "sent" and news.finished_at is not None
