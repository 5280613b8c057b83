"""Abuse protection of the subscribe form: rate limits per IP and per address, honeypot,
time-to-submit, and no way to learn whether an address is subscribed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from innesto.portal.engage.models import ConsentRecord, Subscriber, Subscription
from tests.portal.engage.helpers import make_lists, started, subscribe_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_the_answer_is_the_same_for_new_and_already_subscribed_addresses(
        smtp_server: object) -> None:
    lists = make_lists()
    person = Subscriber.objects.create(email="known@example.org", language="it")
    Subscription.objects.create(subscriber=person, mailing_list=lists["plan"], status="active")
    known = Client().post("/it/iscriviti/", subscribe_data("known@example.org", lists["plan"]))
    new = Client().post("/it/iscriviti/", subscribe_data("new@example.org", lists["plan"]))
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert Client().get(known["Location"]).content == Client().get(new["Location"]).content
    # The known address stays active; only its owner gets a (harmless) confirmation mail.
    assert Subscription.objects.get(subscriber=person).status == "active"
    assert len(smtp_server.to("known@example.org")) == 1  # type: ignore[attr-defined]


def test_rate_limit_per_address_silently_stops_mail(smtp_server: object,
                                                    settings: object) -> None:
    settings.ENGAGE_RATE_LIMITS = {"ip": (100, 3600), "address": (2, 3600)}  # type: ignore[attr-defined]
    lists = make_lists()
    answers = set()
    for n in range(4):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        resp = client.post("/it/iscriviti/", subscribe_data("victim@example.org", lists["plan"]))
        answers.add((resp.status_code, resp["Location"]))
    assert answers == {(302, "/it/iscriviti/controlla-la-posta/")}
    assert len(smtp_server.to("victim@example.org")) == 2  # type: ignore[attr-defined]


def test_rate_limit_per_ip_answers_429(smtp_server: object, settings: object) -> None:
    settings.ENGAGE_RATE_LIMITS = {"ip": (3, 3600), "address": (100, 3600)}  # type: ignore[attr-defined]
    lists = make_lists()
    client = Client(REMOTE_ADDR="192.0.2.50")
    codes = [client.post("/en/subscribe/", subscribe_data(f"a{n}@example.org", lists["plan"]))
             .status_code for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(smtp_server.received) == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["honeypot", "too-fast", "tampered-start"])
def test_bots_get_the_normal_answer_and_nothing_happens(smtp_server: object,
                                                        kind: str, settings: object) -> None:
    # a minimum far above the test's own run time, so a loaded machine cannot make the
    # half-second form look slow enough
    settings.ENGAGE_MIN_SUBMIT_SECONDS = 60  # type: ignore[attr-defined]
    bot = {"honeypot": {"website": "x"},
           "too-fast": {"started": started(seconds_ago=0.5)},
           "tampered-start": {"started": "12345:tampered"}}[kind]
    lists = make_lists()
    resp = Client().post("/it/iscriviti/", subscribe_data("bot@example.org", lists["plan"], **bot))
    assert resp.status_code == 302
    assert smtp_server.received == []  # type: ignore[attr-defined]
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_consent_and_a_list_are_required(smtp_server: object) -> None:
    lists = make_lists()
    data = subscribe_data("x@example.org", lists["plan"])
    del data["consent"]
    assert Client().post("/it/iscriviti/", data).status_code == 200
    data = subscribe_data("x@example.org")
    page = Client().post("/it/iscriviti/", data)
    assert "Scegli almeno una lista." in page.content.decode()
    assert smtp_server.received == []  # type: ignore[attr-defined]
