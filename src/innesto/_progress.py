"""The progress callback of the library's long steps, for the CLI's progress bars."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(step, done, total)``, called as a long step advances; ``total`` is ``None``
#: when it is not known in advance (a download without a Content-Length)
Progress = Callable[[str, int, int | None], None]
