"""The whole subscription life on a real SMTP server: subscribe, confirm, receive a
newsletter with RFC 8058 headers, one-click unsubscribe by POST, receive nothing more."""

from __future__ import annotations

import pytest
from django.test import Client

from innesto.portal.engage import sender
from innesto.portal.engage.models import (
    ConsentRecord,
    ConsentText,
    Newsletter,
    Subscription,
)
from innesto.portal.engage.tokens import CONFIRM_SALT
from tests.portal.engage.helpers import (
    csrf_client,
    link_path,
    make_lists,
    old_token,
    subscribe_data,
)
from tests.portal.engage.smtp import html_part, text_part

pytestmark = pytest.mark.django_db

ADDRESS = "lettrice@example.org"


def _newsletter(mailing_list: object, tag: str) -> Newsletter:
    return Newsletter.objects.create(
        mailing_list=mailing_list, subject_it=f"Notizie {tag}", subject_en=f"News {tag}",
        body_it=f"Corpo italiano {tag}.\n\nSecondo paragrafo.",
        body_en=f"English body {tag}.\n\nSecond paragraph.")


def test_the_whole_subscription_life(smtp_server: object) -> None:
    lists = make_lists()
    browser = Client(REMOTE_ADDR="203.0.113.7")

    page = browser.get("/it/iscriviti/")
    assert page.status_code == 200
    assert "Asse 2" in page.content.decode()

    resp = browser.post("/it/iscriviti/", subscribe_data(ADDRESS, lists["plan"], lists["axis"]))
    assert resp.status_code == 302
    assert resp["Location"].startswith("/it/")

    # The confirmation e-mail arrived on the SMTP server, in Italian, with a signed link.
    [confirmation] = smtp_server.to(ADDRESS)  # type: ignore[attr-defined]
    assert confirmation["Subject"] == "Conferma la tua iscrizione"
    confirm_path = link_path(text_part(confirmation), "/it/")
    assert Subscription.objects.filter(status="pending").count() == 2

    # The consent log holds the request with IP, lists, language and the exact text version.
    consent = ConsentText.objects.get()
    [requested] = ConsentRecord.objects.filter(action="requested")
    assert (requested.email, requested.ip, requested.language) == (ADDRESS, "203.0.113.7", "it")
    assert sorted(requested.lists) == ["axis-2", "plan"]
    assert requested.consent_version == consent.version
    assert requested.consent_sha256 == consent.sha256("it")
    assert requested.consent_text == consent.text_it

    # Opening the link shows a button; only the POST confirms (mail scanners only GET).
    assert browser.get(confirm_path).status_code == 200
    assert Subscription.objects.filter(status="active").count() == 0
    done = browser.post(confirm_path)
    assert done.status_code == 200
    assert Subscription.objects.filter(status="active").count() == 2
    assert ConsentRecord.objects.filter(action="confirmed", email=ADDRESS).count() == 1

    # A newsletter to the axis list arrives with the one-click unsubscribe headers.
    first = _newsletter(lists["axis"], "1")
    assert sender.queue(first) == 1
    assert sender.run(batch_size=10) == {"sent": 1}
    [_, newsletter] = smtp_server.to(ADDRESS)  # type: ignore[attr-defined]
    assert newsletter["Subject"] == "Notizie 1"
    unsubscribe_header = str(newsletter["List-Unsubscribe"]).strip()
    assert unsubscribe_header.startswith("<http://testserver/it/") and unsubscribe_header.endswith(">")
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe_header[1:-1]
    assert url in text_part(newsletter)  # the visible link in the text part
    assert url in html_part(newsletter)  # and in the HTML part
    assert "Corpo italiano 1." in text_part(newsletter)

    # One-click unsubscribe: a mail client POSTs with no cookie and no CSRF token.
    mail_client = csrf_client()
    path = link_path(url, "/it/")
    one_click = mail_client.post(path, "List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200
    sub = Subscription.objects.get(mailing_list=lists["axis"])
    assert sub.status == "unsubscribed"
    assert ConsentRecord.objects.filter(action="unsubscribed", email=ADDRESS).count() == 1
    # The other list is untouched.
    assert Subscription.objects.get(mailing_list=lists["plan"]).status == "active"

    # Nothing more from that list.
    second = _newsletter(lists["axis"], "2")
    assert sender.queue(second) == 0
    assert sender.run(batch_size=10) == {}
    assert len(smtp_server.to(ADDRESS)) == 2  # type: ignore[attr-defined]
    second.refresh_from_db()
    assert second.status == "sent"


def test_english_subscription_uses_english_urls_and_mail(smtp_server: object) -> None:
    lists = make_lists()
    browser = Client()
    resp = browser.post("/en/subscribe/", subscribe_data("reader@example.org", lists["sector"]))
    assert resp.status_code == 302
    [mail] = smtp_server.to("reader@example.org")  # type: ignore[attr-defined]
    assert mail["Subject"] == "Confirm your subscription"
    path = link_path(text_part(mail), "/en/")
    assert path.startswith("/en/subscribe/confirm/")
    assert browser.post(path).status_code == 200
    assert Subscription.objects.get().status == "active"


def test_a_queued_newsletter_skips_who_unsubscribed_before_sending(smtp_server: object) -> None:
    lists = make_lists()
    browser = Client()
    browser.post("/it/iscriviti/", subscribe_data(ADDRESS, lists["plan"]))
    [confirmation] = smtp_server.to(ADDRESS)  # type: ignore[attr-defined]
    browser.post(link_path(text_part(confirmation), "/it/"))
    news = _newsletter(lists["plan"], "x")
    assert sender.queue(news) == 1
    Subscription.objects.update(status="unsubscribed")
    assert sender.run() == {"skipped": 1}
    assert len(smtp_server.to(ADDRESS)) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_an_expired_confirmation_link_is_refused_with_a_clear_page(lang: str) -> None:
    lists = make_lists()
    from innesto.portal.engage.models import Subscriber

    person = Subscriber.objects.create(email=ADDRESS, language=lang)
    Subscription.objects.create(subscriber=person, mailing_list=lists["plan"])
    token = old_token({"s": person.pk, "l": [lists["plan"].pk]}, CONFIRM_SALT, 4 * 24 * 3600)
    base = "/it/iscriviti/conferma/" if lang == "it" else "/en/subscribe/confirm/"
    for method in ("get", "post"):
        resp = getattr(Client(), method)(f"{base}{token}/")
        assert resp.status_code == 400
        title = "Questo link è scaduto" if lang == "it" else "This link has expired"
        assert title in resp.content.decode()
    assert Subscription.objects.get().status == "pending"


def test_a_tampered_link_is_refused_with_a_clear_page(smtp_server: object) -> None:
    lists = make_lists()
    browser = Client()
    browser.post("/en/subscribe/", subscribe_data(ADDRESS, lists["plan"]))
    [confirmation] = smtp_server.to(ADDRESS)  # type: ignore[attr-defined]
    path = link_path(text_part(confirmation), "/en/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    # Point the signed payload at another subscriber: the signature no longer matches.
    forged = token.replace(token[2], "A" if token[2] != "A" else "B", 1)
    resp = browser.post(path.replace(token, forged))
    assert resp.status_code == 400
    assert "This link is not valid" in resp.content.decode()
    bad_unsub = browser.post("/en/unsubscribe/12:forged/")
    assert bad_unsub.status_code == 400
    assert Subscription.objects.get().status == "pending"


def test_the_lists_follow_the_loaded_plan(tiny_plan: object) -> None:
    from innesto.portal.engage.models import MailingList
    from innesto.portal.plans.models import Node

    page = Client().get("/en/subscribe/").content.decode()
    axes = Node.objects.filter(parent=None)
    assert axes.exists()
    for axis in axes:
        assert MailingList.objects.filter(kind="axis", ref=f"{axis.edition.slug}/{axis.key}").exists()
        assert (axis.title_en or axis.title_it) in page


@pytest.mark.parametrize(("lang", "path", "title"), [
    ("it", "/it/iscriviti/", "Iscrizioni momentaneamente chiuse"),
    ("en", "/en/subscribe/", "Subscriptions are closed for now"),
])
def test_without_a_consent_text_subscriptions_are_closed_not_broken(
        lang: str, path: str, title: str, smtp_server: object) -> None:
    """No consent text (deleted in the back office): the page says subscriptions are
    closed (503), in the page's language; a POST records and sends nothing."""
    lists = make_lists()
    ConsentText.objects.all().delete()
    page = csrf_client().get(path)
    assert page.status_code == 503 and title in page.content.decode()
    resp = Client().post(path, subscribe_data(ADDRESS, lists["plan"]))  # CSRF not enforced
    assert resp.status_code == 503
    assert not Subscription.objects.exists() and not ConsentRecord.objects.exists()
    assert smtp_server.to(ADDRESS) == []  # type: ignore[attr-defined]
