"""The subscription life cycle: request (double opt-in), confirm, unsubscribe.

Each step writes a :class:`ConsentRecord` in the same transaction as the state change, so
the consent log can never disagree with who receives mail.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from innesto.portal.engage.mail import confirmation_message
from innesto.portal.engage.models import (
    ConsentRecord,
    ConsentText,
    MailingList,
    Subscriber,
    Subscription,
)
from innesto.portal.engage.tokens import ConfirmClaim


def current_consent() -> ConsentText:
    """The newest consent text version (the one the form shows)."""
    text = ConsentText.objects.order_by("-created_at", "-id").first()
    if text is None:  # the data migration creates version 1; recreate if someone deleted it
        raise ConsentText.DoesNotExist("no consent text: add one in the back office")
    return text


def _record(action: str, email: str, lists: Sequence[MailingList], language: str,
            ip: str | None, consent: ConsentText | None) -> None:
    ConsentRecord.objects.create(
        action=action, email=email, lists=[m.slug for m in lists], language=language, ip=ip,
        consent_version=consent.version if consent else "",
        consent_sha256=consent.sha256(language) if consent else "",
        consent_text=consent.text(language) if consent else "")


def request_subscription(email: str, language: str, lists: Sequence[MailingList],
                         ip: str | None, consent: ConsentText) -> None:
    """Record the request and send the confirmation e-mail.

    The same thing happens whether or not the address is already subscribed, so the public
    response never tells anyone whether an address is on a list. Lists already active stay
    active; the others become (or stay) pending until the link is followed.
    """
    email = email.strip().lower()
    with transaction.atomic():
        # The language changes only when the link is followed (``confirm``): an
        # unconfirmed request, perhaps by someone else, changes nothing for a subscriber.
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"language": language})
        for mailing_list in lists:
            sub, created = Subscription.objects.get_or_create(
                subscriber=subscriber, mailing_list=mailing_list)
            if not created and sub.status == Subscription.Status.UNSUBSCRIBED:
                sub.status = Subscription.Status.PENDING
                sub.save(update_fields=["status"])
        _record(ConsentRecord.Action.REQUESTED, email, lists, language, ip, consent)
    confirmation_message(subscriber, lists, language).send()


def confirm(claim: ConfirmClaim, ip: str | None) -> list[MailingList]:
    """Activate the pending subscriptions named in a verified confirmation link.

    Single use: only *pending* subscriptions are activated, so following the link again
    changes nothing, and a link issued before the subscription's last unsubscribe has no
    effect (an old link cannot re-subscribe someone who left). The request's language
    becomes the subscriber's here. Returns the lists now active for the subscriber.
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(pk=claim.subscriber_id).first()
        if subscriber is None:
            return []
        subs = list(Subscription.objects.select_for_update().select_related("mailing_list")
                    .filter(subscriber=subscriber, mailing_list_id__in=claim.list_ids))
        changed = [s for s in subs if s.status == Subscription.Status.PENDING
                   and not _unsubscribed_since(s, claim)]
        if changed and claim.language and subscriber.language != claim.language:
            subscriber.language = claim.language
            subscriber.save(update_fields=["language"])
        for s in changed:
            s.status = Subscription.Status.ACTIVE
            s.confirmed_at = now
            s.unsubscribed_at = None
            s.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        if changed:
            requested = (ConsentRecord.objects.filter(
                email=subscriber.email, action=ConsentRecord.Action.REQUESTED)
                .order_by("-at", "-id").first())
            consent = ConsentText.objects.filter(
                version=requested.consent_version).first() if requested else None
            _record(ConsentRecord.Action.CONFIRMED, subscriber.email,
                    [s.mailing_list for s in changed], subscriber.language, ip, consent)
    return [s.mailing_list for s in subs if s.status == Subscription.Status.ACTIVE]


def _unsubscribed_since(sub: Subscription, claim: ConfirmClaim) -> bool:
    """True if the subscription was unsubscribed after the link was issued."""
    if sub.unsubscribed_at is None:
        return False
    return sub.unsubscribed_at.timestamp() * 1000 >= claim.issued_ms


def unsubscribe(subscription_id: int, ip: str | None) -> Subscription | None:
    """Stop all mail from one list to one address; idempotent; no login needed."""
    with transaction.atomic():
        sub = (Subscription.objects.select_for_update()
               .select_related("subscriber", "mailing_list")
               .filter(pk=subscription_id).first())
        if sub is None:
            return None
        if sub.status != Subscription.Status.UNSUBSCRIBED:
            sub.status = Subscription.Status.UNSUBSCRIBED
            sub.unsubscribed_at = timezone.now()
            sub.save(update_fields=["status", "unsubscribed_at"])
            _record(ConsentRecord.Action.UNSUBSCRIBED, sub.subscriber.email,
                    [sub.mailing_list], sub.subscriber.language, ip, None)
    return sub
