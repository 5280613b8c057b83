"""Write a :class:`innesto.plan.model.PlanSet` into the database, idempotently.

Actors, sectors, editions, nodes and indicators are updated in place by their stable ids,
so URLs survive reloads. Indicator values are bitemporal: an observation's ``published``
date is when the value became known (``recorded_at``); a later observation of the same
period closes the earlier row (``superseded_at``), which is the revision history.
Statuses and their explanations come from ``status_of`` (the plan library's status rules);
the portal stores them and computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from innesto.plan.i18n import Text
from innesto.plan.model import Plan, PlanSet
from innesto.portal.plans.models import (
    Actor,
    Edition,
    Indicator,
    IndicatorValue,
    Media,
    Milestone,
    Node,
    PlanSetDocument,
    Role,
    Sector,
)

#: (kind, id) -> (status, explanation it, explanation en); kind is "node" or "indicator".
StatusOf = Callable[[Plan, str, str], tuple[str, str, str] | None]


def _bi(text: Text | None, prefix: str) -> dict[str, str]:
    if text is None:
        return {f"{prefix}_it": "", f"{prefix}_en": ""}
    return {f"{prefix}_it": text.get("it"), f"{prefix}_en": text.get("en")}


def _moment(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(0, 0)), timezone.get_default_timezone())


@transaction.atomic
def load_planset(
    ps: PlanSet,
    *,
    status_of: StatusOf | None = None,
    source: str = "",
    media: list[dict[str, Any]] | None = None,
    extra: dict[str, list[Any]] | None = None,
    pages: dict[str, Any] | None = None,
) -> list[Edition]:
    """Create or update everything in ``ps``; returns the editions in year order."""
    PlanSetDocument.objects.update_or_create(slug=ps.id, defaults={
        "document": ps.model_dump(mode="json", exclude_none=True), "loaded_at": timezone.now()})
    for a in ps.actors:
        Actor.objects.update_or_create(slug=a.id, defaults={
            "kind": a.kind, "member": a.member, "source": a.source or "",
            **_bi(a.name, "name"), **_bi(a.type, "type"),
        })
    for pos, s in enumerate(ps.sectors):
        Sector.objects.update_or_create(slug=s.id, defaults={
            "nace": list(s.nace), "industries": list(s.data_codes), "proxy": s.proxy,
            "position": pos, "source": s.source or "",
            **_bi(s.name, "title"), **_bi(s.note, "note"),
        })
    editions = []
    for plan in sorted(ps.editions, key=lambda p: p.edition):
        editions.append(_load_plan(ps, plan, status_of, source, extra or {}))
    for m in media or []:
        _load_media(m)
    _load_texts(pages or {})
    return editions


def _load_texts(pages: dict[str, Any]) -> None:
    """Long texts kept beside the plan (the seed page): node and sector bodies."""
    for item in pages.get("nodes", []):
        Node.objects.filter(edition__slug=str(item["edition"]), key=item["node"]).update(
            **_bi(Text(**item["body"]), "body"))
    for item in pages.get("sectors", []):
        Sector.objects.filter(slug=item["sector"]).update(**_bi(Text(**item["body"]), "body"))


def _load_plan(ps: PlanSet, plan: Plan, status_of: StatusOf | None, source: str,
               extra: dict[str, list[Any]]) -> Edition:
    previous = Edition.objects.filter(year=plan.previous).first() if plan.previous else None
    edition, _ = Edition.objects.update_or_create(slug=str(plan.edition), defaults={
        "year": plan.edition, "horizon": plan.horizon, "previous": previous,
        "source": plan.source or source,
        "document": plan.model_dump(mode="json", exclude_none=True),
        "loaded_at": timezone.now(),
        **_bi(plan.title, "title"), **_bi(plan.vision or plan.subtitle, "body"),
    })
    levels = {lv.id: lv.name for lv in plan.levels}
    existing = {n.key: n for n in Node.objects.filter(edition=edition)}
    seen: dict[str, Node] = {}
    for pos, ref in enumerate(plan.iter_nodes()):
        n = ref.node
        node = existing.get(n.id) or Node(edition=edition, key=n.id)
        node.parent = seen.get(ref.path[-2]) if len(ref.path) > 1 else None
        node.path = "/".join(ref.path)
        node.kind = n.level
        node.position = pos
        for k, v in {**_bi(n.title, "title"), **_bi(n.description, "body"),
                     **_bi(levels.get(n.level), "level")}.items():
            setattr(node, k, v)
        st = status_of(plan, "node", n.id) if status_of else None
        node.status, node.status_explanation_it, node.status_explanation_en = st or ("", "", "")
        planned = [b.planned for b in n.budget if b.planned is not None]
        spent = [b.spent for b in n.budget if b.spent is not None]
        node.budget_planned = sum(planned) if planned else None
        node.budget_spent = sum(spent) if spent else None
        node.budget_currency = n.budget[0].currency if n.budget else "EUR"
        node.document = n.model_dump(mode="json", exclude_none=True, exclude={"children"})
        node.sources = [n.source] if n.source else []
        node.save()
        seen[n.id] = node
        node.milestones.all().delete()
        Milestone.objects.bulk_create([
            Milestone(node=node, key=m.id, due=m.due, done=m.done, status=m.status,
                      **_bi(m.title, "title"))
            for m in n.milestones
        ])
        node.roles.all().delete()
        Role.objects.bulk_create([
            Role(node=node, actor=Actor.objects.get(slug=r.actor), role=r.role)
            for r in n.actors
        ])
        node.sectors.set(Sector.objects.filter(slug__in=n.sectors))
    Node.objects.filter(edition=edition).exclude(key__in=list(seen)).delete()
    _load_indicators(plan, edition, seen, status_of, extra)
    return edition


def _load_indicators(plan: Plan, edition: Edition, nodes: dict[str, Node],
                     status_of: StatusOf | None, extra: dict[str, list[Any]]) -> None:
    owner: dict[str, Node] = {}
    for ref in plan.iter_nodes():
        for link in ref.node.indicators:
            owner.setdefault(link.indicator, nodes[ref.node.id])
    keep = []
    for ind in plan.indicators:
        st = status_of(plan, "indicator", ind.id) if status_of else None
        status, expl_it, expl_en = st or ("", "", "")
        obj, _ = Indicator.objects.update_or_create(edition=edition, slug=ind.id, defaults={
            "node": owner.get(ind.id), "direction": ind.direction,
            "sector": ind.sector or "", "confidence": ind.confidence or "",
            "illustrative": ind.illustrative,
            "baseline_period": ind.baseline.period if ind.baseline else "",
            "baseline_value": ind.baseline.value if ind.baseline else None,
            "target_period": ind.target.period if ind.target else "",
            "target_value": ind.target.value if ind.target else None,
            "status": status, "status_explanation_it": expl_it,
            "status_explanation_en": expl_en,
            "source_it": ind.source or "", "source_en": ind.source or "",
            "method_it": "", "method_en": "",
            "document": ind.model_dump(mode="json", exclude_none=True),
            **_bi(ind.name, "title"), **_bi(ind.description, "body"), **_bi(ind.unit, "unit"),
        })
        keep.append(obj.pk)
        _load_values(obj, [*ind.observations, *extra.get(ind.id, [])])
    Indicator.objects.filter(edition=edition).exclude(pk__in=keep).delete()


def _load_values(obj: Indicator, observations: list[Any]) -> None:
    """Rebuild the value history from the observations (ordered by publication)."""
    obj.values.all().delete()
    rows: list[IndicatorValue] = []
    last: dict[str, IndicatorValue] = {}
    for ob in sorted(observations, key=lambda o: (o.published, o.period)):
        row = IndicatorValue(
            indicator=obj, period=ob.period, value=ob.value,
            provisional=ob.confidence == "C" or ob.illustrative,
            note=ob.revision_note.get("it") if ob.revision_note else "",
            note_en=ob.revision_note.get("en") if ob.revision_note else "",
            source=ob.source or "", recorded_at=_moment(ob.published),
        )
        if ob.period in last:
            last[ob.period].superseded_at = row.recorded_at
        last[ob.period] = row
        rows.append(row)
    IndicatorValue.objects.bulk_create(rows)


def _load_media(m: dict[str, Any]) -> None:
    edition = Edition.objects.get(slug=str(m["edition"]))
    node = Node.objects.filter(edition=edition, key=m.get("node", "")).first()
    Media.objects.update_or_create(edition=edition, slug=m["id"], defaults={
        "node": node, "kind": m.get("kind", "audio"), "filename": m.get("filename", ""),
        "file_available": bool(m.get("file_available", False)),
        "speaker": m.get("speaker", ""),
        **_bi(Text(**m["title"]), "title"),
        **_bi(Text(**m["description"]) if m.get("description") else None, "body"),
        **_bi(Text(**m["transcript"]) if m.get("transcript") else None, "transcript"),
    })
