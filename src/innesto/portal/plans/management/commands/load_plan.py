"""``manage.py load_plan examples/<name>``: merge a plan read with ``innesto.plan`` into the
database, keeping every change made in the back office (see ``docs/backoffice.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innesto.errors import InnestoError


class Command(BaseCommand):
    help = ("Merge a plan (a folder or file innesto.plan reads) into the portal's database: "
            "the files' changes are applied, the back office's kept, conflicts refused.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="plan folder or file, e.g. examples/<name>")
        parser.add_argument(
            "--media", default=None,
            help="YAML list of media attachments (default: media.yaml beside the plan, "
                 "else those of the shipped example with the same plan set id)",
        )
        parser.add_argument("--dry-run", action="store_true",
                            help="show the diff and the conflicts; write nothing")
        parser.add_argument("--overwrite", action="store_true",
                            help="resolve conflicts in favour of the files (what they "
                                 "replace stays in the audit log and can be restored)")

    def handle(self, *args: Any, **options: Any) -> None:
        from innesto.portal.plans.adapter import load_into_database

        path = Path(options["path"])
        try:
            result = load_into_database(path, media=options["media"],
                                        overwrite=options["overwrite"],
                                        dry_run=options["dry_run"])
        except InnestoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"files: {path}, last modified {_modified(path)}; database: "
                          f"who changed each object last is in brackets")
        for line in result.lines():
            self.stdout.write(line)
        verb = "would load" if result.dry_run else "loaded"
        self.stdout.write(f"{verb} {path}: {result.plan.summary()}")
        if not result.dry_run:
            cache.clear()
        for ed in result.editions:
            self.stdout.write(f"edition {ed.slug}: {ed.nodes.count()} nodes, "
                              f"{ed.indicators.count()} indicators")
        if result.conflicts:
            raise CommandError(
                f"{len(result.conflicts)} conflicting change(s) not applied (lines marked "
                f"CONFLICT): the files and the back office changed the same thing. Resolve "
                f"them in the back office or in the files, or run again with --overwrite "
                f"to take the files' version (the back office's stays in the audit log).")


def _modified(path: Path) -> str:
    """When the plan files were last changed (the newest file's modification time)."""
    from datetime import UTC, datetime

    from django.utils import timezone

    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    if not files:
        return "unknown"
    stamp = max(p.stat().st_mtime for p in files)
    return f"{timezone.localtime(datetime.fromtimestamp(stamp, tz=UTC)):%Y-%m-%d %H:%M}"
