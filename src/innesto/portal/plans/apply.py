"""Applying a :class:`~innesto.portal.plans.merge.MergePlan`: one ordinary save or delete
per record (so the audit log and the locked-period guard see every write), parents before
children, removals first; then the vintages of every touched series are re-chained
(``superseded_at``), and a page whose public texts a load changed gets a new version in
its public history.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

from django.apps import apps
from django.db import models

from innesto.portal.plans.merge import Change, MergePlan
from innesto.portal.plans.models import (
    Actor,
    Edition,
    Indicator,
    IndicatorValue,
    Node,
)
from innesto.portal.plans.records import KINDS, Key, Record, Records
from innesto.portal.plans.stored import MODELS
from innesto.portal.plans.vintages import rechain

RELATIONS = {"previous", "parent", "node", "sectors"}
TEXTS = ["title_it", "title_en", "body_it", "body_en"]


def _backoffice() -> bool:
    return apps.is_installed("innesto.portal.backoffice")


@contextlib.contextmanager
def acting(name: str, context: str) -> Iterator[None]:
    """Record the writes in the audit log as done by ``name``, unless the caller already
    said who acts (an import by a user)."""
    if not _backoffice():
        yield
        return
    from innesto.portal.backoffice.audit import acting_as, current_actor

    if current_actor() is not None:
        yield
        return
    with acting_as(name=name, context=context[:200]):
        yield


def pinned(objs: dict[Key, models.Model]) -> set[Key]:
    """Records the back office holds beyond their fields: nodes with a draft or a published
    version, indicators due in a reporting cycle."""
    if not _backoffice():
        return set()
    from innesto.portal.backoffice.models import NodeDraft, NodeVersion, ReportingItem

    held = {("plans.node", pk) for pk in NodeDraft.objects.values_list("node_id", flat=True)}
    held |= {("plans.node", pk) for pk in NodeVersion.objects.values_list("node_id", flat=True)}
    held |= {("plans.indicator", pk)
             for pk in ReportingItem.objects.values_list("indicator_id", flat=True)}
    return {k for k, o in objs.items() if (o._meta.label_lower, o.pk) in held}


def _series(c: Change) -> tuple[str, str]:
    """(indicator key, period) of a value record's key ``ed/indicator/period/recorded``."""
    parts = c.key.split("/")
    return "/".join(parts[:2]), parts[2]


def locked_values(changes: list[Change], objs: dict[Key, models.Model]) -> list[str]:
    """The values of locked reporting periods that ``changes`` would add, change or
    delete (directly, by re-chaining a series, or with a removed indicator)."""
    if not _backoffice():
        return []
    from innesto.portal.backoffice.models import ReportingItem

    locked = set(ReportingItem.objects.filter(cycle__approved_at__isnull=False)
                 .values_list("indicator_id", "cycle__period"))
    if not locked:
        return []
    out = [line for c in changes if c.kind == "value"
           for line in [_locked_change(c, objs, locked)] if line]
    gone = {c.key for c in changes if c.kind == "indicator" and c.action == "remove"}
    out += [f"{'/'.join(key.split('/')[:3])} (indicator removed)"
            for (kind, key), obj in objs.items()
            if kind == "value" and "/".join(key.split("/")[:2]) in gone
            and (obj.indicator_id, obj.period) in locked]  # type: ignore[attr-defined]
    return out


def _locked_change(c: Change, objs: dict[Key, models.Model],
                   locked: set[tuple[int, str]]) -> str:
    """The line naming a value change of a locked period (empty for any other)."""
    ind_key, period = _series(c)
    ind = objs.get(("indicator", ind_key))
    if ind is None or (ind.pk, period) not in locked:
        return ""
    what = "; ".join(f"{f}: {d!r} -> {v!r}" for f, (d, v) in c.fields.items())
    return f"{ind_key} {period} ({c.action}{': ' + what if what else ''})"


def _order(c: Change, files: Records, objs: dict[Key, models.Model]) -> tuple[int, int, str]:
    depth = 0
    if c.kind == "node":
        rec = files.get((c.kind, c.key))
        path = rec["path"] if rec else getattr(objs.get((c.kind, c.key)), "path", "")
        depth = str(path).count("/")
    return KINDS.index(c.kind), depth, c.key


def apply_all(plan: MergePlan, files: Records, objs: dict[Key, models.Model], *,
              source: str) -> None:
    """Apply the merge's changes: removals first (children before parents), then
    additions and changes (parents first); then re-chain the touched vintages and version
    the pages whose texts changed."""
    cache: dict[Key, models.Model] = dict(objs)
    _removals(plan, files, objs, cache)
    texts: list[tuple[Node, dict[str, str]]] = []
    for c in sorted((c for c in plan.apply if c.action != "remove"),
                    key=lambda c: _order(c, files, objs)):
        rec = files[(c.kind, c.key)]
        if c.action == "add":
            cache[(c.kind, c.key)] = _create(c.kind, c.key, rec, cache)
            continue
        obj = cache[(c.kind, c.key)]
        if c.kind == "node":
            texts.append((obj, {f: str(getattr(obj, f) or "") for f in TEXTS}))  # type: ignore[arg-type]
        _set(obj, c.kind, {f: rec[f] for f in c.fields}, cache, c.key)
    for ind_key, period in sorted({_series(c) for c in plan.apply if c.kind == "value"}):
        ind = cache.get(("indicator", ind_key))
        if ind is not None:
            rechain(ind, period)  # type: ignore[arg-type]
    for node, before in texts:
        _version(node, before, source)


