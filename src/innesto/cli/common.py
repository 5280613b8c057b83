"""Shared CLI helpers: turn library errors into one line, and a quiet switch for progress."""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from innesto.errors import InnestoError, InnestoWarning

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)


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
