"""Drafts, the publication gate and the public version history of plan pages.

Editors and translators change a :class:`NodeDraft`; :func:`publish` copies it onto the live
node only if no mandatory translation is missing (a title always, any other text when it
exists in one language), in one transaction, and records a numbered
:class:`NodeVersion` with the texts before and after. The first publication also records
the texts as loaded from the plan, as version 1.
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


def start_draft(node: Node) -> NodeDraft:
    """The node's draft, created from its live texts if there is none."""
    draft, _ = NodeDraft.objects.get_or_create(
        node=node, defaults={f: getattr(node, f) or "" for f in DRAFT_FIELDS})
    return draft


def gate(draft: NodeDraft) -> list[Missing]:
    """The mandatory translations the draft lacks (empty: it may go live)."""
    return missing_for(draft)


def _texts(obj: Any) -> dict[str, str]:
    return {f: str(getattr(obj, f) or "") for f in DRAFT_FIELDS}


def publish(draft: NodeDraft, user: Any = None) -> NodeVersion:
    """Put the draft live (or raise :class:`PublicationBlocked`); returns the new version."""
    missing = gate(draft)
    if missing:
        raise PublicationBlocked(missing)
    with transaction.atomic(), acting_as(user, name="" if user else "publish",
                                         context="publish draft"):
        node = Node.objects.select_for_update().get(pk=draft.node_id)  # type: ignore[attr-defined]
        last = node.versions.order_by("-number").first()  # type: ignore[attr-defined]
        now = timezone.now()
        if last is None:
            NodeVersion.objects.create(node=node, number=1, published_at=node.edition.loaded_at,
                                       data=_texts(node), note="as loaded from the plan")
            number = 2
        else:
            number = last.number + 1
        for f in DRAFT_FIELDS:
            setattr(node, f, getattr(draft, f))
        node.save(update_fields=DRAFT_FIELDS)
        version = NodeVersion.objects.create(
            node=node, number=number, published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
            data=_texts(draft), note=draft.note)
        draft.delete()
    return version
