"""Abuse protection shared by the subscribe and contact forms.

* Rate limits per IP and per e-mail address, counted in Django's cache (fixed windows).
* A honeypot field that people never see and bots fill in.
* Time-to-submit: the form carries its signed start time; a form sent back sooner than
  ``ENGAGE_MIN_SUBMIT_SECONDS`` or later than a day is treated as automated or stale.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

FORM_SALT = "innesto.engage.form-started"
HONEYPOT_FIELD = "website"
MAX_FORM_AGE = 24 * 3600

DEFAULT_LIMITS = {"ip": (20, 3600), "address": (3, 3600)}


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (a proxy must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") or None


def _limit(kind: str) -> tuple[int, int]:
    limits = getattr(settings, "ENGAGE_RATE_LIMITS", {})
    count, window = limits.get(kind, DEFAULT_LIMITS[kind])
    return int(count), int(window)


def hit(kind: str, scope: str, value: str | None) -> bool:
    """Count one attempt for ``value``; return False once the limit for ``kind`` is passed.

    ``kind`` is ``"ip"`` or ``"address"``; ``scope`` separates the forms (``"subscribe"``,
    ``"contact"``). Values are hashed so that the cache holds no addresses in clear.
    """
    if not value:
        return True
    count, window = _limit(kind)
    bucket = int(time.time() // window)
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    key = f"engage:rl:{scope}:{kind}:{bucket}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        n = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window)
        n = 1
    return n <= count


def form_started_token(at: float | None = None) -> str:
    """Signed start time to put in a hidden field when a form is rendered."""
    started = int(time.time() if at is None else at)
    return signing.Signer(salt=FORM_SALT).sign(str(started))


def looks_automated(data: dict[str, str]) -> bool:
    """True if the honeypot is filled, the start token is bad, or the form came back too fast."""
    if data.get(HONEYPOT_FIELD, "").strip():
        return True
    try:
        started = int(signing.Signer(salt=FORM_SALT).unsign(data.get("started", "")))
    except (signing.BadSignature, ValueError):
        return True
    elapsed = time.time() - started
    minimum = float(getattr(settings, "ENGAGE_MIN_SUBMIT_SECONDS", 3))
    return elapsed < minimum or elapsed > MAX_FORM_AGE
