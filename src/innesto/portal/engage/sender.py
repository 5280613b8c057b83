"""Sending newsletters in batches from a worker process, safely across crashes.

Each :class:`~innesto.portal.engage.models.Delivery` goes through

    pending → claimed → sending → sent            (or failed / skipped / unknown)

and every arrow is its own committed transaction:

1. **claim**: a batch of pending rows (or claimed rows whose lease ran out, i.e. whose
   worker died) is taken with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so that
   concurrent workers never take the same row; on SQLite, which has a single writer, one
   ``UPDATE ... WHERE id IN (SELECT ... LIMIT n)`` statement is atomic by itself.
2. **sending** is committed *before* the message is handed to the SMTP server.
3. **sent** is committed after the server accepted it.

A crash between 1 and 2 leaves ``claimed`` rows, which another run takes again after the
lease: nobody got anything yet. A crash between 2 and 3 leaves ``sending`` rows: the server
may or may not have accepted the message. They become ``unknown`` and are **not** retried,
so the sender is *at-most-once*: a subscriber never gets a newsletter twice, and the back
office lists the (at most one per worker and crash) unknown deliveries for a human to check.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from innesto.portal.engage.mail import newsletter_message
from innesto.portal.engage.models import Delivery, Newsletter, Subscription

log = logging.getLogger(__name__)
State = Delivery.State


def lease_seconds() -> int:
    """How long a claim is held before another worker may take it (``ENGAGE_SEND_LEASE``)."""
    return int(getattr(settings, "ENGAGE_SEND_LEASE", 300))


def queue(newsletter: Newsletter) -> int:
    """Snapshot the list's active subscribers into pending deliveries, in one transaction.

    Returns the number of deliveries created. Queuing twice adds nobody twice (one delivery
    per newsletter and subscription, enforced by a unique constraint).
    """
    with transaction.atomic():
        nl = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        subs = Subscription.objects.filter(mailing_list=nl.mailing_list,
                                           status=Subscription.Status.ACTIVE)
        existing = set(nl.deliveries.values_list("subscription_id", flat=True))
        new = [Delivery(newsletter=nl, subscription=s) for s in subs if s.pk not in existing]
        Delivery.objects.bulk_create(new)
        nl.status = Newsletter.Status.QUEUED
        nl.queued_at = nl.queued_at or timezone.now()
        nl.save(update_fields=["status", "queued_at"])
    newsletter.refresh_from_db()
    return len(new)


def recover() -> int:
    """Mark deliveries stuck in ``sending`` past their lease as ``unknown``; return how many."""
    return Delivery.objects.filter(state=State.SENDING, lease_until__lt=timezone.now()).update(
        state=State.UNKNOWN, error="sender stopped during the SMTP handoff")


def _claimable(now: object) -> Q:
    return Q(state=State.PENDING) | Q(state=State.CLAIMED, lease_until__lt=now)


def claim(batch_size: int, token: str) -> list[Delivery]:
    """Atomically take up to ``batch_size`` deliveries for this worker (see module doc)."""
    now = timezone.now()
    lease = now + timedelta(seconds=lease_seconds())
    base = Delivery.objects.filter(_claimable(now),
                                   newsletter__status=Newsletter.Status.QUEUED)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(base.select_for_update(skip_locked=True, of=("self",))
                       .order_by("id").values_list("id", flat=True)[:batch_size])
            Delivery.objects.filter(id__in=ids).update(
                state=State.CLAIMED, claim_token=token, lease_until=lease)
        else:
            # One statement: SQLite runs it under its single write lock.
            sub = base.order_by("id").values("id")[:batch_size]
            Delivery.objects.filter(_claimable(now), id__in=sub).update(
                state=State.CLAIMED, claim_token=token, lease_until=lease)
    return list(Delivery.objects.filter(claim_token=token, state=State.CLAIMED)
                .select_related("newsletter", "subscription__subscriber",
                                "subscription__mailing_list").order_by("id"))


def _move(delivery: Delivery, token: str, src: list[str], **fields: object) -> bool:
    """Compare-and-set on (claim token, state); False if another worker took the row."""
    n = Delivery.objects.filter(pk=delivery.pk, claim_token=token, state__in=src).update(
        **fields)
    return n == 1


def send_one(delivery: Delivery, token: str, conn: object) -> str:
    """Send one claimed delivery; return its final state."""
    sub = delivery.subscription
    if sub.status != Subscription.Status.ACTIVE:
        _move(delivery, token, [State.CLAIMED], state=State.SKIPPED)
        return State.SKIPPED
    lease = timezone.now() + timedelta(seconds=lease_seconds())
    msg_id = f"<nl{delivery.newsletter_id}.d{delivery.pk}@{_domain()}>"
    if not _move(delivery, token, [State.CLAIMED], state=State.SENDING, lease_until=lease,
                 message_id=msg_id, attempts=delivery.attempts + 1):
        return "lost"
    message = newsletter_message(delivery.newsletter, sub, message_id=msg_id)
    message.connection = conn  # type: ignore[assignment]
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        _move(delivery, token, [State.SENDING, State.UNKNOWN], state=State.FAILED,
              error=str(exc)[:1000])
        return State.FAILED
    except (smtplib.SMTPException, OSError) as exc:
        # The server may have the message: at-most-once says do not retry.
        _move(delivery, token, [State.SENDING], state=State.UNKNOWN, error=str(exc)[:1000])
        raise
    _move(delivery, token, [State.SENDING, State.UNKNOWN], state=State.SENT,
          sent_at=timezone.now(), error="")
    return State.SENT


def finish_newsletters() -> None:
    """Mark queued newsletters with no delivery left in flight as sent."""
    busy = [State.PENDING, State.CLAIMED, State.SENDING]
    for nl in Newsletter.objects.filter(status=Newsletter.Status.QUEUED):
        if not nl.deliveries.filter(state__in=busy).exists():
            Newsletter.objects.filter(pk=nl.pk).update(status=Newsletter.Status.SENT,
                                                       finished_at=timezone.now())


def release(token: str) -> None:
    """Give back the rows still claimed by this batch (nothing was sent for them)."""
    Delivery.objects.filter(claim_token=token, state=State.CLAIMED).update(
        state=State.PENDING, claim_token="", lease_until=None)


def send_batch(batch: list[Delivery], token: str) -> dict[str, int]:
    """Send one claimed batch over one SMTP connection; stop at the first transport error."""
    counts: dict[str, int] = {}
    conn = get_connection(fail_silently=False)
    try:
        conn.open()
        for delivery in batch:
            state = send_one(delivery, token, conn)
            counts[state] = counts.get(state, 0) + 1
    except (smtplib.SMTPException, OSError):
        log.exception("SMTP transport error; the rest of the batch goes back to the pool")
        counts["error"] = counts.get("error", 0) + 1
    finally:
        release(token)
        try:
            conn.close()
        except (smtplib.SMTPException, OSError):
            pass
    return counts


def backoff(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failed batches: doubling from
    ``ENGAGE_SEND_BACKOFF_BASE`` (1 s) up to ``ENGAGE_SEND_BACKOFF_CAP`` (300 s).

    >>> [backoff(n) for n in (1, 2, 3)]
    [1.0, 2.0, 4.0]
    """
    base = float(getattr(settings, "ENGAGE_SEND_BACKOFF_BASE", 1.0))
    cap = float(getattr(settings, "ENGAGE_SEND_BACKOFF_CAP", 300.0))
    return min(cap, base * 2 ** min(failures - 1, 30))


