"""``innesto backup -o FILE`` and ``innesto restore FILE``: the whole portal (database,
uploaded media, consent log) in one archive, and back into an empty instance.

The portal's settings come from the environment as for ``innesto serve`` (``DATABASE_URL``,
``INNESTO_DATA_DIR``, ``INNESTO_MEDIA_ROOT``, ``SECRET_KEY``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from innesto.cli.common import console, handle_errors


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
    import django

    django.setup()


def register(app: typer.Typer) -> None:
    @app.command("backup")
    @handle_errors
    def backup_cmd(
        output: Annotated[Path, typer.Option("-o", "--output",
                                             help="archive to write (.tar.gz)")],
    ) -> None:
        """Write the database, uploaded media and consent log to one archive (atomically)."""
        _django()
        from innesto.portal.backoffice.backup import backup

        manifest = backup(output)
        members = len(manifest["sha256"])
        console.print(f"backup written to {output} ({members} members, "
                      f"database {manifest['database']})", highlight=False)

    @app.command("restore")
    @handle_errors
    def restore_cmd(
        archive: Annotated[Path, typer.Argument(help="archive written by innesto backup")],
        force: Annotated[bool, typer.Option(
            "--force", help="replace the content of a non-empty instance")] = False,
    ) -> None:
        """Restore an archive into this (empty) instance, in one transaction."""
        _django()
        from innesto.portal.backoffice.backup import restore

        result = restore(archive, force=force)
        console.print(f"restored {result['rows']} rows from {archive} "
                      f"(made {result['created']} on {result['database']})", highlight=False)
