"""Backup and restore of a whole portal: database, uploaded media and consent log in one file.

The archive is a gzip'd tar with::

    manifest.json       format, time, source database, applied migrations, sha256 per member
    db.json             every row (Django's JSON serialisation, database-agnostic)
    consent-log.csv     the consent log, readable without innesto
    media/...           the files under MEDIA_ROOT

``db.json`` is read in one transaction (a consistent snapshot), and the archive is written
to a temporary file beside the target and renamed, so a crash never leaves half an archive.
Restore streams the members to a temporary folder (never a whole member in memory, every
size within the limits of :mod:`innesto.sources.limits`) and refuses an archive with a
member the manifest does not list or whose digest differs; it migrates the target, then in
**one transaction** empties the tables and loads the rows, read one at a time, with their
primary keys (so every URL, and every download, is the same as before); media are swapped
in once the database has committed.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from innesto.errors import InnestoError

FORMAT = "innesto-backup/1"
# Rebuilt by ``migrate`` on the target (content types, permissions), not worth keeping
# (sessions), or cache state, not content: the page cache's version is bumped by the
# restore's own saves, so every page cached before the restore is invalidated anyway.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session",
           "site.contentversion"}


class BackupError(InnestoError):
    """A backup could not be written or an archive cannot be restored."""


def dumped_models() -> list[type[models.Model]]:
    """Concrete models whose rows go into the backup, parents before children."""
    ordered = serializers.sort_dependencies(
        [(cfg, None) for cfg in apps.get_app_configs()], allow_cycles=True)
    return [m for m in ordered if m._meta.label_lower not in SKIPPED
            and not m._meta.proxy and m._meta.managed]


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder keeps only milliseconds of a datetime; a backup keeps every
    microsecond, so that a restored consent log or audit trail is the original one."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _dump_db() -> bytes:
    out = io.StringIO()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # A snapshot of the whole database; inside a caller's transaction, that one's.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects = (obj for model in dumped_models()
                   for obj in model._base_manager.order_by("pk").iterator())
        serializers.serialize("json", objects, stream=out, indent=1, cls=_ExactJSONEncoder,
                              use_natural_foreign_keys=True, use_natural_primary_keys=False)
    return out.getvalue().encode("utf-8")


def _consent_csv() -> bytes:
    from innesto.portal.engage.models import ConsentRecord

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["at", "action", "email", "lists", "language", "ip", "consent_version",
                "consent_sha256", "consent_text"])
    for r in ConsentRecord.objects.order_by("at", "id"):
        w.writerow([r.at.isoformat(), r.action, r.email, " ".join(r.lists), r.language,
                    r.ip or "", r.consent_version, r.consent_sha256, r.consent_text])
    return buf.getvalue().encode("utf-8")


def _add(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(target: Path) -> dict[str, Any]:
    """Write the archive to ``target`` atomically; return its manifest."""
    target = Path(target)
    now = time.time()
    members: dict[str, bytes] = {"db.json": _dump_db(), "consent-log.csv": _consent_csv()}
    media = media_root()
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "database": connection.vendor,
        "migrations": sorted(f"{a}.{n}" for a, n in
                             MigrationRecorder(connection).applied_migrations()),
        "sha256": {k: hashlib.sha256(v).hexdigest() for k, v in members.items()},
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    # Not innesto._atomic: a backup holds the subscribers and the consent log, so it keeps
    # mkstemp's owner-only mode (0600) instead of the ordinary mode of a new file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            for path in files:
                rel = path.relative_to(media).as_posix()
                data = path.read_bytes()
                manifest["sha256"][f"media/{rel}"] = hashlib.sha256(data).hexdigest()
                _add(tar, f"media/{rel}", data, path.stat().st_mtime)
            for name, data in members.items():
                _add(tar, name, data, now)
            _add(tar, "manifest.json",
                 json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"), now)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


#: largest manifest.json read (it lists names and digests only)
MANIFEST_BYTES = 16 << 20


def _safe_name(archive: Path, member: tarfile.TarInfo) -> str:
    name = member.name
    if (name.startswith("/") or ".." in Path(name).parts or "\\" in name
            or not (member.isfile() or member.isdir())):
        raise BackupError(f"{archive}: unsafe member {name!r} (expected plain files under "
                          "relative names)")
    return name


class _Unpacker:
    """Streams an archive's members to ``staging`` in 1 MiB steps, hashing as it goes.

    Every member's size is checked against the limits (``INNESTO_MAX_DECOMPRESSED_BYTES``
    for one member and for all of them, ``INNESTO_MAX_GZIP_RATIO`` past 16 MiB) before and
    while it is read, so a decompression bomb is refused after at most one step; no member
    is ever held whole in memory (only ``manifest.json``, at most 16 MiB)."""

    def __init__(self, archive: Path, staging: Path, raw: Any) -> None:
        from innesto.sources.limits import current

        self.archive, self.staging, self.raw = archive, staging, raw
        self.limits = current()
        self.total = 0
        self.digests: dict[str, str] = {}
        self.manifest: bytes | None = None

    def _check(self, name: str, declared: int = 0) -> None:
        """Refuse when ``declared`` more bytes would pass the limit, or when the bytes
        read so far expand past the ratio (checked on what was read: a large member
        that does not compress is legitimate)."""
        lim = self.limits
        out = self.total + declared
        if out > lim.decompressed_bytes or (
                self.total > (16 << 20)
                and self.total > lim.gzip_ratio * max(self.raw.tell(), 1)):
            raise BackupError(
                f"{self.archive}: member {name} expands past the limits "
                f"(INNESTO_MAX_DECOMPRESSED_BYTES={lim.decompressed_bytes}, "
                f"INNESTO_MAX_GZIP_RATIO={lim.gzip_ratio}); not an innesto backup, or "
                "raise the limits")

    def member(self, tar: tarfile.TarFile, info: tarfile.TarInfo) -> None:
        name = _safe_name(self.archive, info)
        if info.isdir():
            return
        if name in self.digests or (name == "manifest.json" and self.manifest is not None):
            raise BackupError(f"{self.archive}: member {name} appears twice")
        self._check(name, info.size)
        if name == "manifest.json" and info.size > MANIFEST_BYTES:
            raise BackupError(f"{self.archive}: manifest.json is {info.size} bytes "
                              f"(at most {MANIFEST_BYTES})")
        src = tar.extractfile(info)
        assert src is not None
        digest = hashlib.sha256()
        manifest = bytearray()
        dest = self.staging / "members" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as out:
            while chunk := src.read(1 << 20):
                self.total += len(chunk)
                self._check(name)
                digest.update(chunk)
                if name == "manifest.json":
                    manifest += chunk
                else:
                    out.write(chunk)
        if name == "manifest.json":
            self.manifest = bytes(manifest)
        else:
            self.digests[name] = digest.hexdigest()


def _unpack(archive: Path, staging: Path) -> dict[str, Any]:
    """Stream ``archive``'s members into ``staging/members`` and check them against the
    manifest: every listed member present with its digest, nothing that is not listed."""
    try:
        with open(archive, "rb") as raw, tarfile.open(fileobj=raw, mode="r:gz") as tar:
            unpacker = _Unpacker(archive, staging, raw)
            for info in tar:
                unpacker.member(tar, info)
    except (OSError, EOFError, tarfile.TarError, zlib.error) as exc:
        raise BackupError(f"{archive}: not a readable innesto backup ({exc})") from None
    if unpacker.manifest is None:
        raise BackupError(f"{archive}: no manifest.json (expected an innesto backup)")
    manifest = json.loads(unpacker.manifest)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: format {manifest.get('format')!r} "
                          f"(expected {FORMAT!r})")
    listed = manifest.get("sha256", {})
    unknown = sorted(set(unpacker.digests) - set(listed))
    if unknown:
        raise BackupError(f"{archive}: member {unknown[0]} is not listed in the manifest "
                          "(the archive was changed after it was made)")
    for name, digest in listed.items():
        if unpacker.digests.get(name) != digest:
            raise BackupError(f"{archive}: member {name} is missing or damaged")
    if "db.json" not in listed:
        raise BackupError(f"{archive}: no db.json (expected an innesto backup)")
    return manifest  # type: ignore[no-any-return]


def _json_objects(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of the JSON array in ``path`` one at a time, reading 1 MiB at a time
    (``db.json`` may be larger than memory should hold)."""
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as fh:
        buf = ""
        started = False
        eof = False
        while True:
            buf = buf.lstrip(" \t\r\n,")
            if not started and buf:
                if buf[0] != "[":
                    raise BackupError(f"{path.name}: expected a JSON array of rows")
                buf, started = buf[1:].lstrip(), True
                continue
            if started and buf.startswith("]"):
                return
            try:
                obj, end = decoder.raw_decode(buf)
            except json.JSONDecodeError:
                if eof:
                    raise BackupError(f"{path.name}: broken JSON near "
                                      f"{buf[:40]!r}") from None
                chunk = fh.read(1 << 20)
                eof = not chunk
                buf += chunk
                continue
            yield obj
            buf = buf[end:]


