"""``manage.py purge_contact_messages``: delete contact messages older than the retention
period the privacy notice promises (``ENGAGE_CONTACT_RETENTION_DAYS``, two years). Run it
daily, e.g. from cron, next to ``send_reporting_reminders``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from innesto.portal.engage.models import ContactMessage


def purge(now: Any = None) -> int:
    """Delete the messages past retention; return how many."""
    days = int(getattr(settings, "ENGAGE_CONTACT_RETENTION_DAYS", 730))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = ContactMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class Command(BaseCommand):
    help = "Delete contact-form messages older than the retention period (two years)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge()} contact messages deleted")
