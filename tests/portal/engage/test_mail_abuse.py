"""Issue 14, mail bombing and relay, link replay, language hijack, anti-bot token replay
and CR/LF in the contact subject: each reproduces a failure the audit found."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from innesto.portal.engage.abuse import mailbox
from innesto.portal.engage.models import ContactMessage, Subscriber, Subscription
from tests.portal.engage.helpers import link_path, make_lists, started, subscribe_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.mark.parametrize(("address", "box"), [
    ("Victim+1@Example.org", "victim@example.org"),
    ("victim+a+b@example.org", "victim@example.org"),
    ("v.i.c.t.i.m+9@gmail.com", "victim@gmail.com"),
    ("V.ictim@googlemail.com", "victim@gmail.com"),
    ("v.ictim@example.org", "v.ictim@example.org"),  # dots matter at other providers
])
def test_addresses_are_counted_by_mailbox(address: str, box: str) -> None:
    assert mailbox(address) == box


def test_plus_tags_and_dots_do_not_multiply_the_mail_one_mailbox_gets(
        smtp_server: object, settings: object) -> None:
    """The audit: victim+N@ from several IPs sent 60 confirmations to one mailbox. Now the
    per-mailbox limit (3 an hour) holds whatever the tags, dots and case."""
    settings.ENGAGE_RATE_LIMITS = {"ip": (100, 3600), "network": (1000, 3600),  # type: ignore[attr-defined]
                                   "address": (3, 3600)}
    lists = make_lists()
    for n in range(30):
        client = Client(REMOTE_ADDR=f"192.0.{n % 6}.{n + 1}")
        for address in (f"victim+{n}@example.org", f"V.I.C.T.I.M+{n}@gmail.com"):
            r = client.post("/en/subscribe/", subscribe_data(address, lists["plan"]))
            assert r.status_code == 302
    received = smtp_server.received  # type: ignore[attr-defined]
    by_box: dict[str, int] = {}
    for m in received:
        for rcpt in m.rcpt_tos:
            by_box[mailbox(rcpt)] = by_box.get(mailbox(rcpt), 0) + 1
    assert by_box == {"victim@example.org": 3, "victim@gmail.com": 3}


def test_many_ips_of_one_network_are_limited_together(smtp_server: object,
                                                      settings: object) -> None:
    settings.ENGAGE_RATE_LIMITS = {"ip": (5, 3600), "network": (8, 3600),  # type: ignore[attr-defined]
                                   "address": (100, 3600)}
    lists = make_lists()
    codes = [Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
        "/en/subscribe/", subscribe_data(f"x{n}@example.org", lists["plan"])).status_code
        for n in range(10)]
    assert codes == [302] * 8 + [429] * 2
    # another network is not affected
    assert Client(REMOTE_ADDR="198.51.100.1").post(
        "/en/subscribe/", subscribe_data("y@example.org", lists["plan"])).status_code == 302


def test_a_form_token_cannot_be_replayed(smtp_server: object) -> None:
    lists = make_lists()
    data = subscribe_data("once@example.org", lists["plan"])
    for k in range(3):
        Client(REMOTE_ADDR=f"192.0.2.{k + 1}").post("/en/subscribe/", data)
    assert len(smtp_server.to("once@example.org")) == 1  # type: ignore[attr-defined]


def test_a_form_token_older_than_the_limit_is_refused(smtp_server: object) -> None:
    lists = make_lists()
    data = subscribe_data("late@example.org", lists["plan"], started=started(3 * 3600))
    Client().post("/en/subscribe/", data)
    assert smtp_server.to("late@example.org") == []  # type: ignore[attr-defined]


def _contact(**extra: str) -> dict[str, str]:
    data = {"name": "Mallory", "email": "target@example.org", "topic": "general",
            "subject": "Your account", "message": "Click http://evil.example/now",
            "privacy": "on", "started": started(), "website": "", "copy_to_sender": "on"}
    data.update(extra)
    return data


def test_the_copy_to_an_unconfirmed_address_carries_no_free_text(smtp_server: object) -> None:
    """The audit: "send me a copy" relayed attacker text from the official address."""
    assert Client().post("/en/contact/", _contact()).status_code == 302
    [copy] = smtp_server.to("target@example.org")  # type: ignore[attr-defined]
    raw = copy.as_string()
    assert "evil.example" not in raw and "Mallory" not in raw and "Your account" not in raw
    assert copy["Subject"] == "We received your message"


def test_a_confirmed_address_gets_the_full_copy(smtp_server: object) -> None:
    lists = make_lists()
    person = Subscriber.objects.create(email="anna@example.org", language="en")
    from django.utils import timezone

    Subscription.objects.create(subscriber=person, mailing_list=lists["plan"],
                                status="active", confirmed_at=timezone.now())
    Client().post("/en/contact/", _contact(email="anna@example.org", message="Hello there"))
    [copy] = smtp_server.to("anna@example.org")  # type: ignore[attr-defined]
    assert "Hello there" in copy.get_body(("plain",)).get_content()


@pytest.mark.parametrize("subject", ["Hi\r\nBcc: all@example.org", "Hi\nthere", "a\x0bb"])
def test_a_line_break_in_the_subject_is_a_form_error_not_a_500(smtp_server: object,
                                                               subject: str) -> None:
    r = Client().post("/en/contact/", _contact(subject=subject))
    assert r.status_code == 200  # the form again, with the error
    assert "on one line" in r.content.decode()
    assert not ContactMessage.objects.exists()
    assert smtp_server.received == []  # type: ignore[attr-defined]


def _confirm_path(smtp_server: object, address: str, index: int = -1) -> str:
    msg = smtp_server.to(address)[index]  # type: ignore[attr-defined]
    return link_path(msg.get_body(("plain",)).get_content(), "/")


def _unsubscribe(sub: Subscription) -> None:
    from innesto.portal.engage.tokens import make_unsubscribe_token

    assert Client().post(f"/en/unsubscribe/{make_unsubscribe_token(sub.pk)}/").status_code == 200


def test_an_old_confirmation_link_cannot_resubscribe_after_unsubscribe(
        smtp_server: object) -> None:
    lists = make_lists()
    Client().post("/en/subscribe/", subscribe_data("ann@example.org", lists["plan"]))
    link = _confirm_path(smtp_server, "ann@example.org")
    assert Client().post(link).status_code == 200
    sub = Subscription.objects.get(subscriber__email="ann@example.org")
    assert sub.status == "active"
    _unsubscribe(sub)
    assert Client().post(link).status_code == 200  # replay
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
    # even after a new (unconfirmed) request by someone else, the old link does nothing
    Client(REMOTE_ADDR="192.0.2.99").post("/en/subscribe/",
                                          subscribe_data("ann@example.org", lists["plan"]))
    Client().post(link)
    sub.refresh_from_db()
    assert sub.status == "pending"
    # the new link works
    assert Client().post(_confirm_path(smtp_server, "ann@example.org")).status_code == 200
    sub.refresh_from_db()
    assert sub.status == "active"


def test_an_unconfirmed_request_does_not_change_the_language(smtp_server: object) -> None:
    lists = make_lists()
    person = Subscriber.objects.create(email="eva@example.org", language="it")
    Subscription.objects.create(subscriber=person, mailing_list=lists["plan"], status="active")
    Client().post("/en/subscribe/", subscribe_data("eva@example.org", lists["axis"]))
    person.refresh_from_db()
    assert person.language == "it"
    [mail] = smtp_server.to("eva@example.org")  # type: ignore[attr-defined]
    assert "/en/" in mail.get_body(("plain",)).get_content()  # the request's language
    Client().post(_confirm_path(smtp_server, "eva@example.org"))
    person.refresh_from_db()
    assert person.language == "en"  # chosen by following the link
