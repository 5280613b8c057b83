"""``innesto serve``: the portal behind gunicorn (production-style serving)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from innesto.cli.common import LANG, handle_errors
from innesto.cli.failures import ServiceError, require_extra
from innesto.errors import InnestoError
from innesto.i18n import msg, tr, user_lang

SETTINGS = "innesto.portal.settings"


#: Defaults of ``innesto serve`` (see docs/portal.md, "Serving"): four worker processes of
#: gunicorn's threaded worker, each with :data:`THREADS` threads, keeping connections alive
#: between requests of a client for :data:`KEEP_ALIVE` seconds. Four processes of two
#: threads rather than two of four: a page then rarely waits for Python's lock behind a
#: refusal being answered in the same process, and the kernel shares the cores between
#: processes with a preference for the one just woken (report flood: flooded home-page p99
#: 4.0-4.1 ms against 3.8-5.6 ms, five runs each; cached pages alike).
WORKERS = 4
THREADS = 2
KEEP_ALIVE = 5


def gunicorn_argv(host: str, port: int, workers: int = WORKERS, threads: int = THREADS, *,
                  timeout: int = 60, access_log: bool = False) -> list[str]:
    """The command line that serves the portal with gunicorn: ``workers`` processes of the
    threaded worker (``gthread``), ``threads`` threads each, connections kept alive; the
    access log on stdout only when asked (it costs about a third of a cached answer's CPU)."""
    return [sys.executable, "-m", "gunicorn", "innesto.portal.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            "--keep-alive", str(KEEP_ALIVE), "--timeout", str(timeout),
            *(["--access-logfile", "-"] if access_log else [])]


def port_is_free(host: str, port: int) -> None:
    """Raise :class:`ServiceError` naming ``--port`` when ``host:port`` is taken (checked
    before gunicorn starts, which would otherwise retry and stop without saying how)."""
    import errno
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServiceError(msg("port %(port)s on %(host)s is already in use: choose "
                                       "another one with --port", port=port, host=host)) from None
            if exc.errno == errno.EACCES:
                raise ServiceError(msg("port %(port)s needs administrator rights: choose one "
                                       "above 1023 with --port", port=port)) from None
            raise


def prepare_database(*, quiet: bool = True) -> None:
    """Apply migrations to the configured database (SQLite under INNESTO_DATA_DIR by default)."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    django.setup()
    call_command("migrate", verbosity=0 if quiet else 1, interactive=False)


def check_shared_cache(workers: int) -> None:
    """Refuse a per-process cache with several workers: each worker would count its own
    rate limits and keep its own stale pages (see docs/security.md)."""
    from django.conf import settings

    backend = str(settings.CACHES["default"]["BACKEND"])
    if workers > 1 and backend.endswith("LocMemCache"):
        raise InnestoError(msg(
            "INNESTO_CACHE=memory keeps a separate cache in each of the %(n)s workers; unset it "
            "(database cache) or set REDIS_URL, or serve with --workers 1", n=workers))


def serve_forever(host: str, port: int, workers: int, threads: int, *,
                  access_log: bool = False) -> None:
    """Replace this process with gunicorn."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    argv = gunicorn_argv(host, port, workers, threads, access_log=access_log)
    sys.stdout.flush()
    os.execv(argv[0], argv)


def register(app: typer.Typer) -> None:
    @app.command("serve", help=tr(LANG, "Serve the portal with gunicorn (settings from the "
                                  "environment: SECRET_KEY, DATABASE_URL, REDIS_URL, "
                                  "INNESTO_DATA_DIR; see docs/portal.md)."))
    @handle_errors
    def serve(
        host: Annotated[str, typer.Option(help=tr(LANG, "Address to bind."))] = "127.0.0.1",
        port: Annotated[int, typer.Option(help=tr(LANG, "Port to listen on."))] = 8000,
        workers: Annotated[int, typer.Option(
            min=1, help=tr(LANG, "gunicorn worker processes."))] = WORKERS,
        threads: Annotated[int, typer.Option(
            min=1, help=tr(LANG, "Threads per worker process."))] = THREADS,
        access_log: Annotated[bool, typer.Option(help=tr(
            LANG, "Log every request on stdout (off: a reverse proxy usually logs them)."))
        ] = False,
        migrate: Annotated[bool, typer.Option(help=tr(LANG, "Apply database migrations first."))] = True,
    ) -> None:
        require_extra("portal", "innesto serve")
        port_is_free(host, port)
        if migrate:
            prepare_database()
        else:
            import django

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
            django.setup()
        check_shared_cache(workers)
        typer.echo(tr(user_lang(), "innesto portal at %(url)s", url=f"http://{host}:{port}/"))
        serve_forever(host, port, workers, threads, access_log=access_log)