def run(batch_size: int = 50, *, once: bool = True, pause: float = 0.0,
        sleep: Callable[[float], None] | None = None) -> dict[str, int]:
    """Send everything queued, batch by batch; return counts by final state.

    With ``once`` the function returns when nothing is left to claim (after waiting for the
    leases of a dead worker's claims to run out); otherwise it polls forever, which is the
    background worker (``manage.py send_newsletters``). ``pause`` seconds separate batches.
    """
    import time

    sleeper = sleep or time.sleep
    counts: dict[str, int] = {}
    failures = 0  # consecutive batches that met a transport error
    while True:
        recover()
        token = uuid.uuid4().hex
        batch = claim(batch_size, token)
        result = send_batch(batch, token) if batch else {}
        for state, n in result.items():
            counts[state] = counts.get(state, 0) + n
        finish_newsletters()
        if batch:
            if counts.get("error") and once:
                return counts
            if result.get("error"):
                failures += 1
                sleeper(backoff(failures))  # the server is down: wait longer each time
                continue
            failures = 0
            if pause:
                sleeper(pause)
            continue
        in_flight = Delivery.objects.filter(
            state__in=[State.CLAIMED, State.SENDING],
            newsletter__status=Newsletter.Status.QUEUED).exists()
        if once and not in_flight:
            return counts
        sleeper(min(max(pause, 0.2), 1.0) if once else max(pause, 5.0))


def _domain() -> str:
    from innesto.portal.engage.mail import _domain as d

    return d()
