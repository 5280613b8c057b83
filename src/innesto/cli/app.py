"""The root Typer app. Each command family lives in its own module under ``innesto.cli``
and is registered here; the modules only parse options, call the library and turn an
:class:`~innesto.errors.InnestoError` into one line on stderr with exit code 1."""

from __future__ import annotations

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


def _register() -> None:
    # One line per command family; each module exposes `register(app)`. Idempotent: tests
    # and `main` may both call it.
    from innesto.cli import common  # noqa: F401  (shared options and error handling)

    for name in _FAMILIES:
        if name in _registered:
            continue
        module = __import__(f"innesto.cli.{name}", fromlist=["register"])
        module.register(app)
        _registered.append(name)


# Add a family here when its module exists (each module: `def register(app: typer.Typer)`).
_FAMILIES: list[str] = ["measure", "plan", "ingest", "serve", "demo", "fetch", "backup", "pipeline", "archive"]


def main() -> None:
    """Entry point of the ``innesto`` console script."""
    _register()
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
