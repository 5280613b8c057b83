"""``manage.py send_newsletters``: the background sender (see :mod:`..sender`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from innesto.portal.engage import sender


class Command(BaseCommand):
    help = "Send queued newsletters in batches; safe to kill and restart at any moment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=50)
        parser.add_argument("--pause", type=float, default=0.0,
                            help="seconds between batches (throttling)")
        parser.add_argument("--once", action="store_true",
                            help="exit when nothing is left to send (default: keep polling)")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = sender.run(options["batch_size"], once=options["once"],
                            pause=options["pause"])
        self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing")
