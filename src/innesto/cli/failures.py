"""Expected failures as one ``error:`` line that says what to do, with an exit code.

Every CLI command (through :func:`innesto.cli.common.handle_errors`) and every management
command (through :func:`innesto.portal.manage.main`) turns the failures a user can meet into
one line; anything else is a bug and keeps its traceback. The exit codes are documented in
``docs/cli.md``:

====  ===========================================================================
0     done
1     bad input: a file, plan, option value or edition that cannot be used
2     wrong usage: an unknown option or a missing argument (Typer's own code)
3     configuration: a missing secret key, extra or setting, a host not allowed
4     a service cannot be reached: the database, the mail server, Redis, a busy port
5     the system: the disk is full, permission denied, not enough memory
130   interrupted (Ctrl-C)
====  ===========================================================================

Django and pyarrow are looked up in ``sys.modules`` only: an exception cannot come from a
library that was never imported, so this module imports neither (the library install has no
Django).

Examples
--------
>>> explain(OSError(28, "No space left on device", "out.parquet"))
('the disk is full (writing out.parquet): free some space and run the command again', 5)
>>> explain(ValueError("a bug")) is None
True
"""

from __future__ import annotations

import errno
import sys

from innesto.errors import InnestoError

INPUT, USAGE, CONFIG, SERVICE, SYSTEM, INTERRUPTED = 1, 2, 3, 4, 5, 130


class MissingExtra(InnestoError):
    """A command needs an optional part of innesto that is not installed."""

    def __init__(self, extra: str, what: str) -> None:
        super().__init__(f"{what} needs the extra: pip install 'innesto[{extra}]'")
        self.extra = extra


class ConfigError(InnestoError):
    """The environment or settings do not allow the command to run (exit code 3)."""


class ServiceError(InnestoError):
    """A service the command needs cannot be reached (exit code 4)."""


#: The extras and a module each one installs.
EXTRAS = {"portal": "django", "pdf": "weasyprint", "spark": "pyspark"}


def require_extra(extra: str, what: str) -> None:
    """Raise :class:`MissingExtra` unless the extra ``extra`` is installed.

    >>> require_extra("portal", "the portal") is None
    True
    """
    from importlib.util import find_spec

    if find_spec(EXTRAS[extra]) is None:
        raise MissingExtra(extra, what)


NOT_MIGRATED = "the database is not ready ({e}): run 'python -m innesto.portal migrate' first"
#: Failures of libraries that may not be imported: (module, exception names, message with
#: ``{e}`` for the exception's first line, exit code).
KNOWN: tuple[tuple[str, tuple[str, ...], str, int], ...] = (
    ("django.core.exceptions", ("ImproperlyConfigured",),
     "the portal is not configured: {e}", CONFIG),
    ("django.core.exceptions", ("DisallowedHost",), "{e}: add the host to ALLOWED_HOSTS", CONFIG),
    ("django.db.utils", ("ProgrammingError",), NOT_MIGRATED, CONFIG),
    ("django.db.utils", ("OperationalError", "InterfaceError"),
     "the database cannot be used ({e}): check DATABASE_URL and that the database server "
     "runs", SERVICE),
    ("smtplib", ("SMTPException",), "the mail server refused the message ({e}): check "
     "EMAIL_HOST, EMAIL_PORT and the credentials", SERVICE),
    ("redis.exceptions", ("ConnectionError", "TimeoutError"),
     "Redis cannot be reached ({e}): check REDIS_URL and that Redis runs", SERVICE),
    ("pyarrow.lib", ("ArrowException",), "cannot read the file ({e}): is it a complete "
     "Parquet/Arrow file written by innesto ingest?", INPUT),
)


def _is(exc: BaseException, module: str, *names: str) -> bool:
    mod = sys.modules.get(module)
    return mod is not None and any(
        isinstance(exc, t) for t in (getattr(mod, n, None) for n in names) if isinstance(t, type))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_FULL = ("the disk is full{writing}: free some space and run the command again", SYSTEM)
_DENIED = ("permission denied{where}: choose a folder you can write to, or ask for access",
           SYSTEM)
_UNREACHABLE = ("a service cannot be reached ({reason}): check that it runs and the address "
                "in the settings", SERVICE)
#: An operating-system error by its errno: (message with ``{where}``, ``{writing}`` and
#: ``{reason}``, exit code).
OS_ERRORS: dict[int, tuple[str, int]] = {
    errno.ENOSPC: _FULL, errno.EDQUOT: _FULL,
    errno.EACCES: _DENIED, errno.EPERM: _DENIED, errno.EROFS: _DENIED,
    errno.ENOENT: ("no such file or folder{where}: check the path", INPUT),
    errno.EISDIR: ("a folder was given where a file is expected{where}", INPUT),
    errno.ENOTDIR: ("a file was given where a folder is expected{where}", INPUT),
    errno.EADDRINUSE: ("the port is already in use: choose another one with --port", SERVICE),
    errno.ECONNREFUSED: _UNREACHABLE, errno.EHOSTUNREACH: _UNREACHABLE,
    errno.ENETUNREACH: _UNREACHABLE,
}
#: An operating-system error without a known errno, by its class (first match).
OS_ERROR_CLASSES: tuple[tuple[type[OSError], tuple[str, int]], ...] = (
    (PermissionError, _DENIED),
    (FileNotFoundError, OS_ERRORS[errno.ENOENT]),
    (ConnectionError, _UNREACHABLE),
    (TimeoutError, ("a service did not answer in time: check that it runs and retry", SERVICE)),
)


def _os_error(exc: OSError) -> tuple[str, int]:
    name = exc.filename or (None if exc.errno else _first_line(exc))
    where = f" ({name})" if name else ""
    known = OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known is None:
        known = next((v for cls, v in OS_ERROR_CLASSES if isinstance(exc, cls)),
                     ("{reason}{where}", SYSTEM))
    message, code = known
    return message.format(where=where, reason=exc.strerror or _first_line(exc),
                          writing=f" (writing {exc.filename})" if exc.filename else ""), code


def explain(exc: BaseException) -> tuple[str, int] | None:
    """``(one line saying what to do, exit code)`` for an expected failure, else ``None``."""
    if isinstance(exc, MissingExtra | ConfigError):
        return str(exc), CONFIG
    if isinstance(exc, ServiceError):
        return str(exc), SERVICE
    if isinstance(exc, InnestoError):
        return str(exc), INPUT
    if _is(exc, "django.db.utils", "OperationalError") and "no such table" in str(exc):
        return NOT_MIGRATED.format(e=_first_line(exc)), CONFIG
    for module, names, message, code in KNOWN:
        if _is(exc, module, *names):
            return message.format(e=_first_line(exc)), code
    if isinstance(exc, UnicodeError):
        return f"cannot decode the text ({_first_line(exc)}): give the file's encoding", INPUT
    if isinstance(exc, MemoryError):
        return "not enough memory: use a smaller selection or the spark engine", SYSTEM
    if isinstance(exc, OSError):
        return _os_error(exc)
    return None

