"""Issue 14: import errors showed the server's temporary paths, and uploads were left
world-readable in /tmp. Now uploads are written 0600 in a 0700 folder, removed after use
(at once when they fail), and errors name the uploaded file, never the temporary one."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own temporary folder (other tests upload at the same time)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path / "innesto-imports"


def _client(role_users: dict) -> Client:
    client = Client()
    client.force_login(role_users["editor"])
    return client


def test_a_broken_upload_is_reported_by_its_name_and_removed(tiny_plan: Any,
                                                              role_users: dict,
                                                              store: Path) -> None:
    page = _client(role_users).post(reverse("backoffice_import"), {
        "file": SimpleUploadedFile("my plan.xlsx", b"PK\x03\x04 not a workbook",
                                   "application/octet-stream")})
    assert page.status_code == 200
    html = page.content.decode()
    assert "my plan.xlsx" in html
    assert str(store) not in html and "innesto-imports" not in html
    assert list(store.iterdir()) == []  # nothing left behind


def test_a_waiting_upload_is_private(tiny_plan: Any, role_users: dict, store: Path) -> None:
    from tests.portal.backoffice.test_import import _edited_csv

    data, _ = _edited_csv("Renamed axis")
    page = _client(role_users).post(reverse("backoffice_import"),
                                    {"file": SimpleUploadedFile("plan.csv", data, "text/csv")})
    assert page.status_code == 200 and page.context["token"]
    [waiting] = list(store.iterdir())
    assert stat.S_IMODE(waiting.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    _client(role_users).post(reverse("backoffice_import"), {"token": page.context["token"]})
    assert not waiting.exists()  # removed once imported
