"""The read report, re-exported where the readers have always offered it.

:class:`ReadReport` lives in :mod:`innesto.report` so that measures and classifications
can report what they dropped without importing the readers."""

from innesto.report import MAX_EXAMPLES, ReadReport

__all__ = ["MAX_EXAMPLES", "ReadReport"]
