"""Shared CLI helpers: library errors as one line, and progress bars with a quiet switch."""

from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from innesto.errors import InnestoError, InnestoWarning

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)

#: the ``--quiet/-q`` option of every command with progress bars
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars (for scripts).")]


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
            err_console.print(f"[bold yellow]warning:[/] {w.message}", highlight=False,
                              soft_wrap=True)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)


def handle_errors(func: F) -> F:
    """Decorate a command so that an InnestoError prints one line and exits with code 1,
    and each InnestoWarning (e.g. double counting) prints one ``warning:`` line."""

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
        except InnestoError as exc:
            _show_warnings(caught)
            caught = []
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt:  # pragma: no cover
            sys.exit(130)
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
) -> Any:
    """Load a panel written by ``innesto ingest`` (Parquet) or any source file a reader knows.

    Column options may be omitted for a panel written by ``innesto ingest``.
    """
    from pathlib import Path

    from innesto.panel import Panel
    from innesto.sources.registry import read

    p = Path(path)
    if p.suffix == ".parquet" and not any((region, industry, time, value)):
        return Panel.read_parquet(p)
    panel, report = read(p, format=format, region=region, industry=industry, time=time,
                         value=value)
    err_console.print(report.summary(), highlight=False)
    return panel
