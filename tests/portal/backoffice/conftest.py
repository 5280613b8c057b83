"""Fixtures of the back-office tests: one staff user per role and one object per model."""

from __future__ import annotations

import os
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
os.environ.setdefault("SECRET_KEY", "innesto-tests-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("INNESTO_DATA_DIR", tempfile.mkdtemp(prefix="innesto-tests-"))
django.setup()

from tests.portal.backoffice.fixtures import objects, role_users  # noqa: E402,F401
from tests.portal.engage.smtp import smtp_server  # noqa: E402,F401
