"""Limits on every file innesto reads: the one place where a file is opened, sized and
decompressed, so that no input (an upload to the portal, a file given to the CLI) can make
a process use unbounded memory or time.

Every limit is an environment variable with a default (documented in docs/security.md):

=================================  ==========================================  ============
variable                           what it bounds                              default
=================================  ==========================================  ============
``INNESTO_MAX_FILE_BYTES``         bytes of a file as stored                   1 GiB
``INNESTO_MAX_DECOMPRESSED_BYTES`` bytes after gunzip / of an XLSX's members   2 GiB
``INNESTO_MAX_GZIP_RATIO``         decompressed / compressed size              200
``INNESTO_MAX_ROWS``               data rows of one table                      20 000 000
``INNESTO_MAX_CELLS``              cells of one table (rows x columns)         200 000 000
``INNESTO_MAX_YAML_NODES``         YAML nodes with every alias expanded        2 000 000
``INNESTO_MAX_YAML_ALIASES``       YAML alias references in one document       10 000
=================================  ==========================================  ============

The ratio applies once the output passes 16 MiB (small files compress well and are
harmless). :func:`read_bytes` reads a file (gunzipped if it is gzip) within these limits;
:func:`stream_bytes` reads a file in pieces, gunzipping on the fly, and stops at the limit
(:func:`check_expansion`) instead of reading on; :func:`gunzip` does the same for bytes
already in memory; :func:`check_zip` looks at an XLSX/ZIP's members before anything is inflated;
:class:`Budget` counts rows and cells as a reader produces them; :func:`check_yaml` bounds a
composed YAML document's expanded size (the "billion laughs" alias bomb).

>>> import gzip
>>> gunzip(gzip.compress(b"abc"), "x.gz")
b'abc'
>>> try:
...     gunzip(gzip.compress(b"0" * (1 << 25)), "bomb.gz")
... except SourceError as exc:
...     print(str(exc).split(":", 1)[1].strip()[:40])
the gzip stream expands more than 200 ti
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from innesto.errors import SourceError
from innesto.i18n import Message, Number, msg, nmsg

_RATIO_FLOOR = 16 << 20
_CHUNK = 1 << 20


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise SourceError(msg("%(name)s=%(raw)s is not a whole number", name=name, raw=repr(raw)), expected=msg("an integer")) \
            from None


@dataclass(frozen=True)
class Limits:
    """The limits in force (read from the environment by :func:`current`)."""

    file_bytes: int = 1 << 30
    decompressed_bytes: int = 2 << 30
    gzip_ratio: int = 200
    rows: int = 20_000_000
    cells: int = 200_000_000
    yaml_nodes: int = 2_000_000
    yaml_aliases: int = 10_000


def current() -> Limits:
    """The limits from the environment, each defaulting to :class:`Limits`' value."""
    d = Limits()
    return Limits(
        file_bytes=_env_int("INNESTO_MAX_FILE_BYTES", d.file_bytes),
        decompressed_bytes=_env_int("INNESTO_MAX_DECOMPRESSED_BYTES", d.decompressed_bytes),
        gzip_ratio=_env_int("INNESTO_MAX_GZIP_RATIO", d.gzip_ratio),
        rows=_env_int("INNESTO_MAX_ROWS", d.rows),
        cells=_env_int("INNESTO_MAX_CELLS", d.cells),
        yaml_nodes=_env_int("INNESTO_MAX_YAML_NODES", d.yaml_nodes),
        yaml_aliases=_env_int("INNESTO_MAX_YAML_ALIASES", d.yaml_aliases),
    )


def _mib(n: int) -> Message:
    return msg("%(n)s MiB", n=Number(n / (1 << 20), digits=0))


def check_size(path: Path | str, size: int) -> None:
    """Refuse a stored file larger than ``INNESTO_MAX_FILE_BYTES``."""
    limit = current().file_bytes
    if size > limit:
        raise SourceError(msg("the file is %(size)s, more than the %(limit)s allowed "
                              "(INNESTO_MAX_FILE_BYTES)", size=_mib(size), limit=_mib(limit)),
                          path=path, expected=msg("a smaller file"))


