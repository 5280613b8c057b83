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

from innesto.cli.common import LANG, console, handle_errors
from innesto.cli.failures import ConfigError, require_extra
from innesto.errors import InnestoError
from innesto.i18n import msg, nplural, tr, user_lang


def require_instance() -> None:
    """Refuse to run where there is no instance: without ``DATABASE_URL`` the database is
    ``$INNESTO_DATA_DIR/innesto.sqlite3`` (``./var``), and opening a missing SQLite file
    would create an empty one."""
    conf = sys.modules.get("django.conf")
    if os.environ.get("DATABASE_URL") or (conf is not None and conf.settings.configured):
        return  # a database is named, or this process already runs the portal
    data_dir = Path(os.environ.get("INNESTO_DATA_DIR", "./var")).resolve()
    if not (data_dir / "innesto.sqlite3").is_file():
        raise ConfigError(msg("no portal database in %(folder)s: run the command in the "
                              "instance's folder, or set INNESTO_DATA_DIR or DATABASE_URL",
                              folder=data_dir))


def _django() -> None:
    require_extra("portal", "innesto backup and restore")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
    import django

    django.setup()


def register(app: typer.Typer) -> None:
    @app.command("backup", help=tr(LANG, "Write the database, uploaded media and consent log "
                                   "to one archive (atomically)."))
    @handle_errors
    def backup_cmd(
        output: Annotated[Path, typer.Option("-o", "--output",
                                             help=tr(LANG, "archive to write (.tar.gz)"))],
    ) -> None:
        require_instance()
        _django()
        from innesto.portal.backoffice.backup import backup

        manifest = backup(output)
        members = len(manifest["sha256"])
        console.print(nplural(user_lang(), "backup written to %(file)s (%(n)d member, "
                              "database %(database)s)", "backup written to %(file)s (%(n)d "
                              "members, database %(database)s)", members, file=output,
                              database=manifest["database"]), highlight=False)

    @app.command("restore", help=tr(LANG, "Restore an archive into this (empty) instance, in "
                                    "one transaction."))
    @handle_errors
    def restore_cmd(
        archive: Annotated[Path, typer.Argument(help=tr(LANG, "archive written by innesto backup"))],
        force: Annotated[bool, typer.Option(
            "--force", help=tr(LANG, "replace the content of a non-empty instance"))] = False,
    ) -> None:
        if not archive.is_file():
            raise InnestoError(msg("%(file)s: no such archive (give the file innesto backup "
                                   "wrote)", file=archive))
        _django()
        from innesto.portal.backoffice.backup import restore

        result = restore(archive, force=force)
        console.print(nplural(user_lang(), "restored %(n)d row from %(file)s (made %(date)s on "
                              "%(database)s)", "restored %(n)d rows from %(file)s (made %(date)s "
                              "on %(database)s)", result["rows"], file=archive,
                              date=result["created"], database=result["database"]),
                      highlight=False)
