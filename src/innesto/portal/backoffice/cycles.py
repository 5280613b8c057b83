"""Reporting cycles: reminders by e-mail to the data owners, and period locking.

A value of an indicator due in an approved cycle, for that cycle's period, cannot be
saved or deleted any more, by anyone and by any path (back office, import, ``load_plan``):
the guard is a model signal that raises :class:`PeriodLocked`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innesto.errors import InnestoError
from innesto.portal.backoffice.models import ReportingCycle, ReportingItem
from innesto.portal.plans.models import IndicatorValue
from innesto.portal.site import identity


class PeriodLocked(InnestoError):
    """A value belongs to a reporting period that was approved and locked."""


def is_locked(value: IndicatorValue) -> bool:
    return ReportingItem.objects.filter(
        indicator_id=value.indicator_id,  # type: ignore[attr-defined]
        cycle__period=value.period, cycle__approved_at__isnull=False).exists()


def _guard(sender: Any, instance: IndicatorValue, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # restoring a backup writes the rows as they were
        return
    if is_locked(instance) or (instance.pk and _was_locked(instance)):
        raise PeriodLocked(f"{instance.indicator.slug} {instance.period}: the reporting "
                           f"period is approved and locked")


def _was_locked(instance: IndicatorValue) -> bool:
    old = IndicatorValue.objects.filter(pk=instance.pk).first()
    return old is not None and is_locked(old)


def connect() -> None:
    pre_save.connect(_guard, sender=IndicatorValue, dispatch_uid="innesto_period_lock_save")
    pre_delete.connect(_guard, sender=IndicatorValue, dispatch_uid="innesto_period_lock_del")


def approve(cycle: ReportingCycle, user: Any) -> None:
    """Approve the cycle and lock its period (one transaction, audited)."""
    from innesto.portal.backoffice.audit import acting_as

    with transaction.atomic(), acting_as(user, context="approve reporting cycle"):
        cycle.approved_at = timezone.now()
        cycle.approved_by = user if getattr(user, "pk", None) else None
        cycle.save()


def send_reminders(today: dt.date | None = None, *, days_before: int = 7) -> int:
    """E-mail each data owner the indicators still missing in open cycles due within
    ``days_before`` days (or overdue), at most once a day per item. Returns mails sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days_before)
    since = timezone.now() - dt.timedelta(hours=20)
    items = (ReportingItem.objects.select_related("cycle__edition", "indicator", "owner")
             .filter(cycle__approved_at__isnull=True, cycle__due__lte=horizon)
             .exclude(reminded_at__gte=since))
    by_owner: dict[Any, list[ReportingItem]] = defaultdict(list)
    for item in items:
        if not item.done() and item.owner.email:
            by_owner[item.owner].append(item)
    sent = 0
    if not by_owner:
        return 0  # nothing due: no connection to the mail server at all
    with get_connection() as conn:
        for owner, todo in by_owner.items():
            lang = "en" if getattr(settings, "LANGUAGE_CODE", "it") == "en" else "it"
            with translation.override(lang):
                lines = [f"- {i.indicator.title} ({i.cycle.edition.slug}, {i.cycle.period}), "
                         + _("due %(date)s") % {"date": i.cycle.due.isoformat()}
                         for i in todo]
                body = (_("Hello %(name)s,") % {"name": owner.get_full_name() or
                                                  owner.get_username()}
                        + "\n\n" + _("these indicator values are still missing:") + "\n"
                        + "\n".join(lines) + "\n\n"
                        + _("Please enter them in the back office.") + "\n")
                subject = _("Reminder: indicator values due")
            EmailMessage(subject, body, from_email=identity.mail_sender(), to=[owner.email],
                         connection=conn).send()
            ReportingItem.objects.filter(pk__in=[i.pk for i in todo]).update(
                reminded_at=timezone.now())
            sent += 1
    return sent
