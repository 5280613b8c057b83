"""A bulk action is one transaction: SIGKILL the process half-way and the data is as before.

The action runs in a separate process (a real ``kill -9``: no exception handler, no
rollback code of ours runs); the database itself must discard the half-done transaction.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.engage.instance import Instance

SEED = """
from innesto.portal.engage.models import ContactMessage
ContactMessage.objects.bulk_create([ContactMessage(
    name=f"N{i}", email=f"n{i}@example.org", language="it", topic="general",
    topic_label="G", routed_to_name="O", routed_to_email="o@example.org", subject="S",
    message="M") for i in range(40)])
print(json.dumps(ContactMessage.objects.count()))
"""

BULK = """
import sys, time
import django
django.setup()
from django.db.models.signals import post_save
from innesto.portal.backoffice.audit import bulk_update
from innesto.portal.engage.models import ContactMessage
done = 0
def slow(sender, instance, **kw):
    global done
    done += 1
    if done == 20:
        print("half-way", flush=True)
        time.sleep(600)
post_save.connect(slow, sender=ContactMessage)
bulk_update(None, ContactMessage.objects.order_by("pk"), status="closed")
print("finished", flush=True)
"""

STATE = """
from innesto.portal.engage.models import ContactMessage
from innesto.portal.backoffice.models import AuditEntry
print(json.dumps([sorted(set(ContactMessage.objects.values_list("status", flat=True))),
                  AuditEntry.objects.count()]))
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    inst = Instance(tmp_path)
    try:
        inst.manage("migrate", "--noinput")
        yield inst
    finally:
        inst.drop()


def test_kill_9_half_way_through_a_bulk_action_leaves_the_data_as_before(
        instance: Instance) -> None:
    import subprocess
    import sys

    assert instance.python(SEED) == 40
    proc = subprocess.Popen([sys.executable, "-c", BULK], env=instance.env, cwd=instance.base,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "half-way", proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert instance.python(STATE) == [["new"], 0]
