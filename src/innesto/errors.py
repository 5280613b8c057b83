"""innesto's exceptions, named in the domain's words.

Every error a user can cause derives from :class:`InnestoError`, so the CLI and the portal
can turn any of them into one readable sentence. Errors about input files carry the file,
line and column and say what was expected there.
"""

from __future__ import annotations

from pathlib import Path

from innesto.i18n import localize, tr


class InnestoError(Exception):
    """Base class of every error innesto raises on purpose."""


class SourceError(InnestoError):
    """A source file (CSV, TSV, SDMX, Parquet, Excel, ...) could not be read.

    Parameters
    ----------
    message:
        What is wrong, in one sentence.
    path:
        The file (or URL) being read.
    line:
        1-based line (or spreadsheet row) where the problem is, when known.
    column:
        The column name (or 1-based index) where the problem is, when known.
    expected:
        What was expected there, e.g. ``"a number"`` or ``"one of geo, nace_r2"``.

    Examples
    --------
    >>> str(SourceError("bad value '12:00 AM'", path="x.csv", line=3, column="n2015",
    ...                 expected="a number"))
    "x.csv, line 3, column 'n2015': bad value '12:00 AM' (expected a number)"
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: str | int | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, lang: str) -> str:
        """This error in ``lang``: the place and the frame words are translated, and so are
        the message and what was expected when they are catalogued
        (:class:`innesto.i18n.Message`).

        >>> SourceError("no data", path="x.csv", line=3).localized("it")
        'x.csv, riga 3: no data'
        """
        where = []
        if self.path:
            where.append(self.path)
        if self.line is not None:
            where.append(tr(lang, "line %(line)s", line=self.line))
        if self.column is not None:
            col = f"'{self.column}'" if isinstance(self.column, str) else str(self.column)
            where.append(tr(lang, "column %(column)s", column=col))
        text = localize(self.message, lang)
        if self.expected:
            text = tr(lang, "%(message)s (expected %(expected)s)", message=text,
                      expected=localize(self.expected, lang))
        return f"{', '.join(where)}: {text}" if where else text


class FetchError(SourceError):
    """A download from a statistics office's API failed (HTTP, network or API error)."""


class PanelError(InnestoError):
    """A panel does not have the shape or columns an operation needs."""


class ClassificationError(InnestoError):
    """An unknown classification, code or level."""


class MeasureError(InnestoError):
    """A measure cannot be computed on the given data (e.g. an empty matrix)."""


class PlanError(InnestoError):
    """A strategic plan is invalid; the message names the file, line and field."""


class EngineError(InnestoError):
    """The relational engine (DuckDB or Spark) could not run a step."""


class InnestoWarning(UserWarning):
    """Base class of innesto's warnings: the CLI prints them as one ``warning:`` line."""


class DoubleCountingWarning(InnestoWarning):
    """A measure is summing regions or industries that contain each other."""
