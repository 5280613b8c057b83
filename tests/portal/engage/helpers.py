"""Small helpers shared by the engage tests."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from django.core import signing
from django.test import Client

from innesto.portal.engage.abuse import form_started_token
from innesto.portal.engage.models import MailingList


def make_lists() -> dict[str, MailingList]:
    """The whole-plan list (from the data migration) plus an axis and a sector list."""
    lists = {"plan": MailingList.objects.get(slug="plan")}
    lists["axis"] = MailingList.objects.create(slug="axis-2", kind="axis", ref="2",
                                               name_it="Asse 2", name_en="Axis 2")
    lists["sector"] = MailingList.objects.create(
        slug="sector-aerospace", kind="sector", ref="aerospace",
        name_it="Aerospazio", name_en="Aerospace")
    return lists


def started(seconds_ago: float = 30) -> str:
    """A form start token as if the page had been opened ``seconds_ago`` seconds ago."""
    return form_started_token(at=time.time() - seconds_ago)


def subscribe_data(email: str, *lists: MailingList, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {"email": email, "lists": [m.pk for m in lists],
                               "consent": "on", "started": started(), "website": ""}
    data.update(extra)
    return data


def link_path(text: str, marker: str) -> str:
    """Path of the first http(s) link in ``text`` whose path contains ``marker``."""
    for url in re.findall(r"https?://\S+", text):
        if marker in url:
            return urlsplit(url).path
    raise AssertionError(f"no link containing {marker!r} in:\n{text}")


def old_token(obj: object, salt: str, age_seconds: int) -> str:
    """A TimestampSigner token signed ``age_seconds`` ago (to test expiry)."""

    class Past(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - age_seconds)

    return Past(salt=salt).sign_object(obj)


def csrf_client() -> Client:
    """A client that enforces CSRF like a real browser or mail client would face."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
