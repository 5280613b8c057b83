"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, run inside the test process.

Tests read what it received; nothing mocks Django's mail backend. ``hold`` makes the server
stop before answering the DATA command of one recipient, which is where a sender can be
killed "during the SMTP handoff" in the crash tests.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    received: list[Received] = field(default_factory=list)
    hold_for: str | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        import asyncio

        content = envelope.original_content or envelope.content  # type: ignore[attr-defined]
        msg = email.message_from_bytes(content, policy=email.policy.default)
        rcpts = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
        self.received.append(Received(envelope.mail_from, rcpts, msg))  # type: ignore[attr-defined,arg-type]
        if self.hold_for and self.hold_for in rcpts:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 connection lost"
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"SMTP server got {len(self.received)} of {count}")
            time.sleep(0.02)


class SMTPServer:
    def __init__(self) -> None:
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[Received]:
        return self.recorder.received

    def to(self, address: str) -> list[EmailMessage]:
        return self.recorder.to(address)


@pytest.fixture
def smtp_server(settings: object) -> Iterator[SMTPServer]:
    """A live SMTP server with Django's SMTP backend pointed at it."""
    server = SMTPServer()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = server.port  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
    settings.EMAIL_HOST_USER = ""  # type: ignore[attr-defined]
    settings.ENGAGE_SITE_URL = "http://testserver"  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.recorder.release.set()
        server.controller.stop()


def text_part(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def html_part(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("html",))
    assert body is not None
    return str(body.get_content())
