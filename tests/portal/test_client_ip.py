"""Issue 14: behind a reverse proxy the client IP was the proxy's (so every client shared
one rate limit). Trusted proxies are configurable; a forged header from anyone else is
ignored."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from innesto.portal.site.clientip import client_ip, network_of


def _ip(settings: Any, remote: str, forwarded: str | None, proxies: list[str]) -> str | None:
    settings.TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    assert _ip(settings, "198.51.100.7", "203.0.113.9", []) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(settings: Any) -> None:
    assert _ip(settings, "10.0.0.2", "203.0.113.9", ["10.0.0.0/8"]) == "203.0.113.9"
    # two proxies: the right-most address that is not a proxy
    assert _ip(settings, "10.0.0.2", "203.0.113.9, 10.0.0.7", ["10.0.0.0/8"]) == "203.0.113.9"
    # a client-supplied (forged) left part is not what counts
    assert _ip(settings, "10.0.0.2", "1.2.3.4, 203.0.113.9", ["10.0.0.0/8"]) == "203.0.113.9"


def test_a_forged_header_from_an_untrusted_peer_is_ignored(settings: Any) -> None:
    assert _ip(settings, "198.51.100.7", "10.0.0.1", ["10.0.0.0/8"]) == "198.51.100.7"
    assert _ip(settings, "10.0.0.2", "garbage", ["10.0.0.0/8"]) == "10.0.0.2"


def test_networks() -> None:
    assert network_of("203.0.113.77") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
