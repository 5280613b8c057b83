"""Drafts, the publication gate and the public version history of plan pages.

Editors and translators change a :class:`NodeDraft`; :func:`publish` copies it onto the live
node only if no mandatory translation is missing (a title always, any other text when it
exists in one language), in one transaction, and records a numbered
:class:`NodeVersion` with the texts before and after. The first publication also records
the texts as loaded from the plan, as version 1.

Publication is a three-way merge of the draft against the live page, with the live texts
of the moment the draft was started as the base: a text the draft did not touch takes the
live page's current value (a load may have changed it meanwhile); a text changed both in
the draft and on the live page since is a conflict, and the draft is not published
(:class:`DraftConflict`) unless ``overwrite``.
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

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(f"cannot publish: {', '.join(fields)} changed on the live page since "
                         "the draft was started (a load or another publication); update the "
                         "draft or publish it overwriting them")


def start_draft(node: Node) -> NodeDraft:
    """The node's draft, created from its live texts if there is none."""
    live = {f: getattr(node, f) or "" for f in DRAFT_FIELDS}
    draft, _ = NodeDraft.objects.get_or_create(node=node, defaults={**live, "base": live})
    return draft


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


def publish(draft: NodeDraft, user: Any = None, *, overwrite: bool = False) -> NodeVersion:
    """Put the draft live (or raise :class:`PublicationBlocked` or :class:`DraftConflict`);
    returns the new version."""
    missing = gate(draft)
    if missing:
        raise PublicationBlocked(missing)
    with transaction.atomic(), acting_as(user, name="" if user else "publish",
                                         context="publish draft"):
        node = Node.objects.select_for_update().get(pk=draft.node_id)  # type: ignore[attr-defined]
        texts, clash = merged(draft, _texts(node))
        if clash and not overwrite:
            raise DraftConflict(clash)
        last = node.versions.order_by("-number").first()  # type: ignore[attr-defined]
        now = timezone.now()
        if last is None:
            NodeVersion.objects.create(node=node, number=1, published_at=node.edition.loaded_at,
                                       data=_texts(node), note="as loaded from the plan")
            number = 2
        else:
            number = last.number + 1
        for f in DRAFT_FIELDS:
            setattr(node, f, texts[f])
        node.save(update_fields=DRAFT_FIELDS)
        version = NodeVersion.objects.create(
            node=node, number=number, published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
            data=texts, note=draft.note)
        draft.delete()
    return version
