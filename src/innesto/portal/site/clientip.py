"""The client's IP address, also behind a reverse proxy, and its network.

Behind a proxy (nginx, a load balancer) ``REMOTE_ADDR`` is the proxy's address. The proxy's
own addresses go in ``TRUSTED_PROXIES`` (environment ``INNESTO_TRUSTED_PROXIES``: IPs or
networks, comma-separated); for a request coming from one of them, the client is the
right-most address of ``X-Forwarded-For`` (``CLIENT_IP_HEADER``) that is not itself a
trusted proxy. A header sent by anyone else is ignored, so a client cannot choose its own
address. With no trusted proxy (the default) ``REMOTE_ADDR`` is the client.

>>> _pick("10.0.0.2", "203.0.113.9, 10.0.0.1", ["10.0.0.0/8"])
'203.0.113.9'
>>> _pick("198.51.100.7", "203.0.113.9", ["10.0.0.0/8"])
'198.51.100.7'
>>> network_of("203.0.113.9"), network_of("2001:db8::1")
('203.0.113.0/24', '2001:db8::/48')
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(specs: Sequence[str]) -> list[Network]:
    return [ipaddress.ip_network(s.strip(), strict=False) for s in specs if s.strip()]


def _trusted(addr: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def _pick(remote: str, forwarded: str, proxies: Sequence[str]) -> str:
    networks = _networks(proxies)
    if not networks or not _trusted(remote, networks):
        return remote
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a garbled header: do not trust any of it
    return remote


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (see the module documentation); None if unknown."""
    return client_ip_of(request.META)


def client_ip_of(meta: Mapping[str, Any]) -> str | None:
    """:func:`client_ip` of a request's ``META`` or a WSGI ``environ`` (the same keys)."""
    remote = meta.get("REMOTE_ADDR") or ""
    header = str(getattr(settings, "CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR"))
    ip = _pick(remote, str(meta.get(header, "")),
               list(getattr(settings, "TRUSTED_PROXIES", [])))
    return ip or None


def network_of(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of ``ip``: one client's likely neighbourhood."""
    addr = ipaddress.ip_address(ip)
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))
