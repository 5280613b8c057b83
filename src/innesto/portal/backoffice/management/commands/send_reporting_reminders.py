"""``manage.py send_reporting_reminders``: e-mail data owners their missing values."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from innesto.portal.backoffice.cycles import send_reminders


class Command(BaseCommand):
    help = "Remind data owners of indicator values due soon or overdue (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days-before", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_reminders(days_before=options["days_before"])
        self.stdout.write(f"{n} reminders sent")
