"""kill -9 of the newsletter sender in the worst place, then a restart: every subscriber
gets the newsletter exactly once.

The sender is SIGKILLed while the SMTP server holds the DATA command of the 7th recipient
(the message is on the server, the sender never heard back), with recipients 8-10 claimed
in the same batch and 11-12 still pending. After a restart, 1-6 are not sent again (they
were marked sent), 7 is not sent again (at-most-once: ``unknown``), 8-12 are sent.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

import pytest

from tests.portal.engage.instance import Instance
from tests.portal.engage.smtp import SMTPServer

# Each starts a separate instance and kills or races its sender processes.
pytestmark = pytest.mark.slow

SEED = """
from innesto.portal.engage.models import MailingList, Newsletter, Subscriber, Subscription
from innesto.portal.engage import sender
ml = MailingList.objects.get(slug="plan")
for i in range(1, 13):
    s = Subscriber.objects.create(email=f"p{i:02d}@example.org", language="it" if i % 2 else "en")
    Subscription.objects.create(subscriber=s, mailing_list=ml, status="active")
nl = Newsletter.objects.create(mailing_list=ml, subject_it="Notizie", subject_en="News",
                               body_it="Testo.", body_en="Text.")
print(json.dumps(sender.queue(nl)))
"""

STATES = """
from innesto.portal.engage.models import Delivery
print(json.dumps({d.subscription.subscriber.email: d.state
                  for d in Delivery.objects.select_related("subscription__subscriber")}))
"""


def test_kill_9_mid_batch_then_restart_sends_each_subscriber_exactly_once(
        instance: Instance) -> None:
    assert instance.python(SEED) == 12
    server = SMTPServer()
    server.recorder.hold_for = "p07@example.org"
    server.controller.start()
    smtp_env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(server.port),
                "INNESTO_SEND_LEASE": "2"}
    try:
        worker = instance.popen("send_newsletters", "--once", "--batch-size", "5", **smtp_env)
        assert server.recorder.held.wait(timeout=120), worker.communicate()
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        server.recorder.release.set()

        states = instance.python(STATES)
        by_state = Counter(states.values())
        assert by_state == {"sent": 6, "sending": 1, "claimed": 3, "pending": 2}
        assert states["p07@example.org"] == "sending"

        worker2 = instance.popen("send_newsletters", "--once", "--batch-size", "5", **smtp_env)
        out, err = worker2.communicate(timeout=120)
        assert worker2.returncode == 0, err
    finally:
        server.recorder.release.set()
        server.controller.stop()

    received = Counter(r for rec in server.received for r in rec.rcpt_tos)
    assert received == {f"p{i:02d}@example.org": 1 for i in range(1, 13)}
    final = instance.python(STATES)
    assert Counter(final.values()) == {"sent": 11, "unknown": 1}
    assert final["p07@example.org"] == "unknown"
    # Italian subscribers got the Italian subject, English ones the English subject.
    subjects = {rec.rcpt_tos[0]: rec.message["Subject"] for rec in server.received}
    assert subjects["p01@example.org"] == "Notizie"
    assert subjects["p02@example.org"] == "News"


SEED_MANY = SEED.replace("range(1, 13)", "range(1, 41)")


def test_two_workers_at_once_never_send_the_same_message_twice(instance: Instance) -> None:
    """Concurrent claims: SKIP LOCKED on PostgreSQL, one atomic UPDATE on SQLite."""
    assert instance.python(SEED_MANY) == 40
    server = SMTPServer()
    server.controller.start()
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(server.port)}
    try:
        # A pause between batches keeps both workers busy at the same time.
        workers = [instance.popen("send_newsletters", "--once", "--batch-size", "3",
                                  "--pause", "0.5", **env) for _ in range(2)]
        outputs = []
        for w in workers:
            out, err = w.communicate(timeout=300)
            assert w.returncode == 0, err
            outputs.append(out)
    finally:
        server.controller.stop()
    received = Counter(r for rec in server.received for r in rec.rcpt_tos)
    assert received == {f"p{i:02d}@example.org": 1 for i in range(1, 41)}
    assert Counter(instance.python(STATES).values()) == {"sent": 40}
    assert all(out.startswith("sent=") for out in outputs), outputs  # both took a share
