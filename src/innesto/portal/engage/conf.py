"""Mail and media settings read from the environment, imported at the end of the portal's
``settings.py`` (one line) so that the engage, back-office and report apps keep their
configuration in one place.

``EMAIL_HOST``/``EMAIL_PORT``/``EMAIL_HOST_USER``/``EMAIL_HOST_PASSWORD``/``EMAIL_USE_TLS``
    the SMTP server (Django's SMTP backend; default ``localhost:25``).
``INNESTO_EMAIL_BACKEND``  another Django mail backend (e.g. the console one in development).
``DEFAULT_FROM_EMAIL``     the sender of every message (default: the site's ``mail_sender``).
``INNESTO_SITE_URL``       the public base URL used in links inside e-mails.
``INNESTO_CONTACT_EMAIL``  where contact-form questions go when no office is responsible
                           (default: the site's ``contacts.email``).
``INNESTO_MEDIA_ROOT``     uploaded files (default ``$INNESTO_DATA_DIR/media``).
"""

from __future__ import annotations

import os
from pathlib import Path

EMAIL_BACKEND = os.environ.get("INNESTO_EMAIL_BACKEND",
                               "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") in {"1", "true", "yes"}
EMAIL_TIMEOUT = 30
# The sender and the contact address come from the plan's site.yaml
# (innesto.portal.site.identity) unless the environment sets them.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "innesto <noreply@localhost>")
DEFAULT_FROM_EMAIL_FROM_ENV = bool(os.environ.get("DEFAULT_FROM_EMAIL"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ENGAGE_SITE_URL = os.environ.get("INNESTO_SITE_URL", "http://127.0.0.1:8000")
ENGAGE_CONTACT_EMAIL = os.environ.get("INNESTO_CONTACT_EMAIL", "")
ENGAGE_SEND_LEASE = int(os.environ.get("INNESTO_SEND_LEASE", "300"))

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("INNESTO_MEDIA_ROOT") or Path(
    os.environ.get("INNESTO_DATA_DIR", "./var")).resolve() / "media")
