"""Calling a WSGI application as gunicorn does, for the tests of the portal's WSGI entry
point (the front cache, the report load shedding): a plain ``environ``, a
``start_response`` that keeps what it is given, and Django's handler counting the
requests that reach it."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler


def environ(path: str, **extra: str) -> dict[str, Any]:
    """A GET of ``path`` as gunicorn would hand it over (``extra``: more environ keys)."""
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, **extra}


class Counting:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self) -> None:
        self.app, self.calls = WSGIHandler(), 0

    def __call__(self, environ: dict[str, Any], start: Any) -> Iterable[bytes]:
        self.calls += 1
        return self.app(environ, start)


def call(app: Any, path: str, **extra: str) -> tuple[str, dict[str, str], bytes]:
    """``app``'s status, headers and body for a GET of ``path`` (``extra``: environ keys)."""
    got: list[Any] = []
    body = app(environ(path, **extra),
               lambda status, headers, exc=None: got.append((status, headers)))
    data = b"".join(body)
    getattr(body, "close", lambda: None)()
    return got[0][0], dict(got[0][1]), data
