"""Spreadsheet import from the browser: per-row diff (dry run), then confirm in one
transaction; bad rows import nothing; a kill -9 in the middle leaves the data as before."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innesto.plan.spreadsheet import export_plan
from innesto.portal.backoffice.importing import current_planset
from innesto.portal.backoffice.models import AuditEntry
from innesto.portal.plans.models import Node
from tests.portal.engage.instance import Instance

pytestmark = pytest.mark.django_db


def _edited_csv(new_title: str) -> tuple[bytes, str]:
    """The stored plan exported as CSV, with the English title of its first node changed."""
    ps = current_planset()
    assert ps is not None
    rows = list(csv.DictReader(io.StringIO(export_plan(ps, "csv").decode("utf-8"))))
    node = next(r for r in rows if r["table"] == "nodes")
    node["title.en"] = new_title
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8"), node["node_id"]


def _client(role_users: dict, role: str) -> Client:
    client = Client()
    client.force_login(role_users[role])
    return client


def test_preview_shows_the_row_diff_and_confirm_imports_it(tiny_plan: Any,
                                                           role_users: dict) -> None:
    data, key = _edited_csv("Renamed axis")
    before = Node.objects.get(key=key).title_en
    client = _client(role_users, "editor")
    url = reverse("backoffice_import")
    page = client.post(url, {"file": SimpleUploadedFile("plan.csv", data, "text/csv")})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Renamed axis" in html and before in html
    assert Node.objects.get(key=key).title_en == before  # the preview wrote nothing
    token = page.context["token"]
    AuditEntry.objects.all().delete()
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    assert Node.objects.get(key=key).title_en == "Renamed axis"
    entry = AuditEntry.objects.get(model="plans.node", object_repr__endswith=key,
                                   action="updated")
    assert entry.user == role_users["editor"] and entry.context == "import plan.csv"
    assert entry.after["title_en"] == "Renamed axis"


def test_a_bad_row_is_reported_and_nothing_is_imported(tiny_plan: Any,
                                                       role_users: dict) -> None:
    data, key = _edited_csv("Renamed axis")
    text = data.decode("utf-8").replace("\nnodes,", "\nnodes,,", 1)  # shift a row's cells
    page = _client(role_users, "editor").post(
        reverse("backoffice_import"),
        {"file": SimpleUploadedFile("plan.csv", text.encode("utf-8"), "text/csv")})
    assert page.status_code == 200
    assert "nothing imported" in page.content.decode()
    assert "token" not in page.context or not page.context.get("token")
    assert Node.objects.get(key=key).title_en != "Renamed axis"


def test_a_tampered_or_expired_token_imports_nothing(tiny_plan: Any, role_users: dict) -> None:
    resp = _client(role_users, "editor").post(reverse("backoffice_import"),
                                              {"token": "forged:token"})
    assert resp.status_code == 302
    assert not AuditEntry.objects.filter(context__startswith="import").exists()


DUMP = """
import hashlib
from innesto.portal.backoffice.backup import _dump_db
from innesto.portal.plans.models import Node
print(json.dumps([hashlib.sha256(_dump_db()).hexdigest(), Node.objects.count()]))
"""

EXPORT = """
import csv, io, sys
from innesto.plan.spreadsheet import export_plan
from innesto.portal.backoffice.importing import current_planset
rows = list(csv.DictReader(io.StringIO(export_plan(current_planset(), "csv").decode())))
for r in rows:
    if r["table"] == "nodes":
        r["title.en"] = "Renamed " + r["node_id"]
buf = io.StringIO()
w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\\n")
w.writeheader(); w.writerows(rows)
print(json.dumps(buf.getvalue()))
"""


def test_kill_9_in_the_middle_of_an_import_leaves_the_data_as_before(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    inst = Instance(tmp_path)
    try:
        inst.migrate()
        inst.manage("load_plan", str(root / "examples" / "torino"))
        before = inst.python(DUMP)
        upload = tmp_path / "plan.csv"
        upload.write_text(inst.python(EXPORT), encoding="utf-8")
        inst.kill_when_stalled("innesto.portal.plans.models.Node", 2,
                               "from innesto.portal.backoffice.importing import apply\n"
                               "apply(Path(sys.argv[1]), name='plan.csv')", str(upload))
        assert inst.python(DUMP) == before
    finally:
        inst.drop()
