"""Shared CLI helpers: library errors as one line, and progress bars with a quiet switch.

Every word the CLI writes is a message of the library's catalog (:mod:`innesto.i18n`), in
the user's language (:func:`~innesto.i18n.user_lang`: ``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` as GNU gettext reads them): Italian when the locale asks for it,
English otherwise. The ``error:`` and ``warning:`` prefixes are the same in every language,
so that a script can look for them."""

from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from innesto.cli.failures import INTERRUPTED, explain
from innesto.errors import InnestoWarning
from innesto.i18n import localize, msg, tr, user_lang

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)

#: The language of the help texts, chosen when the command line is built (the messages a
#: command writes while it runs are chosen when written, with :func:`user_lang`).
LANG = user_lang()

#: the ``--quiet/-q`` option of every command with progress bars
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=tr(
    LANG, "No progress bars (for scripts)."))]


class ProgressBars:
    """Rich progress bars on stderr, one per step; nothing when ``quiet``.

    ``with ProgressBars(quiet) as bars:`` then ``bars(step, done, total)`` (the library's
    ``progress`` callbacks; ``total=None`` for a step of unknown length, such as a download
    without a Content-Length), or ``with bars.step("reading x.csv"):`` around a step that
    reports nothing until it ends.
    """

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tasks: dict[str, Any] = {}
        self.bar: Any = None

    def __enter__(self) -> ProgressBars:
        if not self.quiet:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=err_console, transient=False)
            self.bar.start()
        return self

    def __call__(self, step: str, done: int, total: int | None) -> None:
        if self.bar is None:
            return
        if step not in self.tasks:
            self.tasks[step] = self.bar.add_task(step, total=total)
        self.bar.update(self.tasks[step], completed=done, total=total)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """A step of one piece: shown as 0/1 while it runs and 1/1 when done."""
        self(name, 0, 1)
        yield
        self(name, 1, 1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print innesto's warnings as one ``warning:`` line each; others as Python would."""
    for w in caught:
        if issubclass(w.category, InnestoWarning):
            text = localize(w.message, user_lang())
            err_console.print(f"[bold yellow]warning:[/] {escape(text)}",
                              highlight=False, soft_wrap=True)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)


def print_error(message: str) -> None:
    """One ``error:`` line on stderr; the message is escaped, so ``[geo]`` in a URL or a
    file named ``data[/]x.csv`` print as they are."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False,
                      soft_wrap=True)


def handle_errors(func: F) -> F:
    """Decorate a command so that an expected failure prints one ``error:`` line and exits
    with its code (:func:`innesto.cli.failures.explain`: 1 bad input, 3 configuration,
    4 unreachable service, 5 system), and each InnestoWarning (e.g. double counting)
    prints one ``warning:`` line."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caught: list[warnings.WarningMessage] = []
        try:
            with warnings.catch_warnings(record=True) as recorder:
                warnings.simplefilter("always", InnestoWarning)
                try:
                    return func(*args, **kwargs)
                finally:
                    caught = list(recorder)
        except Exception as exc:
            known = explain(exc)
            if known is None:
                raise  # a bug: its traceback is what a report needs
            _show_warnings(caught)
            caught = []
            print_error(known[0])
            raise typer.Exit(code=known[1]) from None
        except KeyboardInterrupt:  # pragma: no cover
            sys.exit(INTERRUPTED)
        finally:
            # shown only here, outside the recorder: showing a warning inside it would
            # record it again
            _show_warnings(caught)

    return wrapper  # type: ignore[return-value]


def load_panel(
    path: str,
    *,
    format: str = "auto",
    region: str | None = None,
    industry: str | None = None,
    time: str | None = None,
    value: str | None = None,
    decimal: str | None = None,
) -> Any:
    """Load a panel written by ``innesto ingest`` (Parquet) or any source file a reader knows.

    Column options may be omitted for a panel written by ``innesto ingest``; ``decimal``
    (``"."`` or ``","``) is passed to the reader when given.
    """
    from pathlib import Path

    from innesto.errors import InnestoError, SourceError
    from innesto.panel import Panel
    from innesto.sources.registry import read

    p = Path(path)
    if p.suffix == ".parquet" and not any((region, industry, time, value)):
        try:
            return Panel.read_parquet(p)
        except (FileNotFoundError, PermissionError, InnestoError):
            raise  # explained as they are
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise SourceError(msg("cannot read it as Parquet (%(detail)s)", detail=detail),
                              path=p, expected=msg("a complete Parquet file (e.g. written by "
                                                   "innesto ingest)")) from None
    extra = {"decimal": decimal} if decimal is not None else {}
    panel, report = read(p, format=format, region=region, industry=industry, time=time,
                         value=value, **extra)
    err_console.print(report.summary(user_lang()), highlight=False)
    return panel
