"""``innesto archive PLAN -o DIR``: a static, self-contained copy of the public site for one
edition (HTML, CSS, SVG charts, downloads and the monitoring reports; no server needed).

PLAN is either an edition already in the portal's database (its slug, e.g. ``2006``), or a
plan folder/file (e.g. ``examples/torino``), which is then loaded into a temporary database
first; ``--edition`` picks the edition (default: the newest)."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from innesto import examples
from innesto.cli.backup import require_instance
from innesto.cli.common import LANG, console, handle_errors
from innesto.cli.failures import require_extra
from innesto.errors import PlanError
from innesto.i18n import msg, nplural, tr, user_lang


def register(app: typer.Typer) -> None:
    @app.command("archive", help=tr(LANG, "Write a static copy of one edition's public site to "
                                    "a folder (no secret key needed: nothing it signs outlives "
                                    "the command)."))
    @handle_errors
    def archive_cmd(
        plan: Annotated[str, typer.Argument(help=tr(LANG, "edition slug in the portal, or a plan path"))],
        output: Annotated[Path, typer.Option("-o", "--output", help=tr(LANG, "folder to write"))],
        edition: Annotated[str | None, typer.Option(
            help=tr(LANG, "edition to archive when PLAN is a plan path (default: the newest)"))] = None,
    ) -> None:
        require_extra("portal", "innesto archive")
        # Public pages only, rendered in this process: a throw-away key when none is set.
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        with tempfile.TemporaryDirectory(prefix="innesto-archive-") as tmp:
            try:
                folder: Path | None = examples.resolve(plan)
            except PlanError:
                folder = None  # not a plan on disk: an edition of this instance
            if folder is None:
                require_instance()
            else:
                # A private throw-away database for the plan on disk.
                os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'archive.sqlite3'}"
                os.environ.setdefault("INNESTO_DATA_DIR", tmp)
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
            import django

            django.setup()
            from innesto.portal.reports.archive import build

            slug = plan
            if folder is not None:
                from django.core.management import call_command

                from innesto.portal.plans.adapter import load_into_database

                call_command("migrate", interactive=False, verbosity=0)
                editions = load_into_database(folder)
                chosen = [e for e in editions if e.slug == edition] if edition else \
                    sorted(editions, key=lambda e: e.year)[-1:]
                if not chosen:
                    from innesto.portal.reports.archive import ArchiveError

                    raise ArchiveError(msg("%(plan)s: no edition '%(edition)s' (editions: "
                                           "%(editions)s)", plan=plan, edition=edition,
                                           editions=", ".join(e.slug for e in editions)))
                slug = chosen[0].slug
            result = build(slug, output)
        console.print(nplural(user_lang(), "archive of edition %(edition)s written to "
                              "%(folder)s (%(n)d file)", "archive of edition %(edition)s "
                              "written to %(folder)s (%(n)d files)", len(result.files),
                              edition=slug, folder=output), highlight=False)
