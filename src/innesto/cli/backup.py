"""``innesto backup -o FILE`` and ``innesto restore FILE``: the whole portal (database,
uploaded media, consent log) in one archive, and back into an empty instance.

The portal's settings come from the environment as for ``innesto serve`` (``DATABASE_URL``,
``INNESTO_DATA_DIR``, ``INNESTO_MEDIA_ROOT``, ``SECRET_KEY``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from innesto.cli.common import console, handle_errors
from innesto.cli.failures import ConfigError, require_extra
from innesto.errors import InnestoError


def require_instance() -> None:
    """Refuse to run where there is no instance: without ``DATABASE_URL`` the database is
    ``$INNESTO_DATA_DIR/innesto.sqlite3`` (``./var``), and opening a missing SQLite file
    would create an empty one."""
    conf = sys.modules.get("django.conf")
    if os.environ.get("DATABASE_URL") or (conf is not None and conf.settings.configured):
        return  # a database is named, or this process already runs the portal
    data_dir = Path(os.environ.get("INNESTO_DATA_DIR", "./var")).resolve()
    if not (data_dir / "innesto.sqlite3").is_file():
        raise ConfigError(f"no portal database in {data_dir}: run the command in the "
                          "instance's folder, or set INNESTO_DATA_DIR or DATABASE_URL")


def _django() -> None:
    require_extra("portal", "innesto backup and restore")
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
        require_instance()
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
        if not archive.is_file():
            raise InnestoError(f"{archive}: no such archive (give the file innesto backup "
                               "wrote)")
        _django()
        from innesto.portal.backoffice.backup import restore

        result = restore(archive, force=force)
        console.print(f"restored {result['rows']} rows from {archive} "
                      f"(made {result['created']} on {result['database']})", highlight=False)
