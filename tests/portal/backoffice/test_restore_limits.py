"""Issue 14, restore: a 3 MB archive took 3.1 GB (every member was read into memory) and
members the manifest does not list were accepted. Restore now streams members to disk
within the input limits (``INNESTO_MAX_DECOMPRESSED_BYTES``, ``INNESTO_MAX_GZIP_RATIO``)
and refuses unlisted members.

The bombs are generated here (tar headers from ``tarfile``, gzip members of zeros) and
restored in a subprocess whose address space is capped with ``resource.setrlimit``; its
peak resident memory (``VmHWM``) must stay far below what the bomb expands to."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from innesto.portal.backoffice.backup import BackupError, _json_objects, backup, restore
from tests.portal.engage.instance import Instance

CAP = 3 << 30
PEAK_MIB = 700

CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
import django
django.setup()
from pathlib import Path
from innesto.portal.backoffice.backup import restore
out = {{"error": None}}
try:
    restore(Path({archive!r}))
except MemoryError:
    out["error"] = "MemoryError"
except Exception as exc:
    out["error"] = type(exc).__name__ + ": " + str(exc)
with open("/proc/self/status") as status:
    hwm = next(ln for ln in status if ln.startswith("VmHWM:"))
out["peak_mib"] = int(hwm.split()[1]) / 1024
print(json.dumps(out))
"""


def _bomb(path: Path, gib: int, name: str = "db.json") -> Path:
    """A tar.gz whose one member ``name`` is ``gib`` GiB of zeros: a tar header, then gzip
    members of 64 MiB of zeros each (about 64 KiB compressed), then the end blocks."""
    info = tarfile.TarInfo(name)
    info.size = gib << 30
    zeros = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
    with path.open("wb") as fh:
        fh.write(gzip.compress(info.tobuf(format=tarfile.GNU_FORMAT)))
        for _ in range(16 * gib):
            fh.write(zeros)
        fh.write(gzip.compress(b"\0" * 1024))
    return path


def _restore_in_child(tmp_path: Path, archive: Path) -> dict[str, Any]:
    inst = Instance(tmp_path / "target", postgres=False)
    code = CHILD.format(cap=CAP, archive=str(archive))
    r = subprocess.run([sys.executable, "-c", code], env=inst.env, cwd=inst.base,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    result: dict[str, Any] = json.loads(r.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(("gib", "limit"), [
    (4, "INNESTO_MAX_DECOMPRESSED_BYTES"),  # declared past the limit: refused at its header
    (1, "INNESTO_MAX_GZIP_RATIO"),           # within it, but expands 1000 times: stopped early
])
def test_a_bomb_archive_is_refused_with_bounded_memory(tmp_path: Path, gib: int,
                                                       limit: str) -> None:
    bomb = _bomb(tmp_path / "bomb.tar.gz", gib)
    assert bomb.stat().st_size < (gib + 1) << 20
    out = _restore_in_child(tmp_path, bomb)
    assert out["error"] is not None and out["error"].startswith("BackupError"), out
    assert limit in out["error"] and "db.json" in out["error"]
    assert out["peak_mib"] < PEAK_MIB, out


@pytest.fixture
def made(tmp_path: Path, db: None) -> Path:
    from innesto.portal.engage.models import Subscriber

    Subscriber.objects.create(email="lettore@example.org")
    archive = tmp_path / "site.tar.gz"
    backup(archive)
    return archive


def test_a_backup_is_readable_by_its_owner_only(made: Path) -> None:
    """A backup holds the subscribers' addresses and the consent log: mode 0600 (not the
    0644 of innesto's other outputs), and nothing else left beside it."""
    import stat

    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert [p.name for p in made.parent.iterdir()] == [made.name]


def _with_member(src: Path, dst: Path, name: str, data: bytes) -> Path:
    with tarfile.open(src) as a, tarfile.open(dst, "w:gz") as b:
        for member in a.getmembers():
            b.addfile(member, a.extractfile(member))
        info = tarfile.TarInfo(name)
        info.size = len(data)
        b.addfile(info, io.BytesIO(data))
    return dst


@pytest.mark.django_db(transaction=True)
def test_a_member_not_in_the_manifest_is_refused(made: Path, tmp_path: Path) -> None:
    from innesto.portal.engage.models import Subscriber

    evil = _with_member(made, tmp_path / "evil.tar.gz", "media/planted.html", b"<script>")
    with pytest.raises(BackupError, match="media/planted.html is not listed in the manifest"):
        restore(evil, force=True)
    assert Subscriber.objects.filter(email="lettore@example.org").exists()  # untouched
    assert restore(made, force=True)["rows"] > 0  # the genuine archive restores


@pytest.mark.django_db(transaction=True)
def test_member_limits_are_settings(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_MAX_DECOMPRESSED_BYTES", "100")
    with pytest.raises(BackupError, match="INNESTO_MAX_DECOMPRESSED_BYTES"):
        restore(made, force=True)


def test_rows_are_read_one_at_a_time_across_read_steps(tmp_path: Path) -> None:
    """``db.json`` is read 1 MiB at a time: objects cut by a step boundary come out whole,
    the same as ``json.load`` gives (checked on 3 MiB of rows)."""
    rows = [{"model": "x.y", "pk": i, "fields": {"text": "à" * (i % 200), "n": i / 3}}
            for i in range(20_000)]
    path = tmp_path / "db.json"
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    assert path.stat().st_size > 3 << 20
    assert list(_json_objects(path)) == json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(rows[:3])[:-30], encoding="utf-8")
    with pytest.raises(BackupError, match="broken JSON"):
        list(_json_objects(path))


@pytest.mark.django_db(transaction=True)
def test_restore_keeps_every_microsecond(tmp_path: Path) -> None:
    """Issue 14: restore truncated timestamps, the consent log's included, to milliseconds
    (Django's JSON encoder writes three decimals). The times here have microseconds that
    a millisecond copy would lose."""
    import datetime as dt

    from innesto.portal.engage.models import ConsentRecord, Subscriber

    at = dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    rec = ConsentRecord.objects.create(action="requested", email="m@example.org",
                                       lists=["plan"], language="it")
    ConsentRecord.objects.filter(pk=rec.pk).update(at=at)
    Subscriber.objects.create(email="m@example.org")
    archive = tmp_path / "us.tar.gz"
    backup(archive)
    ConsentRecord.objects.filter(pk=rec.pk).update(at=at.replace(microsecond=0))
    restore(archive, force=True)
    assert ConsentRecord.objects.get(pk=rec.pk).at == at
