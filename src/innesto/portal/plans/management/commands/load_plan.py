"""``manage.py load_plan examples/torino``: read a plan with ``innesto.plan`` and store it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innesto.errors import InnestoError

BUNDLED_MEDIA = Path(__file__).resolve().parents[2] / "data" / "torino-media.yaml"


class Command(BaseCommand):
    help = "Load a plan (a folder or file innesto.plan reads) into the portal's database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="plan folder or file, e.g. examples/torino")
        parser.add_argument(
            "--media", default=None,
            help="YAML list of media attachments (default: media.yaml beside the plan, "
                 "else the bundled Torino attachments for the Torino plan)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from innesto.portal.plans.adapter import load_into_database

        path = Path(options["path"])
        try:
            editions = load_into_database(path, media=options["media"])
        except InnestoError as exc:
            raise CommandError(str(exc)) from None
        cache.clear()
        for ed in editions:
            self.stdout.write(
                f"loaded edition {ed.slug}: {ed.nodes.count()} nodes, "
                f"{ed.indicators.count()} indicators"
            )
