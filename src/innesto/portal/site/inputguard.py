"""Refuse input no page can use before any view sees it: a NUL character in the path, the
query string or a form field (PostgreSQL refuses NUL in text, so a view that passed it on
would answer 500), with 400 instead.

JSON and multipart bodies are left to their parsers (ninja's schemas, Django's forms, whose
``CharField`` refuses NUL too)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

MESSAGE = ("Richiesta non valida: l'indirizzo o il modulo contiene un carattere NUL.\n"
           "Bad request: the address or the form contains a NUL character.\n")


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in v for v in values)


class RejectBadInputMiddleware:
    """Answer 400 to a request carrying a NUL character in its path, query or form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields: list[str] = [request.path]
        for key, values in request.GET.lists():
            fields += [key, *values]
        if request.method == "POST" and request.content_type == (
                "application/x-www-form-urlencoded"):
            for key, values in request.POST.lists():
                fields += [key, *values]
        if _has_nul(fields):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
