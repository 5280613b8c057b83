"""Recording every change made through the back office or a CLI import.

Changes are recorded while an *actor* is known: the logged-in user of a request (set by
:class:`AuditMiddleware`) or a process that says who it is with :func:`acting_as`. Plain
``load_plan`` runs and fixture loading (``raw`` saves, e.g. ``restore``) are not edits and
are not recorded. Bulk actions go through :func:`bulk_update`, which records one entry per
object in the same transaction as the change.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.core import serializers
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

_actor: ContextVar[tuple[Any, str, str] | None] = ContextVar("innesto_audit_actor",
                                                             default=None)

AUDITED_APPS = {"plans", "engage", "backoffice", "auth", "sectors"}
NOT_AUDITED = {"backoffice.auditentry", "engage.delivery", "engage.consentrecord",
               "auth.permission"}


@contextlib.contextmanager
def acting_as(user: Any = None, name: str = "", context: str = "") -> Iterator[None]:
    """Record changes made inside the block as done by ``user`` (or ``name``)."""
    label = name or (getattr(user, "get_username", lambda: "")() if user else "") or "system"
    token = _actor.set((user if getattr(user, "pk", None) else None, label, context))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[Any, str, str] | None:
    """(user, label, context) of the block being recorded, or None outside any."""
    return _actor.get()


class AuditMiddleware:
    """Makes the request's authenticated user the actor of every change it causes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with acting_as(user, context=f"{request.method} {request.path}"[:200]):
                return self.get_response(request)
        return self.get_response(request)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The object's field values as JSON-compatible data (as ``dumpdata`` would write)."""
    data = json.loads(serializers.serialize("json", [instance]))[0]["fields"]
    if "password" in data:
        # Never copy a password hash into the log; a fingerprint still shows that it changed.
        digest = hashlib.sha256(str(data["password"]).encode()).hexdigest()[:12]
        data["password"] = f"(fingerprint {digest})"
    return dict(data)


def _audited(sender: type[models.Model]) -> bool:
    label = sender._meta.label_lower
    return sender._meta.app_label in AUDITED_APPS and label not in NOT_AUDITED


def _record(action: str, instance: models.Model, before: Any, after: Any) -> None:
    from innesto.portal.backoffice.models import AuditEntry

    actor = _actor.get()
    if actor is None:
        return
    user, label, context = actor
    AuditEntry.objects.create(
        user=user, actor=label[:150], action=action, model=instance._meta.label_lower,
        object_id=str(instance.pk), object_repr=str(instance)[:300], before=before,
        after=after, context=context)


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False,
              **kwargs: Any) -> None:
    if raw or _actor.get() is None or not _audited(sender) or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _post_save(sender: type[models.Model], instance: models.Model, created: bool,
               raw: bool = False, **kwargs: Any) -> None:
    if raw or _actor.get() is None or not _audited(sender):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if before == after:
        return
    _record("created" if created or before is None else "updated", instance, before, after)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _actor.get() is None or not _audited(sender):
        return
    _record("deleted", instance, snapshot(instance), None)


def connect() -> None:
    pre_save.connect(_pre_save, dispatch_uid="innesto_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="innesto_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="innesto_audit_post_delete")


def bulk_update(request: HttpRequest | None, queryset: models.QuerySet[Any],
                **fields: Any) -> int:
    """Update every object of ``queryset`` in one transaction, one audit entry each.

    Saves object by object (so that signals, validation and the audit log see each change);
    if anything fails, nothing is changed.
    """
    user = getattr(request, "user", None)
    context = "bulk action"
    with transaction.atomic(), acting_as(user, context=context):
        n = 0
        for obj in queryset.select_for_update():
            for name, value in fields.items():
                setattr(obj, name, value)
            obj.save()
            n += 1
    return n
