"""Fixtures of the engage tests: the portal settings and a live SMTP server.

Django is set up here, at conftest import, because ``--doctest-modules`` imports every test
helper module (which imports models) before pytest-django's fixtures run.
"""

from __future__ import annotations

import os
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
os.environ.setdefault("SECRET_KEY", "innesto-tests-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("INNESTO_DATA_DIR", tempfile.mkdtemp(prefix="innesto-tests-"))
django.setup()

from tests.portal.engage.smtp import smtp_server  # noqa: E402,F401
