"""``manage.py sync_mailing_lists``: one list per axis and sector of the newest edition."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from innesto.portal.engage.lists import sync_lists


class Command(BaseCommand):
    help = "Create the mailing lists of the axes and sectors of the newest plan edition."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sync_lists()} lists created")
