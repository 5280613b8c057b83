"""Issue 14, optional TOTP for staff: a staff user enrols an authenticator (secret shown as
an ``otpauth://`` URI and as text), the back-office login then asks for the current code,
a wrong or replayed code is refused and counted by the lockout, and a setting requires it
of every staff user.

The codes are computed here from RFC 6238 (TOTP: HOTP of RFC 4226 over 30-second steps,
HMAC-SHA1, 6 digits), independently of django-otp; ``test_the_rfc_vectors`` pins that
computation to the RFC's own test vectors."""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from base64 import b32decode
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
LOGIN = "/backoffice/login/"
ENROL = "/backoffice/second-factor/"
PASSWORD = "a long and unusual passphrase 7"


def totp(key: bytes, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 section 4 with RFC 4226 section 5.3's dynamic truncation."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(code).zfill(digits)


def test_the_rfc_vectors() -> None:
    """RFC 6238 appendix B, SHA-1 column, truncated to 6 digits (the RFC shows 8)."""
    key = b"12345678901234567890"
    for at, eight in ((59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"),
                      (2000000000, "69279037")):
        assert totp(key, at, digits=8) == eight
        assert totp(key, at) == eight[2:]


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True,
                                    is_superuser=True)


def _login(client: Client, code: str | None = None) -> Any:
    data = {"username": "editor", "password": PASSWORD, "next": "/backoffice/"}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data)


def _enrol(client: Client) -> tuple[bytes, str]:
    """Enrol through the page: the key as the authenticator app reads it, and the code
    that confirmed it."""
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    uri = re.search(r'href="(otpauth://[^"]+)"', html)
    assert uri is not None
    query = parse_qs(urlsplit(uri.group(1).replace("&amp;", "&")).query)
    secret = re.search(r'id="otp-secret">([A-Z2-7=]+)<', html)
    assert secret is not None and query["secret"][0] == secret.group(1).rstrip("=")
    key = b32decode(secret.group(1) + "=" * (-len(secret.group(1)) % 8))
    assert client.post(ENROL, {"otp_token": "000000" if totp(key) != "000000"
                               else "111111"}).status_code == 200  # a wrong code: not yet
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    time.sleep(1.1)  # django-otp's own throttle: 1 s after one failure, doubling after each
    code = totp(key)
    done = client.post(ENROL, {"otp_token": code})
    assert done.status_code == 302 and done["Location"] == "/backoffice/"
    return key, code


def _next_code(key: bytes) -> str:
    """The code of the next 30-second step. django-otp accepts each step once, so the
    step used to enrol is spent; it accepts one step of clock drift either way, so the
    next step's code is good now (as an authenticator a little ahead would show)."""
    return totp(key, time.time() + 30)


def test_enrolment_then_login_asks_for_the_code(staff: User) -> None:
    client = Client()
    assert _login(client).status_code == 302  # no device yet: the password is enough
    assert ENROL in client.get("/backoffice/").content.decode()  # the link to set one up
    key, spent = _enrol(client)
    assert client.get("/backoffice/").status_code == 200  # enrolling verified this session

    fresh = Client()
    form = fresh.get(LOGIN).content.decode()
    assert 'name="otp_token"' in form and 'autocomplete="one-time-code"' in form
    without = _login(fresh)
    assert without.status_code == 200 and "_auth_user_id" not in fresh.session
    assert "authenticator" in without.content.decode().lower() or (
        "autenticazione" in without.content.decode().lower())
    wrong = _login(fresh, "123456" if totp(key) != "123456" else "654321")
    assert wrong.status_code == 200 and "_auth_user_id" not in fresh.session
    time.sleep(1.1)  # django-otp's throttle after the wrong code
    assert _login(fresh, spent).status_code == 200  # the code spent on enrolling
    time.sleep(2.1)  # throttle: 2 s after a second failure
    code = _next_code(key)
    assert _login(fresh, code).status_code == 302
    page = fresh.get("/backoffice/")
    assert page.status_code == 200 and ENROL not in page.content.decode()

    replay = Client()
    assert _login(replay, code).status_code == 200  # the same code a second time
    assert "_auth_user_id" not in replay.session


def test_wrong_codes_count_for_the_lockout(staff: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.40")
    _login(client)
    key, _ = _enrol(client)
    attacker = Client(REMOTE_ADDR="203.0.113.41")  # knows the password, not the device
    codes = [_login(attacker, f"{n:06d}").status_code for n in range(6)
             if f"{n:06d}" != totp(key)]
    assert 429 in codes
    locked = _login(attacker, _next_code(key))  # even the right code: locked out
    assert locked.status_code == 429 and "_auth_user_id" not in attacker.session


def test_a_session_without_the_code_cannot_use_the_back_office(staff: User) -> None:
    """A session that logged in with the password only (before the device existed)
    must log in again with a code once a device is confirmed."""
    other = Client()
    assert _login(other).status_code == 302
    client = Client()
    _login(client)
    _enrol(client)
    assert other.get("/backoffice/").status_code == 302  # back to the login page


def test_the_setting_requires_it_of_every_staff_user(staff: User, settings: Any) -> None:
    settings.STAFF_TOTP_REQUIRED = True
    client = Client()
    resp = _login(client)
    assert client.get("/backoffice/")["Location"] == ENROL
    assert client.get("/backoffice/plans/node/")["Location"] == ENROL
    assert resp.status_code == 302
    _enrol(client)
    assert client.get("/backoffice/").status_code == 200
