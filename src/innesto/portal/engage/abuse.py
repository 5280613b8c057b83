"""Abuse protection shared by the subscribe and contact forms.

* Rate limits per IP, per network (/24 or /48) and per mailbox, counted in the shared cache
  (fixed windows; see :mod:`innesto.portal.site.throttle`). The mailbox is normalised
  (:func:`mailbox`): case, ``+tag`` and, where the provider ignores them, dots, so that
  ``Victim+1@…`` and ``v.i.c.t.i.m+2@…`` count as one mailbox.
* A honeypot field that people never see and bots fill in.
* Time-to-submit: the form carries its signed start time and a one-time nonce; a form sent
  back sooner than ``ENGAGE_MIN_SUBMIT_SECONDS``, later than ``ENGAGE_MAX_FORM_AGE``
  (default two hours), or a second time with the same token, is treated as automated.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from innesto.portal.site import throttle

FORM_SALT = "innesto.engage.form-started"
HONEYPOT_FIELD = "website"
MAX_FORM_AGE = 2 * 3600

DEFAULT_LIMITS = {"ip": (20, 3600), "network": (60, 3600), "address": (3, 3600)}
#: providers that deliver ``j.doe`` and ``jdoe`` to the same mailbox
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox(address: str) -> str:
    """The mailbox an address delivers to, for counting (never for sending).

    >>> mailbox("V.I.Ctim+news@GoogleMail.com"), mailbox("a.b+x@Example.org")
    ('victim@gmail.com', 'a.b@example.org')
    """
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, also behind a trusted reverse proxy (``site/clientip.py``)."""
    from innesto.portal.site.clientip import client_ip as ip

    return ip(request)


def _limit(kind: str) -> tuple[int, int]:
    limits = getattr(settings, "ENGAGE_RATE_LIMITS", {})
    count, window = limits.get(kind, DEFAULT_LIMITS[kind])
    return int(count), int(window)


def hit(kind: str, scope: str, value: str | None) -> bool:
    """Count one attempt for ``value``; return False once the limit for ``kind`` is passed.

    ``kind`` is ``"ip"``, ``"network"`` (``value`` is then an IP, counted by its network)
    or ``"address"`` (counted by :func:`mailbox`, across both forms: it limits the mail one
    mailbox receives); ``scope`` separates the forms (``"subscribe"``, ``"contact"``).
    Values are hashed so that the cache holds no addresses in clear.
    """
    if not value:
        return True
    count, window = _limit(kind)
    if kind == "address":
        value, scope = mailbox(value), "mail"
    elif kind == "network":
        from innesto.portal.site.clientip import network_of

        try:
            value = network_of(value)
        except ValueError:
            return True
    return throttle.hit(f"engage:{scope}:{kind}", value.strip().lower(), limit=count,
                        window=window)


def client_allowed(request: HttpRequest, scope: str) -> bool:
    """Count one POST from this client; False once its IP or its network is over limit."""
    ip = client_ip(request)
    return hit("ip", scope, ip) and hit("network", scope, ip)


def form_started_token(at: float | None = None) -> str:
    """Signed start time and one-time nonce to put in a hidden field when a form is shown."""
    started = int(time.time() if at is None else at)
    return signing.Signer(salt=FORM_SALT).sign(f"{started}.{secrets.token_hex(8)}")


def max_form_age() -> int:
    return int(getattr(settings, "ENGAGE_MAX_FORM_AGE", MAX_FORM_AGE))


def looks_automated(data: dict[str, str]) -> bool:
    """True if the honeypot is filled, the start token is bad or already used, or the form
    came back too fast or too late."""
    if data.get(HONEYPOT_FIELD, "").strip():
        return True
    token = data.get("started", "")
    try:
        started_raw, _, nonce = signing.Signer(salt=FORM_SALT).unsign(token).partition(".")
        started = int(started_raw)
    except (signing.BadSignature, ValueError):
        return True
    elapsed = time.time() - started
    minimum = float(getattr(settings, "ENGAGE_MIN_SUBMIT_SECONDS", 3))
    if not nonce or elapsed < minimum or elapsed > max_form_age():
        return True
    # single use: the first submission of a token marks it, in the shared store
    return not cache.add(f"innesto:form-token:{nonce}", 1, timeout=max_form_age() + 60)
