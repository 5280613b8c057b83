"""``innesto backup`` / ``innesto restore``: a round trip into an empty instance gives the
same site, byte for byte in its downloads, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.engage.instance import Instance

ROOT = Path(__file__).resolve().parents[2]

SEED = """
from pathlib import Path
from django.conf import settings
from django.core.management import call_command
from innesto.portal.engage.models import MailingList, Subscriber, Subscription, ConsentRecord
call_command("load_plan", str(Path(%r)), verbosity=0)
ml = MailingList.objects.get(slug="plan")
s = Subscriber.objects.create(email="lettrice@example.org", language="en")
Subscription.objects.create(subscriber=s, mailing_list=ml, status="active")
ConsentRecord.objects.create(action="requested", email=s.email, lists=["plan"], language="en",
                             ip="203.0.113.9", consent_version="2026-1")
media = Path(settings.MEDIA_ROOT) / "uploads"
media.mkdir(parents=True, exist_ok=True)
(media / "messaggio.wav").write_bytes(bytes(range(256)) * 40)
print(json.dumps(True))
"""

DOWNLOADS = """
import hashlib
from django.test import Client
from django.urls import reverse
from innesto.portal.backoffice.backup import _dump_db
from innesto.portal.plans.models import Edition
c = Client()
urls = [reverse("plans:planset-json")]
for ed in Edition.objects.order_by("slug"):
    urls += [reverse("plans:plan-json", args=[ed.slug]),
             reverse("plans:plan-datapackage", args=[ed.slug])]
    urls += [reverse("plans:plan-table-csv", args=[ed.slug, t])
             for t in ("nodes", "indicators", "values")]
out = {}
for url in urls:
    resp = c.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    out[url] = hashlib.sha256(resp.content).hexdigest()
out["db"] = hashlib.sha256(_dump_db()).hexdigest()
print(json.dumps(out))
"""


def postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "postgres":
        if not postgres_available():
            # CI names its PostgreSQL in DATABASE_URL: there a missing server is a failure.
            if os.environ.get("DATABASE_URL", "").startswith("postgres"):
                pytest.fail("DATABASE_URL names PostgreSQL but 127.0.0.1:5432 does not answer")
            pytest.skip("no PostgreSQL on 127.0.0.1:5432")
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/innesto")
    return str(request.param)


@pytest.fixture
def instances(tmp_path: Path, backend: str) -> Iterator[tuple[Instance, Instance]]:
    pg = backend == "postgres"
    a = Instance(tmp_path / "a", postgres=pg)
    b = Instance(tmp_path / "b", postgres=pg)
    try:
        yield a, b
    finally:
        a.drop()
        b.drop()


def innesto(inst: Instance, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "innesto.cli.app", *args], env=inst.env,
                          cwd=inst.base, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_backup_then_restore_into_an_empty_instance_gives_the_same_site(
        instances: tuple[Instance, Instance], tmp_path: Path) -> None:
    a, b = instances
    a.migrate()
    assert a.python(SEED % str(ROOT / "examples" / "torino")) is True
    archive = tmp_path / "site.tar.gz"
    done = innesto(a, "backup", "-o", str(archive))
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob(".site.tar.gz.*"))  # no temporary file left behind
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "db.json", "consent-log.csv",
            "media/uploads/messaggio.wav"} <= names

    restored = innesto(b, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    before, after = a.python(DOWNLOADS), b.python(DOWNLOADS)
    assert len(before) >= 6
    assert after == before
    assert (b.media / "uploads" / "messaggio.wav").read_bytes() == bytes(range(256)) * 40

    # A second restore into the now non-empty instance is refused, and changes nothing.
    again = innesto(b, "restore", str(archive))
    assert again.returncode == 1
    assert "empty instance" in again.stderr
    assert b.python(DOWNLOADS) == before


def test_a_damaged_archive_is_refused_with_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from innesto.cli.app import _register, app

    _register()
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not an archive")
    result = CliRunner().invoke(app, ["restore", str(bad)])
    assert result.exit_code == 1
    assert "not a readable innesto backup" in result.output


SMALL = """
from pathlib import Path
from django.conf import settings
from innesto.portal.engage.models import MailingList, Subscriber, Subscription
ml = MailingList.objects.get(slug="plan")
for i in range(10):
    s = Subscriber.objects.create(email=f"s{i}@example.org")
    Subscription.objects.create(subscriber=s, mailing_list=ml, status="active")
(Path(settings.MEDIA_ROOT) / "doc.txt").write_text("allegato")
print(json.dumps(Subscriber.objects.count()))
"""

COUNT = """
from innesto.portal.engage.models import Subscriber
print(json.dumps(Subscriber.objects.count()))
"""


@pytest.mark.slow
def test_kill_9_during_a_restore_leaves_the_target_as_it_was(
        instances: tuple[Instance, Instance], tmp_path: Path) -> None:

    a, b = instances
    a.migrate()
    assert a.python(SMALL) == 10
    archive = tmp_path / "small.tar.gz"
    assert innesto(a, "backup", "-o", str(archive)).returncode == 0
    b.migrate()
    b.kill_when_stalled("innesto.portal.engage.models.Subscriber", 5,
                        "from innesto.portal.backoffice.backup import restore\n"
                        "restore(Path(sys.argv[1]))", str(archive))
    assert b.python(COUNT) == 0  # nothing half-restored
    assert not (b.media / "doc.txt").exists()
    done = innesto(b, "restore", str(archive))  # and a clean restore still works
    assert done.returncode == 0, done.stderr
    assert b.python(COUNT) == 10
    assert (b.media / "doc.txt").read_text() == "allegato"


@pytest.mark.django_db
def test_an_archive_from_a_newer_innesto_is_refused(tmp_path: Path) -> None:
    import io
    import json

    from typer.testing import CliRunner

    from innesto.cli.app import _register, app

    _register()
    made = tmp_path / "now.tar.gz"
    assert CliRunner().invoke(app, ["backup", "-o", str(made)]).exit_code == 0
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(made) as src, tarfile.open(newer, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"].append("engage.9999_from_the_future")
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    result = CliRunner().invoke(app, ["restore", str(newer)])
    assert result.exit_code == 1
    assert "made by a newer innesto" in result.output
    assert "engage.9999_from_the_future" in result.output