def _removals(plan: MergePlan, files: Records, objs: dict[Key, models.Model],
              cache: dict[Key, models.Model]) -> None:
    for c in sorted((c for c in plan.apply if c.action == "remove"),
                    key=lambda c: _order(c, files, objs), reverse=True):
        obj = cache.pop((c.kind, c.key), None)
        # read whole (the records were read without their JSON documents), so that the
        # audit log records every field; None when a parent's removal took it already
        whole = type(obj)._default_manager.filter(pk=obj.pk).first() if obj else None
        if whole is not None:
            whole.delete()


def _ed(key: str, cache: dict[Key, models.Model]) -> Edition:
    ed = key.split("/")[0]
    obj = cache.get(("edition", ed)) or Edition.objects.get(slug=ed)
    cache[("edition", ed)] = obj
    return obj  # type: ignore[return-value]


def _node(ed: str, ident: str | None, cache: dict[Key, models.Model]) -> Node | None:
    if not ident:
        return None
    return cache[("node", f"{ed}/{ident}")]  # type: ignore[return-value]


def _python(model: type[models.Model], fields: Record) -> Record:
    """Record values as model attributes (dates are ISO text in records)."""
    out = {}
    for f, v in fields.items():
        if f in RELATIONS:
            continue
        field = model._meta.get_field(f)
        out[f] = field.to_python(v) if isinstance(field, models.DateField) else v
    return out


def _create(kind: str, key: str, rec: Record, cache: dict[Key, models.Model]) -> models.Model:
    parts = key.split("/")
    plain = _python(MODELS[kind], rec)
    ed = parts[0]
    obj: models.Model
    if kind in ("actor", "sector"):
        obj = MODELS[kind](slug=key, **plain)
    elif kind == "edition":
        obj = Edition(slug=key, **plain)
    elif kind == "node":
        obj = Node(edition=_ed(key, cache), key=parts[1], **plain)
    elif kind == "indicator":
        obj = Indicator(edition=_ed(key, cache), slug=parts[1], **plain)
    elif kind == "media":
        obj = MODELS[kind](edition=_ed(key, cache), slug=parts[1], **plain)
    elif kind == "milestone":
        obj = MODELS[kind](node=_node(ed, parts[1], cache), key=parts[2], **plain)
    elif kind == "role":
        actor = cache.get(("actor", parts[2].split("#")[0])) or Actor.objects.get(
            slug=parts[2].split("#")[0])
        obj = MODELS[kind](node=_node(ed, parts[1], cache), actor=actor, **plain)
    else:
        ind = cache[("indicator", f"{ed}/{parts[1]}")]
        assert isinstance(ind, Indicator)
        obj = IndicatorValue(indicator=ind, period=parts[2],
                             recorded_at=datetime.fromisoformat("/".join(parts[3:])), **plain)
    _relations(obj, kind, rec, cache, key)
    obj.save()
    if kind == "node":
        _sectors(obj, rec.get("sectors", []))  # type: ignore[arg-type]
    return obj


def _relations(obj: models.Model, kind: str, rec: Record, cache: dict[Key, models.Model],
               key: str) -> None:
    ed = key.split("/")[0]
    if "previous" in rec:
        prev = rec["previous"]
        obj.previous = (cache.get(("edition", prev)) or  # type: ignore[attr-defined]
                        Edition.objects.filter(slug=prev).first()) if prev else None
    if kind == "node" and "parent" in rec:
        obj.parent = _node(ed, rec["parent"], cache)  # type: ignore[attr-defined]
    if kind in ("indicator", "media") and "node" in rec:
        obj.node = _node(ed, rec["node"], cache) if rec["node"] and (  # type: ignore[attr-defined]
            "node", f"{ed}/{rec['node']}") in cache else None


def _set(obj: models.Model, kind: str, fields: Record, cache: dict[Key, models.Model],
         key: str) -> None:
    for f, v in _python(type(obj), fields).items():
        setattr(obj, f, v)
    _relations(obj, kind, fields, cache, key)
    if set(fields) - {"sectors"}:
        obj.save()
    if "sectors" in fields:
        _sectors(obj, fields["sectors"])  # type: ignore[arg-type]


def _sectors(node: Node, slugs: list[str]) -> None:
    from innesto.portal.plans.models import Sector

    node.sectors.set(Sector.objects.filter(slug__in=slugs))


def _version(node: Node, before: dict[str, str], source: str) -> None:
    """A page whose public texts a load changed, and that has a public version history,
    gets a new version (so the texts it had stay visible and can be published again)."""
    if not _backoffice():
        return
    from django.utils import timezone

    from innesto.portal.backoffice.models import NodeVersion

    after = {f: str(getattr(node, f) or "") for f in TEXTS}
    last = NodeVersion.objects.filter(node=node).order_by("-number").first()
    if after == before or last is None:
        return
    if last.data != before:
        last = NodeVersion.objects.create(node=node, number=last.number + 1,
                                          published_at=timezone.now(), data=before,
                                          note="as edited in the back office")
    NodeVersion.objects.create(node=node, number=last.number + 1, published_at=timezone.now(),
                               data=after, note=f"loaded from {source or 'the plan files'}"[:300])
