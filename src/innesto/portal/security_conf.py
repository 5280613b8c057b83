"""The portal's security settings, read from the environment (imported by ``settings.py``).

Every value below has a documented default (docs/security.md lists them all).

Shared store
    ``REDIS_URL`` set: Redis, falling back to the database cache while Redis is down
    (:mod:`innesto.portal.site.failover`). Not set: Django's database cache (table
    ``innesto_cache``), shared by every gunicorn worker. ``INNESTO_CACHE=memory`` asks for
    per-process memory, which ``innesto serve`` refuses with more than one worker.
Reports
    ``INNESTO_REPORT_CACHE_SECONDS`` (86400), ``INNESTO_REPORT_RENDERS_PER_CLIENT`` (1),
    ``INNESTO_REPORT_RENDERS_TOTAL`` (1), ``INNESTO_REPORT_RENDER_TIMEOUT`` (300 s),
    ``INNESTO_REPORT_RENDER_BACKGROUND`` (1: render in a background process),
    ``INNESTO_REPORT_RENDER_NICE`` (19: that process's niceness).
Measures
    ``INNESTO_MEASURE_CACHE_BYTES`` (64 MiB): the per-process store of computed sector
    evidence and API measures (least recently used entries go first).
Proxies
    ``INNESTO_TRUSTED_PROXIES`` (none), ``INNESTO_CLIENT_IP_HEADER``
    (``X-Forwarded-For``), ``INNESTO_PROXY_SSL_HEADER`` (``X-Forwarded-Proto`` when
    ``INNESTO_SECURE=1``).
"""

from __future__ import annotations

import os
from typing import Any


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _cache_seconds() -> int:
    return _int("INNESTO_CACHE_SECONDS", 300)


def caches(redis_url: str | None = None, mode: str | None = None) -> dict[str, Any]:
    """``settings.CACHES`` for the environment (see the module documentation)."""
    redis_url = os.environ.get("REDIS_URL", "") if redis_url is None else redis_url
    mode = (os.environ.get("INNESTO_CACHE", "") if mode is None else mode).strip().lower()
    timeout = _cache_seconds()
    database = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "innesto_cache", "KEY_PREFIX": "innesto", "TIMEOUT": timeout,
                "OPTIONS": {"MAX_ENTRIES": _int("INNESTO_CACHE_MAX_ENTRIES", 20000)}}
    if mode == "memory":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "LOCATION": "innesto", "TIMEOUT": timeout}}
    if not redis_url:
        return {"default": database, "database": database}
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
             "LOCATION": redis_url, "KEY_PREFIX": "innesto", "TIMEOUT": timeout,
             "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}
    return {
        "default": {"BACKEND": "innesto.portal.site.failover.FailoverCache",
                    "TIMEOUT": timeout,
                    "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database",
                                "RETRY_SECONDS": _int("INNESTO_REDIS_RETRY_SECONDS", 5)}},
        "redis": redis,
        "database": database,
    }


CACHES = caches()

# Per-process memo of the sector evidence and the API's measures (LRU, bytes).
MEASURE_CACHE_BYTES = _int("INNESTO_MEASURE_CACHE_BYTES", 64 << 20)

REPORT_CACHE_SECONDS = _int("INNESTO_REPORT_CACHE_SECONDS", 86400)
REPORT_RENDERS_PER_CLIENT = _int("INNESTO_REPORT_RENDERS_PER_CLIENT", 1)
REPORT_RENDERS_TOTAL = _int("INNESTO_REPORT_RENDERS_TOTAL", 1)
REPORT_RENDER_TIMEOUT = _int("INNESTO_REPORT_RENDER_TIMEOUT", 300)
# Render in a background process at this niceness (0: in the serving process instead).
REPORT_RENDER_BACKGROUND = os.environ.get("INNESTO_REPORT_RENDER_BACKGROUND", "1").strip() != "0"
REPORT_RENDER_NICE = _int("INNESTO_REPORT_RENDER_NICE", 19)

TRUSTED_PROXIES = [p.strip() for p in os.environ.get("INNESTO_TRUSTED_PROXIES", "").split(",")
                   if p.strip()]
CLIENT_IP_HEADER = "HTTP_" + os.environ.get(
    "INNESTO_CLIENT_IP_HEADER", "X-Forwarded-For").strip().upper().replace("-", "_")
_SSL_HEADER = os.environ.get("INNESTO_PROXY_SSL_HEADER", "").strip()
if _SSL_HEADER:  # otherwise settings.py's default (X-Forwarded-Proto with INNESTO_SECURE=1)
    _name, _, _value = _SSL_HEADER.partition("=")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"),
                               _value.strip() or "https")

# Login protection: django-axes counts failed logins per client address and per user name
# (in the database: the audit of every attempt is in the back office), locks out after
# INNESTO_LOGIN_FAILURES failures for INNESTO_LOGIN_COOLOFF_MINUTES; Django's password
# validators refuse short, common, numeric or name-like passwords.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _int("INNESTO_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = _int("INNESTO_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "innesto.portal.site.clientip.client_ip"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": _int("INNESTO_PASSWORD_MIN_LENGTH", 12)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Optional TOTP for staff (backoffice/otp.py); required of all staff with this set to 1.
STAFF_TOTP_REQUIRED = os.environ.get("INNESTO_STAFF_TOTP_REQUIRED", "").strip() == "1"
OTP_TOTP_ISSUER = os.environ.get("INNESTO_TOTP_ISSUER", "innesto").strip() or "innesto"
