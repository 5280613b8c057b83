"""A local stand-in for GISCO's distribution service: ``http.server`` in a thread on
127.0.0.1 serving the real NUTS 2021 files from ../shared/data at the official paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import require_shared
from tests.local_http import QuietHandler, serve

PREFIX = "/distribution/v2/nuts/geojson/"


@dataclass
class FakeGisco:
    """Serves ``folder/<name>`` at ``PREFIX<name>``; ``bodies`` override a path's answer."""

    url: str
    folder: Path
    bodies: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def gisco() -> Iterator[FakeGisco]:
    folder = require_shared("nuts2021-geometry-60m")
    state = FakeGisco(url="", folder=folder)

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            status, body = 404, b"<html>Not Found</html>"
            if self.path in state.bodies:
                status, body = state.bodies[self.path]
            elif self.path.startswith(PREFIX) and "/" not in self.path[len(PREFIX):]:
                file = state.folder / self.path[len(PREFIX):]
                if file.is_file():
                    status, body = 200, file.read_bytes()
            self.answer(status, body)

    with serve(Handler) as url:
        state.url = url
        yield state
