"""What a reader did with a file: rows read, rows kept, every flagged or dropped cell by reason.

Official statistics are full of flags (``p`` provisional, ``e`` estimated, ``c``
confidential, ...), blanks and corrupt cells. A reader never drops one silently: it counts
it here under a reason, keeps the first few locations as examples, and the CLI prints the
report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from innesto.i18n import localize, nplural, tr

MAX_EXAMPLES = 5


@dataclass
class ReadReport:
    """Counts of what a reader kept, flagged and dropped.

    Reasons are short keys: ``"missing"`` (``:`` or blank, kept as null), ``"flag:p"``
    (value kept, flag recorded), ``"confidential"`` (no value, kept as null with flag ``c``),
    ``"corrupt"`` (unparseable cell, kept as null), ``"dropped:<why>"`` (row not in the
    panel at all).

    Examples
    --------
    >>> r = ReadReport(path="x.tsv", format="eurostat-tsv")
    >>> r.rows_read = 3; r.rows_kept = 3
    >>> r.count("flag:p", line=2, column="2017", raw="12 p")
    >>> r.count("missing", line=3, column="2017", raw=":")
    >>> r.counts
    {'flag:p': 1, 'missing': 1}
    >>> print(r.summary().splitlines()[0])
    x.tsv (eurostat-tsv): 3 rows read, 3 kept
    >>> print(r.summary("it"))
    x.tsv (eurostat-tsv): 3 righe lette, tenute: 3
      flag:p: 1 (es. riga 2, colonna 2017, '12 p')
      missing: 1 (es. riga 3, colonna 2017, ':')
    """

    path: str
    format: str
    rows_read: int = 0
    rows_kept: int = 0
    cells_read: int = 0
    counter: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(
        self,
        reason: str,
        n: int = 1,
        *,
        line: int | None = None,
        column: str | None = None,
        raw: str | None = None,
    ) -> None:
        """Count ``n`` cells under ``reason``, remembering the first few locations."""
        if n <= 0:
            return
        self.counter[reason] += n
        ex = self.examples.setdefault(reason, [])
        if len(ex) < MAX_EXAMPLES and (line is not None or column is not None):
            ex.append({"line": line, "column": column, "raw": raw})

    @property
    def counts(self) -> dict[str, int]:
        return dict(sorted(self.counter.items()))

    @property
    def rows_dropped(self) -> int:
        return self.rows_read - self.rows_kept

    def summary(self, lang: str = "en") -> str:
        """A human-readable report in ``lang``, one reason per line with example locations
        (the reasons are keys, as in :meth:`to_dict`)."""
        lines = [f"{self.path} ({self.format}): " + nplural(
            lang, "%(n)d row read, %(kept)d kept", "%(n)d rows read, %(kept)d kept",
            self.rows_read, kept=self.rows_kept)]
        for reason, n in self.counts.items():
            where = "; ".join(_example(e, lang) for e in self.examples.get(reason, []))
            lines.append(f"  {reason}: {n}" + (
                f" ({tr(lang, 'e.g. %(examples)s', examples=where)})" if where else ""))
        lines.extend("  " + tr(lang, "note: %(note)s", note=localize(n, lang))
                     for n in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_dropped": self.rows_dropped,
            "counts": self.counts,
            "examples": self.examples,
            "notes": self.notes,
        }


def _example(e: dict[str, Any], lang: str) -> str:
    """Where an example cell is (line, column) and what it held, in ``lang``."""
    return ", ".join(x for x in (
        tr(lang, "line %(line)s", line=e["line"]) if e.get("line") is not None else "",
        tr(lang, "column %(column)s", column=e["column"]) if e.get("column") is not None else "",
        f"{e['raw']!r}" if e.get("raw") is not None else "") if x)