def _has_content() -> bool:
    from innesto.portal.engage.models import Subscriber
    from innesto.portal.plans.models import Edition

    return Edition.objects.exists() or Subscriber.objects.exists()


def restore(archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``archive`` into this instance (which must be empty unless ``force``).

    The members are streamed to a staging folder beside the media and checked against the
    manifest first; the rows are then read from ``db.json`` one at a time and saved in one
    transaction; the media folder is swapped in once that has committed."""
    archive = Path(archive)
    media = media_root()
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent if
                                    media.parent.exists() else None))
    try:
        manifest = _unpack(archive, staging)
        _check_target(archive, manifest, force)
        count = _load_rows(staging / "members" / "db.json")
        new_media = staging / "members" / "media"
        new_media.mkdir(parents=True, exist_ok=True)
        if media.exists():
            old = media.with_name(f".{media.name}.old-{os.getpid()}")
            media.rename(old)
            new_media.rename(media)
            shutil.rmtree(old, ignore_errors=True)
        else:
            media.parent.mkdir(parents=True, exist_ok=True)
            new_media.rename(media)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return {**manifest, "rows": count}


def _check_target(archive: Path, manifest: dict[str, Any], force: bool) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    applied = {f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()}
    newer = sorted(set(manifest.get("migrations", [])) - applied)
    if newer:
        raise BackupError(f"{archive}: made by a newer innesto (migrations unknown here: "
                          f"{', '.join(newer[:5])}); upgrade innesto first")
    if _has_content() and not force:
        raise BackupError("the target instance already has a plan or subscribers; restore "
                          "into an empty instance (or pass --force to replace everything)")


def _load_rows(db_json: Path) -> int:
    """Empty the tables and save every row of ``db_json``, in one transaction."""
    with transaction.atomic():
        _empty_tables()
        count = 0
        deferred = []
        for obj in serializers.deserialize("python", _json_objects(db_json),
                                           handle_forward_references=True):
            obj.save()
            count += 1
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
        _reset_sequences()
    return count


def _empty_tables() -> None:
    """Delete every row the backup replaces, many-to-many links first (constraints are
    checked at commit, so the order only matters for readability)."""
    for model in reversed(dumped_models()):
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            if through is not None and through._meta.auto_created:
                through._base_manager.all()._raw_delete(using=connection.alias)
        model._base_manager.all()._raw_delete(using=connection.alias)  # type: ignore[attr-defined]


def _reset_sequences() -> None:
    """After loading explicit primary keys, make new rows continue after the largest."""
    sql = connection.ops.sequence_reset_sql(no_style(), dumped_models())
    if sql:
        with connection.cursor() as cur:
            for statement in sql:
                cur.execute(statement)
