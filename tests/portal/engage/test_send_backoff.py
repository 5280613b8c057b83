"""Issue 14: while the SMTP server was down, the newsletter worker retried about 52 times a
second. Now each failed batch waits twice as long as the one before, up to a cap."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from innesto.portal.engage import sender
from innesto.portal.engage.models import Newsletter, Subscriber, Subscription
from tests.portal.engage.helpers import make_lists

pytestmark = pytest.mark.django_db


class _Stop(Exception):
    pass


def test_the_worker_backs_off_exponentially_while_smtp_is_down(settings: Any) -> None:
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.ENGAGE_SEND_BACKOFF_BASE, settings.ENGAGE_SEND_BACKOFF_CAP = 1.0, 10.0
    lists = make_lists()
    person = Subscriber.objects.create(email="a@example.org", language="en")
    Subscription.objects.create(subscriber=person, mailing_list=lists["plan"], status="active")
    news = Newsletter.objects.create(mailing_list=lists["plan"], subject_it="S", subject_en="S",
                                     body_it="B", body_en="B")
    sender.queue(news)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 6:
            raise _Stop

    with pytest.raises(_Stop):
        sender.run(once=False, sleep=sleep)
    assert waits == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert news.deliveries.get().state == "pending"  # nothing lost, nothing sent
