"""Building the e-mails: confirmation, newsletter (with RFC 8058 one-click unsubscribe) and
contact-form messages. Building is separate from sending so that previews, test sends and
the batch sender produce byte-for-byte the same message."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from innesto.portal.engage.models import (
    ContactMessage,
    MailingList,
    Newsletter,
    Subscriber,
    Subscription,
)
from innesto.portal.engage.tokens import (
    confirm_max_age,
    make_confirm_token,
    make_unsubscribe_token,
)
from innesto.portal.site import identity


def site_url() -> str:
    """Base URL of the public site used in links (``ENGAGE_SITE_URL``), without trailing /."""
    return str(getattr(settings, "ENGAGE_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute(name: str, language: str, *args: str) -> str:
    """Absolute URL of a named view in ``language``'s URL space (``/it/...`` or ``/en/...``)."""
    with translation.override(language):
        return site_url() + reverse(name, args=args)


def unsubscribe_url(subscription: Subscription, language: str) -> str:
    """The link that unsubscribes one address from one list, with no login."""
    return absolute("engage:unsubscribe", language, make_unsubscribe_token(subscription.pk))


def _message(subject: str, text: str, html: str, to: str, *,
             headers: dict[str, str] | None = None) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(subject=subject, body=text, to=[to],
                                 from_email=identity.mail_sender(),
                                 headers=headers or {})
    msg.attach_alternative(html, "text/html")
    return msg


def confirmation_message(subscriber: Subscriber, lists: Sequence[MailingList],
                         language: str | None = None) -> EmailMultiAlternatives:
    """The double opt-in e-mail: a signed link that expires after ``confirm_max_age()``,
    in the language of the request (which becomes the subscriber's only on confirmation)."""
    lang = language or subscriber.language
    token = make_confirm_token(subscriber.pk, [m.pk for m in lists], lang)
    context = {
        "confirm_url": absolute("engage:confirm", lang, token),
        "lists": [m.name(lang) for m in lists],
        "hours": confirm_max_age() // 3600,
        "site_url": site_url(),
        "site": identity.view(),
    }
    with translation.override(lang):
        subject = str(translation.gettext("Confirm your subscription"))
        text = render_to_string("engage/mail/confirm.txt", context)
        html = render_to_string("engage/mail/confirm.html", context)
    return _message(subject, text, html, subscriber.email)


def newsletter_message(newsletter: Newsletter, subscription: Subscription, *,
                       message_id: str | None = None) -> EmailMultiAlternatives:
    """A newsletter for one subscription, in the subscriber's language.

    Carries ``List-Unsubscribe`` (the HTTPS link) and ``List-Unsubscribe-Post:
    List-Unsubscribe=One-Click`` (RFC 8058 §3.1), plus the same link visibly in the body.
    """
    lang = subscription.subscriber.language
    url = unsubscribe_url(subscription, lang)
    context = {
        "newsletter": newsletter,
        "subject": newsletter.subject(lang),
        "body": newsletter.body(lang),
        "list_name": subscription.mailing_list.name(lang),
        "unsubscribe_url": url,
        "site_url": site_url(),
        "site": identity.view(),
    }
    with translation.override(lang):
        text = render_to_string("engage/mail/newsletter.txt", context)
        html = render_to_string("engage/mail/newsletter.html", context)
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<{subscription.mailing_list.slug}.{_domain()}>",
        "Message-ID": message_id or make_msgid(domain=_domain()),
    }
    return _message(newsletter.subject(lang), text, html, subscription.subscriber.email,
                    headers=headers)


def staff_test_messages(newsletter: Newsletter, to: str) -> list[EmailMultiAlternatives]:
    """One message per language to a staff address, marked as a test, with a dummy link."""
    messages = []
    for lang in ("it", "en"):
        fake = Subscription(pk=0, subscriber=Subscriber(email=to, language=lang),
                            mailing_list=newsletter.mailing_list)
        msg = newsletter_message(newsletter, fake)
        msg.subject = f"[TEST] {msg.subject}"
        messages.append(msg)
    return messages


def contact_messages(contact: ContactMessage) -> list[EmailMultiAlternatives]:
    """The message to the responsible office and, if asked, the copy to the sender."""
    context = {"c": contact, "site_url": site_url()}
    with translation.override(contact.language):
        text = render_to_string("engage/mail/contact.txt", context)
        html = render_to_string("engage/mail/contact.html", context)
        copy_subject = str(translation.gettext("Copy of your message: %(subject)s")
                           % {"subject": contact.subject})
    office = EmailMultiAlternatives(
        subject=f"[{contact.topic_label}] {contact.subject}", body=text,
        from_email=identity.mail_sender(), to=[contact.routed_to_email],
        reply_to=[contact.email])
    office.attach_alternative(html, "text/html")
    messages = [office]
    if contact.copy_to_sender:
        if confirmed_address(contact.email):
            messages.append(_message(copy_subject, text, html, contact.email))
        else:
            messages.append(contact_receipt(contact))
    return messages


def confirmed_address(email: str) -> bool:
    """True if ``email`` confirmed a subscription (followed a link sent to it)."""
    return Subscription.objects.filter(subscriber__email=email.strip().lower(),
                                       confirmed_at__isnull=False).exists()


def contact_receipt(contact: ContactMessage) -> EmailMultiAlternatives:
    """The "copy" sent to an address nobody confirmed: a receipt without the sender's text,
    so the form cannot send anybody's words from the official address to anyone."""
    context = {"c": contact, "site_url": site_url()}
    with translation.override(contact.language):
        subject = str(translation.gettext("We received your message"))
        text = render_to_string("engage/mail/contact_receipt.txt", context)
        html = render_to_string("engage/mail/contact_receipt.html", context)
    return _message(subject, text, html, contact.email)


def _domain() -> str:
    host = site_url().split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "localhost"
