"""Django settings for the innesto portal, read from the environment.

Environment variables
---------------------
``INNESTO_DEBUG``      ``1`` for development (default ``0``).
``SECRET_KEY``         required unless DEBUG (a development key is used only then).
``DATABASE_URL``       any dj-database-url URL; default SQLite under the data directory.
``INNESTO_DATA_DIR``   where SQLite, caches and collected static files live (default ``./var``).
``REDIS_URL``          cache and rate limits in Redis (database cache while it is down);
                       the database cache otherwise (see docs/security.md).
``ALLOWED_HOSTS``      comma-separated (default ``127.0.0.1,localhost`` and ``testserver``).
``INNESTO_SECURE``     ``1`` behind HTTPS: HSTS, secure cookies and SSL redirect.
``INNESTO_CACHE_SECONDS`` lifetime of cached pages (default 300).
``INNESTO_FRONT_CACHE_MB`` each worker's memory for cached pages (default 64; 0: none).
``INNESTO_FRONT_CACHE_CHECK_MS`` how often each worker reads the content version, i.e. how
                       long another process's edit may take to reach it (default 100; 0:
                       at every request).

Apps are listed once in :data:`PORTAL_APPS`; another app (for instance
``innesto.portal.engage``) is added with one line there and one in ``urls.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url


def _env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


PORTAL_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("INNESTO_DATA_DIR", "./var")).resolve()

DEBUG = _env_bool("INNESTO_DEBUG", False)
_DEV_KEY = "innesto-development-key-not-for-production-use-0123456789abcdefghijklmnop"
# The test suite and mypy's Django plugin (both load these settings) get the development
# key too; a served site without SECRET_KEY refuses to start.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    _DEV_KEY if DEBUG or "pytest" in sys.modules or "mypy" in sys.modules else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY is not set: export SECRET_KEY=... (or INNESTO_DEBUG=1 for development)"
    )
if not DEBUG and SECRET_KEY != _DEV_KEY and (
        len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
        or SECRET_KEY.startswith("django-insecure-")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY is too weak (at least 50 characters, not repetitive): make one with "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

# One line per portal app; issue-6 apps (engage, backoffice, reports) are added here.
PORTAL_APPS = [
    "innesto.portal.site",
    "innesto.portal.plans",
    "innesto.portal.sectors",
    "innesto.portal.api",
    "innesto.portal.engage",
    "innesto.portal.backoffice",
    "innesto.portal.reports",
    "innesto.portal.backoffice.adminconfig.BackofficeAdminConfig",  # django.contrib.admin
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",
    "axes",  # login throttling, lockout and audit (issue 14; settings in security_conf)
    "django_otp",  # optional TOTP second factor for staff (backoffice/otp.py)
    "django_otp.plugins.otp_totp",
    *PORTAL_APPS,
]

MIDDLEWARE = [
    # First: answers repeated anonymous GETs of cached pages from memory (site/cache.py).
    "innesto.portal.site.cache.FrontCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "innesto.portal.site.middleware.ContentSecurityPolicyMiddleware",
    "innesto.portal.reports.shedding.ReportSheddingMiddleware",  # before any query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "innesto.portal.api.cors.ReadOnlyCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "innesto.portal.backoffice.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "innesto.portal.site.inputguard.RejectBadInputMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "innesto.portal.urls"
WSGI_APPLICATION = "innesto.portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "innesto.portal.site.context.portal",
            ],
        },
    }
]

if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'innesto.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_SECONDS = int(os.environ.get("INNESTO_CACHE_SECONDS", "300"))
# Data whose latest period is more than this many years old are flagged on the pages.
INNESTO_DATA_MAX_AGE_YEARS = int(os.environ.get("INNESTO_DATA_MAX_AGE_YEARS", "3"))
CACHE_MIDDLEWARE_SECONDS = CACHE_SECONDS
# Each worker's in-memory copy of cached answers to anonymous visitors (0 turns it off).
FRONT_CACHE_MB = int(os.environ.get("INNESTO_FRONT_CACHE_MB", "64"))
# How long a worker trusts its last read of the content version: the bound on how late an
# edit saved by another process reaches this worker's memory (0: read at every request).
FRONT_CACHE_CHECK_MS = int(os.environ.get("INNESTO_FRONT_CACHE_CHECK_MS", "100"))
# CACHES (shared by all workers: Redis with a database fallback, or the database cache)
# come from innesto.portal.security_conf, imported at the end.

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [PORTAL_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Rome"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers (check --deploy is clean with INNESTO_SECURE=1 and a real SECRET_KEY).
SECURE = _env_bool("INNESTO_SECURE", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None

CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # Vega renders with inline style attributes on its SVG/tooltip elements.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # refusals (429/503) under a flood: one line per 10 s per worker, with a count
    "filters": {"refusals": {"()": "innesto.portal.site.logfilter.RefusalSummary"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("INNESTO_LOG_LEVEL", "WARNING")},
}

# Mail, media and the engage/back-office/report settings (issue 6), from the environment.
from innesto.portal.engage.conf import *  # noqa: E402,F403

# Shared cache and limiter, report limits, proxies, login protection, input limits.
from innesto.portal.security_conf import *  # noqa: E402,F403
