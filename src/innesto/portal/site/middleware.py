"""A small Content-Security-Policy middleware (Django 5.2 has none built in).

The policy comes from ``settings.CONTENT_SECURITY_POLICY`` (directive -> sources). A view
may set its own header with :func:`set_policy`: embeddable charts allow any
``frame-ancestors`` (:func:`allow_embedding` drops it). Pages with interactive charts keep the strict
policy too: ``charts.js`` asks Vega for its expression interpreter (``ast: true``) instead
of compiling expressions with ``Function``, so no page needs ``'unsafe-eval'``; every chart
also has a server-rendered SVG that needs no script at all. The header is set on the
response itself, so cached pages keep it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def _directives() -> dict[str, list[str]]:
    return {
        k: list(v)
        for k, v in getattr(settings, "CONTENT_SECURITY_POLICY", {"default-src": ["'self'"]}).items()
    }


def build_policy(directives: dict[str, list[str]]) -> str:
    """Serialise directives as ``name src src; name src``."""
    return "; ".join(f"{name} {' '.join(srcs)}" for name, srcs in directives.items())


def set_policy(
    response: HttpResponse,
    *,
    extra: dict[str, list[str]] | None = None,
    replace: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """Set this response's policy: the default plus ``extra`` sources, ``replace`` wins."""
    directives = _directives()
    for name, srcs in (extra or {}).items():
        directives[name] = [*directives.get(name, []), *srcs]
    directives.update(replace or {})
    response[HEADER] = build_policy(directives)
    return response


def allow_embedding(response: HttpResponse) -> HttpResponse:
    """Mark a response as embeddable in any page (charts, maps): no ``X-Frame-Options`` and
    no ``frame-ancestors`` directive. (``frame-ancestors *`` would still refuse hosts with
    an opaque origin, such as a sandboxed preview or a page opened from a file.)"""
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    directives = _directives()
    directives.pop("frame-ancestors", None)
    response[HEADER] = build_policy(directives)
    return response


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` and ``Permissions-Policy`` to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = build_policy(_directives())
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        return response
