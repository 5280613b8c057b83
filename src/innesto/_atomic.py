"""Write files atomically: to a temporary file beside the target, then rename into place.

Every output innesto writes (panels, CSV, plans, archives) goes through here, so a failed
or killed run never leaves a half-written file, and the finished file gets the ordinary
permissions of a new file (``0666`` less the umask) rather than ``tempfile``'s ``0600``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temporary_path(path: str | Path, *, suffix: str | None = None) -> Path:
    """A path where nothing exists yet, beside ``path`` (in a new private folder of
    ``path``'s folder, which is created if needed), for a writer to create.

    The file does not exist yet on purpose: a writer opening an existing file truncates
    it, and Linux's ext4 then writes the whole file out to disk when it is closed
    (``auto_da_alloc``, its guard for programs that rewrite a file in place): 70 ms on
    the 190 MB ``cells`` table of ``bench/peers.py``'s set (a), on the command's critical
    path. A new file's pages go to disk later, after the command has returned, as any
    ordinary write's do. :func:`place` renames it onto ``path``; :func:`discard` removes it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f".innesto-{path.name}.", dir=path.parent)
    return Path(folder) / f".innesto-{path.name}{suffix or '.tmp'}"


def place(tmp: Path, path: str | Path) -> Path:
    """Give the written ``tmp`` (from :func:`temporary_path`) the ordinary permissions of a
    new file and rename it onto ``path``, replacing what was there in one step."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)
    os.rmdir(tmp.parent)
    return Path(path)


def discard(tmp: Path) -> None:
    """Remove ``tmp`` (from :func:`temporary_path`) and its private folder, if there."""
    tmp.unlink(missing_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.rmdir(tmp.parent)


@contextmanager
def atomic_path(path: str | Path, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside the target (:func:`temporary_path`: nothing exists
    there yet); rename it to ``path`` on success.

    The folder is created if needed. If the body raises, the temporary file is removed and
    ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('done', ['out.txt'])
    """
    tmp = temporary_path(path, suffix=suffix)
    try:
        yield tmp
        place(tmp, path)
    except BaseException:
        discard(tmp)
        raise


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8 by default) and return the path."""
    return write_bytes(path, text.encode(encoding))


#: The journal of a write of several files (:func:`write_together`), in their folder.
JOURNAL = ".innesto-commit.json"


def write_together(folder: str | Path, files: dict[Path, str],
                   remove: list[Path] | None = None) -> list[Path]:
    """Write several files of ``folder`` (and remove others) as one change: after a crash
    or a ``kill -9`` the folder holds either all the old files or all the new ones.

    Every file is first written to a temporary file beside its target. Then a journal
    naming each temporary file and its target is written atomically: that is the moment
    the change happens. The temporary files are renamed into place and the journal
    removed. A crash before the journal leaves the old files (the temporary ones are
    removed by the next :func:`recover`); a crash after it is finished by :func:`recover`,
    which every read and write of the folder calls first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_together(d, {d / "a.txt": "A", d / "b" / "c.txt": "C"})
    >>> sorted(p.name for p in d.rglob("*.txt")), (d / JOURNAL).exists()
    (['a.txt', 'c.txt'], False)
    """
    import json

    root = Path(folder)
    recover(root)
    moves: list[list[str]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".innesto-{path.name}.", suffix=".tmp",
                                        dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(name, 0o666 & ~_umask())
            moves.append([name, str(path)])
        plan = {"moves": moves, "remove": [str(p) for p in remove or []]}
        write_text(root / JOURNAL, json.dumps(plan))
    except BaseException:
        for tmp, _ in moves:
            Path(tmp).unlink(missing_ok=True)
        raise
    recover(root)
    return list(files)


def recover(folder: str | Path) -> None:
    """Finish a :func:`write_together` that a crash interrupted after its journal was
    written (no-op otherwise; safe when two processes finish the same one)."""
    import json

    journal = Path(folder) / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    for tmp, target in plan["moves"]:
        with contextlib.suppress(FileNotFoundError):  # already moved
            os.replace(tmp, target)
    for gone in plan["remove"]:
        Path(gone).unlink(missing_ok=True)
    journal.unlink(missing_ok=True)
