"""Restoring what a change replaced, from its audit entry.

Every change of the plan's content is in the audit log with the object's field values
before it (:mod:`innesto.portal.backoffice.audit`), whoever made it: the back office, an
import or a load run with ``--overwrite``. :func:`restore` puts those values back (an
object that was deleted comes back with its id, so its URL is the same), in one
transaction, recorded in the audit log like any other change. A value restored this way is
saved as a vintage (:func:`innesto.portal.plans.vintages.record`), never over history.
"""

from __future__ import annotations

from typing import Any

from django.core import serializers
from django.db import transaction

from innesto.errors import InnestoError
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.backoffice.models import AuditEntry

RESTORABLE_APPS = {"plans"}


class CannotRestore(InnestoError):
    """The audit entry holds nothing to restore."""


def restore(entry: AuditEntry, user: Any = None) -> Any:
    """Put back the object as it was before ``entry``; returns it."""
    from innesto.portal.plans.models import IndicatorValue
    from innesto.portal.plans.vintages import record

    if entry.model.split(".")[0] not in RESTORABLE_APPS:
        raise CannotRestore(f"{entry.model} {entry.object_repr}: only plan content can be "
                            "restored from the audit log")
    if entry.before is None:
        raise CannotRestore(f"{entry.model} {entry.object_repr}: the entry records a "
                            "creation; delete the object instead")
    data = [{"model": entry.model, "pk": entry.object_id, "fields": entry.before}]
    with transaction.atomic(), acting_as(user, name="" if user else "restore",
                                         context=f"restore audit entry {entry.pk}"):
        restored = next(iter(serializers.deserialize("python", data)))
        obj = restored.object
        model = type(obj)
        exists = model._default_manager.filter(pk=obj.pk).exists()
        if isinstance(obj, IndicatorValue):
            record(obj, revise=exists)
        else:
            obj._state.adding = not exists
            obj.save()
        for name, values in (restored.m2m_data or {}).items():
            getattr(obj, name).set(values)
    return obj
