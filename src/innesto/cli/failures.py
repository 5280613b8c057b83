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

The line is in the user's language (:func:`innesto.i18n.user_lang`): every message here is
catalogued, and an :class:`~innesto.errors.InnestoError` raised with a catalogued message
(:func:`innesto.i18n.msg`) is shown in that language too.

Examples
--------
>>> explain(OSError(28, "No space left on device", "out.parquet"), "en")
('the disk is full (writing out.parquet): free some space and run the command again', 5)
>>> explain(OSError(28, "No space left on device", "out.parquet"), "it")[0]
'il disco è pieno (scrivendo out.parquet): liberare spazio e rieseguire il comando'
>>> explain(ValueError("a bug"), "en") is None
True
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable

from innesto.errors import InnestoError
from innesto.i18n import Message, localize, msg, user_lang

INPUT, USAGE, CONFIG, SERVICE, SYSTEM, INTERRUPTED = 1, 2, 3, 4, 5, 130


class MissingExtra(InnestoError):
    """A command needs an optional part of innesto that is not installed."""

    def __init__(self, extra: str, what: str) -> None:
        super().__init__(msg("%(what)s needs the extra: pip install '%(package)s'",
                             what=what, package=f"innesto[{extra}]"))
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


def _not_migrated(e: str) -> Message:
    return msg("the database is not ready (%(e)s): run 'python -m innesto.portal migrate' first",
               e=e)


#: Failures of libraries that may not be imported: (module, exception names, the message
#: for the exception's first line, exit code).
KNOWN: tuple[tuple[str, tuple[str, ...], Callable[[str], Message], int], ...] = (
    ("django.core.exceptions", ("ImproperlyConfigured",),
     lambda e: msg("the portal is not configured: %(e)s", e=e), CONFIG),
    ("django.core.exceptions", ("DisallowedHost",),
     lambda e: msg("%(e)s: add the host to ALLOWED_HOSTS", e=e), CONFIG),
    ("django.db.utils", ("ProgrammingError",), _not_migrated, CONFIG),
    ("django.db.utils", ("OperationalError", "InterfaceError"),
     lambda e: msg("the database cannot be used (%(e)s): check DATABASE_URL and that the "
                   "database server runs", e=e), SERVICE),
    ("smtplib", ("SMTPException",),
     lambda e: msg("the mail server refused the message (%(e)s): check EMAIL_HOST, "
                   "EMAIL_PORT and the credentials", e=e), SERVICE),
    ("redis.exceptions", ("ConnectionError", "TimeoutError"),
     lambda e: msg("Redis cannot be reached (%(e)s): check REDIS_URL and that Redis runs",
                   e=e), SERVICE),
    ("pyarrow.lib", ("ArrowException",),
     lambda e: msg("cannot read the file (%(e)s): is it a complete Parquet/Arrow file "
                   "written by innesto ingest?", e=e), INPUT),
)


def _is(exc: BaseException, module: str, *names: str) -> bool:
    mod = sys.modules.get(module)
    return mod is not None and any(
        isinstance(exc, t) for t in (getattr(mod, n, None) for n in names) if isinstance(t, type))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


#: An operating-system error's message, from ``where`` (`` (file)`` or nothing), ``writing``
#: (`` (writing file)`` or nothing) and ``reason`` (the system's words).
OsMessage = Callable[[str, str, str], Message]


def _full(where: str, writing: str, reason: str) -> Message:
    return msg("the disk is full%(writing)s: free some space and run the command again",
               writing=writing)


def _denied(where: str, writing: str, reason: str) -> Message:
    return msg("permission denied%(where)s: choose a folder you can write to, or ask for "
               "access", where=where)


def _unreachable(where: str, writing: str, reason: str) -> Message:
    return msg("a service cannot be reached (%(reason)s): check that it runs and the address "
               "in the settings", reason=reason)


def _missing(where: str, writing: str, reason: str) -> Message:
    return msg("no such file or folder%(where)s: check the path", where=where)


#: An operating-system error by its errno: (message, exit code).
OS_ERRORS: dict[int, tuple[OsMessage, int]] = {
    errno.ENOSPC: (_full, SYSTEM), errno.EDQUOT: (_full, SYSTEM),
    errno.EACCES: (_denied, SYSTEM), errno.EPERM: (_denied, SYSTEM),
    errno.EROFS: (_denied, SYSTEM),
    errno.ENOENT: (_missing, INPUT),
    errno.EISDIR: (lambda where, writing, reason: msg(
        "a folder was given where a file is expected%(where)s", where=where), INPUT),
    errno.ENOTDIR: (lambda where, writing, reason: msg(
        "a file was given where a folder is expected%(where)s", where=where), INPUT),
    errno.EADDRINUSE: (lambda where, writing, reason: msg(
        "the port is already in use: choose another one with --port"), SERVICE),
    errno.ECONNREFUSED: (_unreachable, SERVICE), errno.EHOSTUNREACH: (_unreachable, SERVICE),
    errno.ENETUNREACH: (_unreachable, SERVICE),
}
#: An operating-system error without a known errno, by its class (first match).
OS_ERROR_CLASSES: tuple[tuple[type[OSError], tuple[OsMessage, int]], ...] = (
    (PermissionError, (_denied, SYSTEM)),
    (FileNotFoundError, (_missing, INPUT)),
    (ConnectionError, (_unreachable, SERVICE)),
    (TimeoutError, (lambda where, writing, reason: msg(
        "a service did not answer in time: check that it runs and retry"), SERVICE)),
)


def _os_error(exc: OSError) -> tuple[Message | str, int]:
    name = exc.filename or (None if exc.errno else _first_line(exc))
    where = f" ({name})" if name else ""
    reason = exc.strerror or _first_line(exc)
    known = OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known is None:
        known = next((v for cls, v in OS_ERROR_CLASSES if isinstance(exc, cls)), None)
    if known is None:
        return f"{reason}{where}", SYSTEM      # the system's own words, as they are
    make, code = known
    writing = msg(" (writing %(file)s)", file=exc.filename) if exc.filename else ""
    return make(where, writing, reason), code


def _explain(exc: BaseException) -> tuple[Message | str | BaseException, int] | None:
    if isinstance(exc, MissingExtra | ConfigError):
        return exc, CONFIG
    if isinstance(exc, ServiceError):
        return exc, SERVICE
    if isinstance(exc, InnestoError):
        return exc, INPUT
    if _is(exc, "django.db.utils", "OperationalError") and "no such table" in str(exc):
        return _not_migrated(_first_line(exc)), CONFIG
    for module, names, make, code in KNOWN:
        if _is(exc, module, *names):
            return make(_first_line(exc)), code
    if isinstance(exc, UnicodeError):
        return msg("cannot decode the text (%(e)s): give the file's encoding",
                   e=_first_line(exc)), INPUT
    if isinstance(exc, MemoryError):
        return msg("not enough memory: use a smaller selection or the spark engine"), SYSTEM
    if isinstance(exc, OSError):
        return _os_error(exc)
    return None


def explain(exc: BaseException, lang: str | None = None) -> tuple[str, int] | None:
    """``(one line saying what to do, exit code)`` for an expected failure, else ``None``;
    the line is in ``lang`` (default: the user's language, :func:`innesto.i18n.user_lang`)."""
    known = _explain(exc)
    if known is None:
        return None
    what, code = known
    return localize(what, lang or user_lang()), code

