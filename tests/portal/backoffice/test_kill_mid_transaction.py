"""A bulk action is one transaction: SIGKILL the process half-way and the data is as before.

The action runs in a separate process (a real ``kill -9``: no exception handler, no
rollback code of ours runs); the database itself must discard the half-done transaction.
"""

from __future__ import annotations

from tests.portal.engage.instance import Instance

SEED = """
from innesto.portal.engage.models import ContactMessage
ContactMessage.objects.bulk_create([ContactMessage(
    name=f"N{i}", email=f"n{i}@example.org", language="it", topic="general",
    topic_label="G", routed_to_name="O", routed_to_email="o@example.org", subject="S",
    message="M") for i in range(40)])
print(json.dumps(ContactMessage.objects.count()))
"""

STATE = """
from innesto.portal.engage.models import ContactMessage
from innesto.portal.backoffice.models import AuditEntry
print(json.dumps([sorted(set(ContactMessage.objects.values_list("status", flat=True))),
                  AuditEntry.objects.count()]))
"""


def test_kill_9_half_way_through_a_bulk_action_leaves_the_data_as_before(
        instance: Instance) -> None:
    assert instance.python(SEED) == 40
    instance.kill_when_stalled(
        "innesto.portal.engage.models.ContactMessage", 20,
        "from innesto.portal.backoffice.audit import bulk_update\n"
        "bulk_update(None, ContactMessage.objects.order_by('pk'), status='closed')")
    assert instance.python(STATE) == [["new"], 0]
