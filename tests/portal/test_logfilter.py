"""Refusals under a flood are summarised in the log (issue 14: a flood must not turn into
a log flood): pinned by counting the lines a real ``logging`` handler writes when Django's
own ``log_response`` reports 500 refusals, with the portal's LOGGING configuration."""

from __future__ import annotations

import io
import logging
import logging.config

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response

from innesto.portal.site import logfilter


def _configured_stream() -> io.StringIO:
    stream = io.StringIO()
    config = {**settings.LOGGING, "handlers": {
        "console": {**settings.LOGGING["handlers"]["console"], "stream": stream}}}
    logging.config.dictConfig(config)
    return stream


def _refuse(path: str, status: int) -> None:
    request = HttpRequest()
    request.path = path
    log_response("%s: %s", "Too Many Requests", path, response=HttpResponse(status=status),
                 request=request)


def test_a_flood_of_refusals_writes_one_line_then_a_count(monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(logfilter.time, "monotonic", lambda: clock[0])
    stream = _configured_stream()
    try:
        for k in range(500):
            _refuse(f"/en/report/2006/?date=2001-01-{k % 28 + 1:02d}", 429)
        assert stream.getvalue().count("\n") == 1  # 500 refusals, one line
        clock[0] += logfilter.WINDOW_SECONDS + 0.1
        _refuse("/en/report/2006/", 503)
        lines = stream.getvalue().splitlines()
        assert len(lines) == 2
        assert "499 refusals not logged" in lines[1]
        # anything else is logged line by line, as Django does
        for _ in range(3):
            _refuse("/en/nowhere/", 404)
        assert len(stream.getvalue().splitlines()) == 5
    finally:
        logging.config.dictConfig(settings.LOGGING)