def read_raw(path: Path) -> bytes:
    """The file's bytes as stored, within ``INNESTO_MAX_FILE_BYTES``; :class:`SourceError`
    if it is missing, unreadable or too large."""
    with _open(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise SourceError(msg("cannot read the file: %(reason)s",
                                  reason=exc.strerror or exc), path=path) from None


def is_gzip(raw: bytes) -> bool:
    return raw[:2] == b"\x1f\x8b"


def gunzip(raw: bytes, path: Path | str) -> bytes:
    """Decompress a gzip stream (several members allowed) within the limits.

    The output is produced in 1 MiB steps and refused as soon as it passes
    ``INNESTO_MAX_DECOMPRESSED_BYTES`` or, past 16 MiB, ``INNESTO_MAX_GZIP_RATIO`` times the
    compressed bytes consumed so far: a bomb is stopped after at most one step over the
    limit, early in the file.
    """
    lim = current()
    out = bytearray()
    view = memoryview(raw)
    offset = 0
    try:
        while offset < len(view):
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending: bytes | memoryview = view[offset:]
            while True:
                out += d.decompress(pending, _CHUNK)
                pending = d.unconsumed_tail
                consumed = len(view) - offset - len(pending) - len(d.unused_data)
                check_expansion(path, len(out), offset + consumed, lim)
                if d.eof or not pending:
                    break
            if not d.eof:
                raise SourceError(msg("broken gzip stream (truncated)"), path=path, line=1,
                                  expected=msg("a whole gzip file"))
            offset = len(view) - len(d.unused_data)
            while offset < len(view) and view[offset] == 0:  # padding after the last member
                offset += 1
    except zlib.error as exc:
        raise SourceError(msg("broken gzip stream (%(reason)s)", reason=exc), path=path,
                          line=1, expected=msg("a whole gzip file")) from None
    return bytes(out)


def check_expansion(path: Path | str, out: int, compressed: int,
                    lim: Limits | None = None) -> None:
    """Refuse decompressed data (``out`` bytes so far, from ``compressed`` bytes read) past
    ``INNESTO_MAX_DECOMPRESSED_BYTES`` or, past 16 MiB, ``INNESTO_MAX_GZIP_RATIO`` times the
    compressed bytes; called while decompressing, so that reading stops at the limit."""
    lim = lim or current()
    if out > lim.decompressed_bytes:
        raise SourceError(msg(
            "the decompressed data passes the %(limit)s allowed "
            "(INNESTO_MAX_DECOMPRESSED_BYTES)", limit=_mib(lim.decompressed_bytes)),
            path=path, expected=msg("a smaller file"))
    if out > _RATIO_FLOOR and out > lim.gzip_ratio * max(compressed, 1):
        raise SourceError(msg(
            "the gzip stream expands more than %(ratio)s times the %(n)s bytes read so far "
            "(INNESTO_MAX_GZIP_RATIO)", ratio=lim.gzip_ratio, n=Number(compressed)),
            path=path, expected=msg("a smaller file"))


def _open(path: Path) -> BinaryIO:
    """``path`` opened for reading, within ``INNESTO_MAX_FILE_BYTES``."""
    try:
        fh = open(path, "rb")  # closed by the caller
    except FileNotFoundError:
        raise SourceError(msg("file not found"), path=path) from None
    except IsADirectoryError:
        raise SourceError(msg("a folder, not a file"), path=path, expected=msg("a file")) \
            from None
    except OSError as exc:
        raise SourceError(msg("cannot read the file: %(reason)s", reason=exc.strerror or exc),
                          path=path) from None
    try:
        check_size(path, os.fstat(fh.fileno()).st_size)
    except BaseException:
        fh.close()
        raise
    return fh


def stream_bytes(path: Path, chunk: int = _CHUNK) -> Iterator[bytes]:
    """The file's bytes in pieces of at most ``chunk`` bytes, gunzipped on the fly if it
    is gzip (several members allowed), within the limits: the stored size is checked
    first, and the decompressed bytes while they are produced, so that a bomb stops being
    read at ``INNESTO_MAX_DECOMPRESSED_BYTES`` or ``INNESTO_MAX_GZIP_RATIO`` with no more
    than one piece in memory.

    >>> import gzip, tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".gz") as f:
    ...     _ = f.write(gzip.compress(b"abc") + gzip.compress(b"def")); f.flush()
    ...     b"".join(stream_bytes(Path(f.name), chunk=2))
    b'abcdef'
    """
    lim = current()
    with _open(path) as fh:
        first = fh.read(chunk)
        if not is_gzip(first):
            while first:
                yield first
                first = fh.read(chunk)
            return
        yield from _gunzip_stream(fh, first, path, chunk, lim)


def _gunzip_stream(fh: BinaryIO, first: bytes, path: Path | str, chunk: int,
                   lim: Limits) -> Iterator[bytes]:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out, started, pending = 0, False, first
    try:
        while pending:
            while pending:
                if not started:
                    pending = pending.lstrip(b"\0")  # padding between or after members
                    if not pending:
                        break
                    started = True
                piece = d.decompress(pending, chunk)
                pending = d.unconsumed_tail
                out += len(piece)
                check_expansion(path, out, fh.tell() - len(pending), lim)
                if piece:
                    yield piece
                if d.eof:  # the member ends here: another may follow
                    pending, d, started = d.unused_data, zlib.decompressobj(
                        16 + zlib.MAX_WBITS), False
            pending = fh.read(chunk)
    except zlib.error as exc:
        raise SourceError(msg("broken gzip stream (%(reason)s)", reason=exc), path=path,
                          line=1, expected=msg("a whole gzip file")) from None
    if started:
        raise SourceError(msg("broken gzip stream (truncated)"), path=path, line=1,
                          expected=msg("a whole gzip file"))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped if it is gzip, all within the limits (read in a
    stream: the compressed file is never held whole beside its output)."""
    return b"".join(stream_bytes(path))


def utf16(raw: bytes, path: Path | str) -> str | None:
    """The text of a UTF-16 file (it starts with a byte-order mark), else None.

    Spreadsheet programs save "Unicode text" as UTF-16, whose every other byte is NUL: the
    readers decode it here, before they refuse NUL bytes as binary data.
    """
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        text = raw.decode("utf-16")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].decode("utf-16", errors="replace").count("\n") + 1
        raise SourceError(msg("broken UTF-16 text (%(reason)s)", reason=exc.reason), path=path, line=line,
                          expected=msg("UTF-16 text")) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(msg("binary data (NUL character)"), path=path, line=line,
                          expected=msg("text"))
    return text.lstrip("\ufeff")


def check_zip(path: Path | str, *, max_members: int = 10_000) -> None:
    """Refuse a ZIP (an XLSX) whose members would inflate past the limits.

    Python's ``zipfile`` never returns more than a member's declared size, so checking the
    declared sizes bounds what any reader (openpyxl included) can inflate.
    """
    lim = current()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(msg("not a readable ZIP/XLSX file: %(exc)s", exc=exc), path=path,
                          expected=msg("an Excel 2007+ (.xlsx) file")) from None
    if len(infos) > max_members:
        raise SourceError(nmsg("the archive has %(n)d members (at most %(max_members)s)",
                               "the archive has %(n)d members (at most %(max_members)s)",
                               len(infos), max_members=max_members),
                          path=path, expected=msg("an ordinary workbook"))
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > lim.decompressed_bytes or (total > _RATIO_FLOOR
                                          and total > lim.gzip_ratio * max(packed, 1)):
        raise SourceError(msg(
            "the archive's members expand to %(size)s from %(n)s bytes (limits: %(limit)s, "
            "ratio %(ratio)s; INNESTO_MAX_DECOMPRESSED_BYTES, INNESTO_MAX_GZIP_RATIO)",
            size=_mib(total), n=Number(packed), limit=_mib(lim.decompressed_bytes),
            ratio=lim.gzip_ratio), path=path, expected=msg("a smaller workbook"))


class Budget:
    """Counts the rows and cells a reader produces; :class:`SourceError` past the limits.

    >>> b = Budget("t.csv")
    >>> b.row(3, line=1)
    """

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.limits = current()
        self.rows = 0
        self.cells = 0

    def row(self, width: int, *, line: int | None = None) -> None:
        self.rows += 1
        self.cells += width
        if self.rows > self.limits.rows:
                raise SourceError(msg("more than %(n)s rows (INNESTO_MAX_ROWS)",
                                  n=Number(self.limits.rows)), path=self.path, line=line,
                              expected=msg("a smaller table"))
        if self.cells > self.limits.cells:
            raise SourceError(msg("more than %(n)s cells (INNESTO_MAX_CELLS)",
                                  n=Number(self.limits.cells)), path=self.path, line=line,
                              expected=msg("a smaller table"))


def check_yaml(node: Any, path: Path | str) -> None:
    """Refuse a composed YAML document whose aliases expand past the limits.

    The expanded size is counted without expanding (each node's size is memoised), so a
    "billion laughs" document is refused in time linear in its text.
    """
    import yaml

    lim = current()
    sizes: dict[int, int] = {}
    seen: set[int] = set()
    aliases = 0

    def children(n: Any) -> Iterable[Any]:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                yield k
                yield v
        elif isinstance(n, yaml.SequenceNode):
            yield from n.value

    # iterative post-order (deep documents must not hit Python's recursion limit)
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        n, done = stack.pop()
        key = id(n)
        if done:
            parts = [sizes.get(id(c)) for c in children(n)]
            if None in parts:  # a child still open above us: the alias makes a cycle
                raise SourceError(msg("a YAML alias refers to the node that contains it"),
                                  path=path,
                                  expected=msg("a document without recursive aliases"))
            sizes[key] = 1 + sum(p for p in parts if p is not None)
            if sizes[key] > lim.yaml_nodes:
                raise SourceError(msg(
                    "the YAML document expands to more than %(n)s nodes through its aliases "
                    "(INNESTO_MAX_YAML_NODES)", n=Number(lim.yaml_nodes)), path=path,
                    expected=msg("a document without an alias bomb"))
            continue
        if key in seen:
            aliases += 1
            if aliases > lim.yaml_aliases:
                raise SourceError(msg("more than %(n)s YAML aliases (INNESTO_MAX_YAML_ALIASES)",
                                      n=Number(lim.yaml_aliases)), path=path,
                                  expected=msg("fewer aliases"))
            continue
        seen.add(key)
        stack.append((n, True))
        stack.extend((c, False) for c in children(n) if id(c) not in sizes)
