"""Issue 14, login brute force: 100 wrong passwords met no delay or lockout, and a staff
password of ``1`` was accepted. Now django-axes locks out after five failures (per client
address and per user name), records every attempt, and Django's validators refuse weak
passwords."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/backoffice/login/"
PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)


def _login(client: Client, password: str, username: str = "editor") -> Any:
    return client.post(LOGIN, {"username": username, "password": password,
                               "next": "/backoffice/"})


def test_wrong_passwords_lock_the_account_out_even_for_the_right_one(staff: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.20")
    codes = [_login(client, f"guess-{n}").status_code for n in range(6)]
    assert codes[:4] == [200] * 4  # the form again, with an error
    assert 429 in codes[4:]
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert "Troppi accessi non riusciti" in locked.content.decode()  # the site's language
    assert "_auth_user_id" not in client.session


def test_a_locked_user_name_stays_locked_from_another_address(staff: User) -> None:
    for n in range(5):
        _login(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), f"guess-{n}")
    assert _login(Client(REMOTE_ADDR="192.0.2.200"), PASSWORD).status_code == 429


def test_every_failure_is_recorded_for_the_audit(staff: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.21")
    _login(client, "wrong")
    _login(client, "wrong again")
    attempt = AccessAttempt.objects.get(username="editor")
    assert (attempt.failures_since_start, attempt.ip_address) == (2, "203.0.113.21")
    assert AccessFailureLog.objects.filter(username="editor").count() == 2


def test_the_right_password_still_works_before_the_limit(staff: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.22")
    _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.parametrize("weak", ["1", "password123", "12345678901234", "editor@example.org"])
def test_weak_passwords_are_refused(staff: User, weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, user=staff)


def test_a_good_password_passes_the_validators(staff: User) -> None:
    validate_password(PASSWORD, user=staff)


def test_only_administrators_see_the_login_audit(role_users: dict) -> None:
    from django.urls import reverse

    admin_user = User.objects.create(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:axes_accessfailurelog_changelist")
    client = Client()
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    client.force_login(role_users["editor"])
    assert client.get(url).status_code == 403
