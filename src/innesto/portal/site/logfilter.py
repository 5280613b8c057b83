"""Refusals are summarised in the log, not written one line each.

Django logs every 4xx answer on ``django.request`` (``Too Many Requests: /path``). Under a
flood that is one line per refused request: thousands a minute, each formatted and
written by the worker that should be serving the site, and a disk filled by the attacker.
:class:`RefusalSummary` lets the first refusal (429 or 503) of each
:data:`WINDOW_SECONDS` through and drops the rest, counting them; the next line that
passes says how many were left out. Every other record passes untouched.

>>> import logging
>>> f = RefusalSummary(window=60.0)
>>> def rec(status):
...     r = logging.LogRecord("django.request", logging.WARNING, "", 0,
...                           "Too Many Requests: %s", ("/x",), None)
...     r.status_code = status
...     return r
>>> [f.filter(rec(429)) for _ in range(3)]
[True, False, False]
>>> f.filter(rec(404))
True
>>> f.dropped
2
"""

from __future__ import annotations

import logging
import threading
import time

#: a refusal line is written at most once per this many seconds per worker
WINDOW_SECONDS = 10.0
REFUSALS = frozenset({429, 503})


class RefusalSummary(logging.Filter):
    """Pass one refusal record per window; count the others and report them on the next."""

    def __init__(self, name: str = "", window: float = WINDOW_SECONDS) -> None:
        super().__init__(name)
        self.window = window
        self.dropped = 0
        self._next = 0.0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) not in REFUSALS:
            return True
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                self.dropped += 1
                return False
            self._next = now + self.window
            dropped, self.dropped = self.dropped, 0
        if dropped:
            record.msg = f"{record.msg} (and {dropped} refusals not logged since the last line)"
        return True
