"""CORS for the read API and the data downloads: any origin may GET them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

SAFE = ("GET", "HEAD", "OPTIONS")


class ReadOnlyCorsMiddleware:
    """``Access-Control-Allow-Origin: *`` on GET/HEAD under ``/api/``; preflight answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") or request.method not in SAFE:
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match, Content-Type"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response
