"""A GeoJSON FeatureCollection read feature by feature, within the limits.

``json.loads`` of a whole file builds every feature at once, about ten times the file's
size in memory, and only then can anything be counted. Here the file is read in pieces
through :func:`innesto.sources.limits.stream_bytes` (gunzipped on the fly, stopped at
``INNESTO_MAX_DECOMPRESSED_BYTES`` or ``INNESTO_MAX_GZIP_RATIO``), and the top-level object
is walked with the standard library's decoder one member, and one feature, at a time: what
is held is one feature (at most :data:`MAX_VALUE_BYTES` of text) and one piece of the file.

>>> import tempfile
>>> with tempfile.NamedTemporaryFile("w", suffix=".geojson") as f:
...     _ = f.write('{"features": [{"properties": {"NUTS_ID": "IT"}}, {"properties": {}}],'
...                 ' "type": "FeatureCollection"}'); f.flush()
...     doc = FeatureStream(Path(f.name))
...     [feat["properties"] for feat in doc.features()], doc.members
([{'NUTS_ID': 'IT'}, {}], {'type': 'FeatureCollection'})
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from innesto.errors import SourceError
from innesto.i18n import msg
from innesto.sources import limits

#: The largest single JSON value (a feature, or a top-level member other than the
#: features) held in memory at once, as text: GISCO's largest NUTS outline at 1:1 million
#: is a few MiB.
MAX_VALUE_BYTES = 256 << 20
_WS = re.compile(r"[ \t\n\r]*")
_STARTS = frozenset('{["-0123456789tfn')
_DECODER = json.JSONDecoder()


class NotJSON(ValueError):
    """The file is not a JSON object (or is cut short)."""


class FeatureStream:
    """The features of the GeoJSON object in ``path``, one at a time (:meth:`features`),
    and its other top-level members (:attr:`members`, complete once the features have been
    walked)."""

    def __init__(self, path: Path, *, chunk: int = 1 << 20) -> None:
        self.path = path
        self.members: dict[str, Any] = {}
        self.has_features = False
        self._pieces = limits.stream_bytes(path, chunk)
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._buf = ""
        self._pos = 0
        self._eof = False

    # -- reading
    def _more(self) -> bool:
        """Read one more piece into the buffer (dropping what was consumed)."""
        if self._eof:
            return False
        piece = next(self._pieces, None)
        try:
            text = self._utf8.decode(piece or b"", final=piece is None)
        except UnicodeDecodeError as exc:
            raise NotJSON(f"not UTF-8 ({exc.reason})") from None
        self._eof = piece is None
        self._buf = self._buf[self._pos:] + text
        self._pos = 0
        return True

    def _skip_ws(self) -> None:
        while True:
            space = _WS.match(self._buf, self._pos)
            self._pos = space.end() if space else self._pos
            if self._pos < len(self._buf) or not self._more():
                return

    def _char(self) -> str:
        """The next character that is not white space, consumed ("" at the end)."""
        self._skip_ws()
        if self._pos < len(self._buf):
            self._pos += 1
            return self._buf[self._pos - 1]
        return ""

    def _expect(self, chars: str) -> str:
        c = self._char()
        if not c or c not in chars:
            raise NotJSON(f"expected one of {chars!r}")
        return c

    def _value(self) -> Any:
        """The next JSON value, read whole (however many pieces it spans, up to
        :data:`MAX_VALUE_BYTES`)."""
        while True:
            self._skip_ws()
            if self._pos < len(self._buf) and self._buf[self._pos] not in _STARTS:
                raise NotJSON(f"unexpected {self._buf[self._pos]!r}")
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError:
                pass
            else:
                # a number or a literal at the end of the buffer may go on in the next piece
                if end < len(self._buf) or self._eof or self._buf[self._pos] in "{[\"":
                    self._pos = end
                    return value
            if len(self._buf) - self._pos > MAX_VALUE_BYTES:
                raise SourceError(msg("one JSON value is larger than %(what)s MiB",
                                  what=MAX_VALUE_BYTES >> 20),
                                  path=self.path, expected=msg("GeoJSON features of ordinary size"))
            wanted = max(len(self._buf) - self._pos, 1)
            start = len(self._buf) - self._pos
            while len(self._buf) - self._pos < start + wanted and self._more():
                pass
            if len(self._buf) - self._pos == start:   # nothing more to read
                raise NotJSON("cut short or malformed")

    # -- walking the object
    def features(self) -> Iterator[Any]:
        """Each feature of the top-level object's ``features`` array, in order; the other
        members are kept in :attr:`members`. :class:`NotJSON` if the file is not a JSON
        object."""
        self._expect("{")
        if self._peek() == "}":
            self._char()
        else:
            while True:
                key = self._value()
                if not isinstance(key, str):
                    raise NotJSON("a member name is not a string")
                self._expect(":")
                if key == "features" and self._peek() == "[":
                    self._char()
                    self.has_features = True
                    yield from self._array()
                else:
                    self.members[key] = self._value()
                if self._expect(",}") == "}":
                    break
        if self._char():
            raise NotJSON("extra data after the object")

    def _array(self) -> Iterator[Any]:
        if self._peek() == "]":
            self._char()
            return
        while True:
            yield self._value()
            if self._expect(",]") == "]":
                return

    def _peek(self) -> str:
        c = self._char()
        if c:
            self._pos -= 1
        return c
