"""``innesto archive PLAN -o DIR``: a static, self-contained copy of the public site for one
edition (HTML, CSS, SVG charts, downloads and the monitoring reports; no server needed).

PLAN is either an edition already in the portal's database (its slug, e.g. ``2006``), or a
plan folder/file (e.g. ``examples/torino``), which is then loaded into a temporary database
first; ``--edition`` picks the edition (default: the newest)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from innesto.cli.common import console, handle_errors


def register(app: typer.Typer) -> None:
    @app.command("archive")
    @handle_errors
    def archive_cmd(
        plan: Annotated[str, typer.Argument(help="edition slug in the portal, or a plan path")],
        output: Annotated[Path, typer.Option("-o", "--output", help="folder to write")],
        edition: Annotated[str | None, typer.Option(
            help="edition to archive when PLAN is a plan path (default: the newest)")] = None,
    ) -> None:
        """Write a static copy of one edition's public site to a folder."""
        with tempfile.TemporaryDirectory(prefix="innesto-archive-") as tmp:
            from_path = Path(plan).exists()
            if from_path:
                # A private throw-away database for the plan on disk.
                os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'archive.sqlite3'}"
                os.environ.setdefault("INNESTO_DATA_DIR", tmp)
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
            import django

            django.setup()
            from innesto.portal.reports.archive import build

            slug = plan
            if from_path:
                from django.core.management import call_command

                from innesto.portal.plans.adapter import load_into_database

                call_command("migrate", interactive=False, verbosity=0)
                editions = load_into_database(Path(plan))
                chosen = [e for e in editions if e.slug == edition] if edition else \
                    sorted(editions, key=lambda e: e.year)[-1:]
                if not chosen:
                    from innesto.portal.reports.archive import ArchiveError

                    raise ArchiveError(f"{plan}: no edition {edition!r} (editions: "
                                       + ", ".join(e.slug for e in editions) + ")")
                slug = chosen[0].slug
            result = build(slug, output)
        console.print(f"archive of edition {slug} written to {output} "
                      f"({len(result.files)} files)", highlight=False)
