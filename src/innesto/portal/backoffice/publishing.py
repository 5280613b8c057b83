"""Drafts, the publication gate and the public version history of plan pages.

Editors and translators change a :class:`NodeDraft`; :func:`publish` copies it onto the live
node only if no mandatory translation is missing (a title always, any other text when it
exists in one language), in one transaction, and records a numbered
:class:`NodeVersion` with the texts before and after. The first publication also records
the texts as loaded from the plan, as version 1.

Publication is a three-way merge of the draft against the live page, field by field, with
the live texts of the moment the draft was started as the base (recorded whichever way the
draft was created: :func:`start_draft`, the admin's action or its add form). A text the
draft did not touch takes the live page's current value (a direct edit in the admin or a
load may have changed it meanwhile); a text changed both in the draft and on the live page
since is a conflict: nothing is published (:class:`DraftConflict` names each field, both
values and who changed the live page) unless the editor confirms with ``overwrite``.
Whatever a publication replaces stays: the live texts, when they differ from the last
published version, are recorded as a version of their own first ("as changed on the live
page"), and the node's change is in the audit log, restorable from there.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from innesto.errors import InnestoError
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.backoffice.models import DRAFT_FIELDS, NodeDraft, NodeVersion
from innesto.portal.backoffice.translations import Missing, missing_for
from innesto.portal.plans.models import Node


class PublicationBlocked(InnestoError):
    """A draft lacks a mandatory translation and cannot go live."""

    def __init__(self, missing: list[Missing]) -> None:
        self.missing = missing
        what = ", ".join(f"{m.field} ({m.language})" for m in missing)
        super().__init__(f"cannot publish: missing translation of {what}")


class DraftConflict(InnestoError):
    """The live page changed, since the draft was started, a text the draft changes too."""

    def __init__(self, fields: list[str], node: Any = None,
                 values: dict[str, tuple[str, str]] | None = None, who: str = "") -> None:
        self.fields = fields
        values = values or {}
        what = "; ".join(f"{f} (live page {_short(values[f][0])}, draft {_short(values[f][1])})"
                         if f in values else f for f in fields)
        by = f" by {who}" if who else ""
        super().__init__(f"cannot publish{' ' + str(node) if node else ''}: {what} changed on "
                         f"the live page{by} since the draft was started; update the draft, "
                         "or publish it overwriting them (the live texts stay in the version "
                         "history)")


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def start_draft(node: Node) -> NodeDraft:
    """The node's draft, created from its live texts if there is none."""
    live = _texts(node)
    draft, _ = NodeDraft.objects.get_or_create(node=node, defaults={**live, "base": live})
    return draft


def record_base(draft: NodeDraft) -> None:
    """A new draft without a base (made in the admin's add form) gets the live texts of
    now as its base, so that publishing it merges rather than overwrites."""
    if draft.pk is None and not draft.base and draft.node_id is not None:  # type: ignore[attr-defined]
        node = Node.objects.filter(pk=draft.node_id).first()  # type: ignore[attr-defined]
        if node is not None:
            draft.base = _texts(node)


def merged(draft: NodeDraft, live: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The texts to publish and the conflicting fields (see the module's docstring)."""
    base = draft.base or {}
    out, clash = {}, []
    for f in DRAFT_FIELDS:
        mine, now = str(getattr(draft, f) or ""), live[f]
        was = base.get(f, now)  # a draft without a base: the live page as it is
        if mine == was or mine == now:
            out[f] = now if mine == was else mine
        elif now == was:
            out[f] = mine
        else:
            out[f] = mine
            clash.append(f)
    return out, clash


def gate(draft: NodeDraft) -> list[Missing]:
    """The mandatory translations the draft lacks (empty: it may go live)."""
    return missing_for(draft)


def _texts(obj: Any) -> dict[str, str]:
    return {f: str(getattr(obj, f) or "") for f in DRAFT_FIELDS}


def _last_editor(node: Node) -> str:
    """Who last changed the live page, and when (the audit log)."""
    from innesto.portal.backoffice.models import AuditEntry

    e = AuditEntry.objects.filter(model="plans.node", object_id=str(node.pk)) \
        .order_by("-at", "-id").first()
    return f"{e.actor} on {timezone.localtime(e.at):%Y-%m-%d %H:%M}" if e else ""


def _keep_live(node: Node, last: NodeVersion | None, live: dict[str, str]) -> int:
    """Record the live texts as a version when no version has them (the texts as loaded
    first; then a direct edit or a load since the last publication); the next number."""
    if last is None:
        NodeVersion.objects.create(node=node, number=1, published_at=node.edition.loaded_at,
                                   data=live, note="as loaded from the plan")
        return 2
    if {f: str(last.data.get(f, "") or "") for f in DRAFT_FIELDS} == live:
        return last.number + 1
    NodeVersion.objects.create(node=node, number=last.number + 1, published_at=timezone.now(),
                               data=live, note="as changed on the live page")
    return last.number + 2


def publish(draft: NodeDraft, user: Any = None, *, overwrite: bool = False) -> NodeVersion:
    """Put the draft live (or raise :class:`PublicationBlocked` or :class:`DraftConflict`);
    returns the new version."""
    missing = gate(draft)
    if missing:
        raise PublicationBlocked(missing)
    with transaction.atomic(), acting_as(user, name="" if user else "publish",
                                         context="publish draft"):
        node = Node.objects.select_for_update().get(pk=draft.node_id)  # type: ignore[attr-defined]
        live = _texts(node)
        texts, clash = merged(draft, live)
        if clash and not overwrite:
            raise DraftConflict(clash, node, {f: (live[f], texts[f]) for f in clash},
                                _last_editor(node))
        now = timezone.now()
        number = _keep_live(node, node.versions.order_by("-number").first(),  # type: ignore[attr-defined]
                            live)
        for f in DRAFT_FIELDS:
            setattr(node, f, texts[f])
        node.save(update_fields=DRAFT_FIELDS)
        version = NodeVersion.objects.create(
            node=node, number=number, published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
            data=texts, note=draft.note)
        draft.delete()
    return version
