"""Django is set up at import (``--doctest-modules`` imports helpers before fixtures)."""

from __future__ import annotations

import os
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
os.environ.setdefault("SECRET_KEY", "innesto-tests-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("INNESTO_DATA_DIR", tempfile.mkdtemp(prefix="innesto-tests-"))
django.setup()
