"""The root Typer app. Each command family lives in its own module under ``innesto.cli``
and is registered here; the modules only parse options, call the library and turn an
:class:`~innesto.errors.InnestoError` into one line on stderr with exit code 1."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

import typer

from innesto.i18n import tr, user_lang

app = typer.Typer(
    name="innesto",
    help=tr(user_lang(), "innesto: evidence, plan and portal for a city's industrial "
            "transformation."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


_registered: list[str] = []


@app.callback()
def _root() -> None:
    # A callback keeps the app a group of commands when main() registers one family only
    # (Typer runs a lone command as the app itself).
    pass


def _register(families: Iterable[str] | None = None) -> None:
    """Add the commands of ``families`` (default: all) to the app. Each module exposes
    ``register(app)``. Idempotent: tests and :func:`main` may both call it."""
    from innesto.cli import common  # noqa: F401  (shared options and error handling)

    for name in _FAMILIES if families is None else families:
        if name in _registered:
            continue
        module = __import__(f"innesto.cli.{name}", fromlist=["register"])
        module.register(app)
        _registered.append(name)


#: Each command family (its module under ``innesto.cli`` has ``register(app)``) and the
#: top-level commands it adds; ``tests/cli/test_app.py`` checks that they match.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "measure": ("measure",), "plan": ("plan",), "ingest": ("ingest",), "serve": ("serve",),
    "demo": ("demo",), "fetch": ("fetch",), "backup": ("backup", "restore"),
    "pipeline": ("pipeline",), "archive": ("archive",)}


def family_of(argv: Sequence[str]) -> str | None:
    """The family of the command ``argv`` asks for; None when it names none (help, an
    option first, a mistyped command: then every command is registered, to be listed).

    >>> family_of(["pipeline", "data.parquet"]), family_of(["restore"]), family_of(["--help"])
    ('pipeline', 'backup', None)
    """
    if not argv:
        return None
    return next((f for f, names in _FAMILIES.items() if argv[0] in names), None)


def main() -> None:
    """Entry point of the ``innesto`` console script. Only the asked command's module is
    imported (each family imports its own libraries: the plan's YAML and Pydantic, the
    portal's Django, ...), so a command starts without the others' import time. The app
    runs through :func:`innesto.cli.usage.run`, which puts the words of Typer's Click
    (``Usage:``, its usage errors) in the user's language."""
    from innesto.cli.usage import run

    family = family_of(sys.argv[1:])
    _register(None if family is None else [family])
    run(app)


if __name__ == "__main__":  # pragma: no cover
    main()
