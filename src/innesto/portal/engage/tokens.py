"""Signed links: confirmation links expire, unsubscribe links do not (RFC 8058 needs the
link alone to work, possibly years later), and both refuse any tampering."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "innesto.engage.confirm"
UNSUBSCRIBE_SALT = "innesto.engage.unsubscribe"


class LinkError(Exception):
    """A link is expired (``expired=True``) or was altered."""

    def __init__(self, *, expired: bool) -> None:
        self.expired = expired
        super().__init__("expired" if expired else "invalid")


@dataclass(frozen=True)
class ConfirmClaim:
    """Who confirms which lists, in which language, with a link issued when (ms since the
    epoch; 0 for links made before this field existed)."""

    subscriber_id: int
    list_ids: tuple[int, ...]
    language: str = ""
    issued_ms: int = 0


def confirm_max_age() -> int:
    """Seconds a confirmation link stays valid (``ENGAGE_CONFIRM_MAX_AGE``, default 3 days)."""
    return int(getattr(settings, "ENGAGE_CONFIRM_MAX_AGE", 3 * 24 * 3600))


def make_confirm_token(subscriber_id: int, list_ids: list[int], language: str = "") -> str:
    """A URL-safe, timestamped signature of who confirms which lists in which language.

    The issue time it carries lets :func:`~innesto.portal.engage.subscriptions.confirm`
    refuse a link older than the subscriber's last unsubscribe (no replay)."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    return signer.sign_object({"s": subscriber_id, "l": sorted(list_ids), "g": language,
                               "t": int(time.time() * 1000)})


def read_confirm_token(token: str) -> ConfirmClaim:
    """Check signature and age of a confirmation token; raise :class:`LinkError` if bad."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        data = signer.unsign_object(token, max_age=confirm_max_age())
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError(expired=False) from None
    try:
        return ConfirmClaim(int(data["s"]), tuple(int(x) for x in data["l"]),
                            str(data.get("g", "")), int(data.get("t", 0)))
    except (KeyError, TypeError, ValueError):
        raise LinkError(expired=False) from None


def make_unsubscribe_token(subscription_id: int) -> str:
    """A permanent signature naming one subscription (one address on one list)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription_id))


def read_unsubscribe_token(token: str) -> int:
    """The subscription id in an unsubscribe token; :class:`LinkError` if altered."""
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise LinkError(expired=False) from None
