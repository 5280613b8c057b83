"""The registry of readers: ``read(path, format="auto")`` picks one by name or by sniffing.

Each reader module registers itself with :func:`register_reader`; :func:`read` imports the
reader modules listed in ``_READER_MODULES`` on first use (nothing is imported at package
import time). A reader is called as ``reader(path, **options)`` and returns
``(Panel, ReadReport)``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import msg
from innesto.panel import Panel
from innesto.sources.report import ReadReport
from innesto.sources.values import TABULAR, ValueSyntax

Reader = Callable[..., tuple[Panel, ReadReport]]
Sniffer = Callable[[Path, str], bool]

# Modules that define readers, in sniffing order (most specific first).
_READER_MODULES: list[str] = [
    "innesto.sources.istat",  # before sdmx-csv: Istat's SDMX-CSV has REF_AREA x ATECO dims
    "innesto.sources.sdmx_csv",
    "innesto.sources.eurostat_tsv",
    "innesto.sources.eurostat_sbs",
    "innesto.sources.wide",
    "innesto.sources.abs_census",
    "innesto.sources.bea",
    "innesto.sources.trade",
    "innesto.sources.generic",  # last: the fallback sniffer for any delimited text file
]


@dataclass(frozen=True)
class ReaderInfo:
    name: str
    reader: Reader
    sniff: Sniffer | None
    description: str
    values: ValueSyntax = TABULAR


_READERS: dict[str, ReaderInfo] = {}
_loaded = False


def register_reader(
    name: str, *, sniff: Sniffer | None = None, description: str = "",
    values: ValueSyntax = TABULAR,
) -> Callable[[Reader], Reader]:
    """Register ``reader`` under ``name``; ``sniff(path, head)`` says if a file is this format.

    ``head`` is the first 64 KiB of the file decoded leniently (empty for binary formats).
    ``values`` is how the format writes its values (:mod:`innesto.sources.values`); the
    relational stage reads a file of this format with it too (:func:`value_syntax`).
    """

    def deco(func: Reader) -> Reader:
        _READERS[name] = ReaderInfo(name, func, sniff,
                                    description or (func.__doc__ or "").split("\n")[0], values)
        return func

    return deco


def _load() -> None:
    global _loaded
    if not _loaded:
        for mod in _READER_MODULES:
            importlib.import_module(mod)
        _loaded = True


def formats() -> dict[str, str]:
    """The registered format names with a one-line description each."""
    _load()
    return {k: v.description for k, v in _READERS.items()}


def _head(path: Path) -> str:
    """The first 64 KiB of the file (decompressed if gzip), decoded leniently."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(65536)
        if raw[:2] == b"\x1f\x8b":
            import gzip
            import zlib

            try:
                with gzip.open(path, "rb") as gz:
                    raw = gz.read(65536)
            except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
                raise SourceError(msg("the file starts like gzip but cannot be decompressed: "
                                      "%(reason)s", reason=exc), path=path, line=1,
                                  expected=msg("a valid gzip file")) from None
    except OSError as exc:
        raise SourceError(msg("cannot read the file: %(reason)s", reason=exc.strerror or exc),
                          path=path) from None
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def _sniffing_order() -> list[ReaderInfo]:
    """Readers in the order of ``_READER_MODULES`` (not import order: a test that imports a
    reader module directly must not move its sniffer ahead of more specific ones)."""
    rank = {m: i for i, m in enumerate(_READER_MODULES)}
    return sorted(_READERS.values(),
                  key=lambda info: rank.get(info.reader.__module__, len(rank)))


def value_syntax(path: str | Path) -> ValueSyntax:
    """How the file's format writes values: the registered syntax of the format its
    sniffers recognise (:data:`~innesto.sources.values.TABULAR` for any other file)."""
    try:
        return _READERS[detect_format(path)].values
    except SourceError:
        return TABULAR


def detect_format(path: str | Path) -> str:
    """The name of the first registered reader whose sniffer accepts the file."""
    _load()
    path = Path(path)
    if not path.exists():
        raise SourceError(msg("file not found"), path=path)
    head = _head(path)
    for info in _sniffing_order():
        if info.sniff is not None and info.sniff(path, head):
            return info.name
    raise SourceError(
        msg("could not recognise the file's format"),
        path=path,
        expected=msg("one of %(formats)s (name it with format=...)",
                     formats=", ".join(sorted(_READERS))),
    )


def read(path: str | Path, format: str = "auto", **options: Any) -> tuple[Panel, ReadReport]:
    """Read ``path`` into a panel and a report, with the named reader or by sniffing.

    Options (e.g. ``region=``, ``industry=``, ``time=``, ``value=`` column names) go to the
    reader; a reader that does not take an option raises a :class:`SourceError`.
    """
    _load()
    name = detect_format(path) if format == "auto" else format
    if name not in _READERS:
        raise SourceError(
            msg("unknown format '%(name)s'", name=name), path=path,
            expected=msg("one of %(formats)s", formats=", ".join(sorted(_READERS))))
    options = {k: v for k, v in options.items() if v is not None}
    reader = _READERS[name].reader
    if "decimal" in options and "decimal" not in inspect.signature(reader).parameters:
        # formats that fix the decimal point (Eurostat, SDMX, BEA): '.' is no news
        if options.pop("decimal") not in (".", "auto"):
            raise SourceError(msg("the %(name)s format always writes a decimal point",
                                  name=name),
                              path=path, expected=msg("no --decimal option (or --decimal .)"))
    return reader(Path(path), **options)
