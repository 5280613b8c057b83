"""The records of :mod:`innesto.portal.plans.records` as the database holds them, and the
writes that change one record: every write is an ordinary ``save``/``delete`` of one
object, so the audit log and the locked-period guard see each of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import models

from innesto.portal.plans.models import (
    Actor,
    Edition,
    Indicator,
    IndicatorValue,
    Media,
    Milestone,
    Node,
    Role,
    Sector,
)
from innesto.portal.plans.records import Key, Record, Records, instant, numbered

FIELDS: dict[str, list[str]] = {
    "actor": ["kind", "member", "source", "name_it", "name_en", "type_it", "type_en"],
    "sector": ["nace", "industries", "proxy", "position", "source", "title_it", "title_en",
               "note_it", "note_en", "body_it", "body_en"],
    "edition": ["year", "horizon", "source", "title_it", "title_en", "body_it", "body_en"],
    "node": ["path", "kind", "position", "title_it", "title_en", "body_it", "body_en",
             "level_it", "level_en", "budget_planned", "budget_spent", "budget_currency",
             "sources"],
    "indicator": ["direction", "sector", "confidence", "illustrative", "baseline_period",
                  "baseline_value", "target_period", "target_value", "source_it", "source_en",
                  "method_it", "method_en", "title_it", "title_en", "body_it", "body_en",
                  "unit_it", "unit_en"],
    "milestone": ["due", "done", "status", "title_it", "title_en"],
    "role": ["role"],
    "value": ["value", "provisional", "note", "note_en", "source", "published", "provenance"],
    "media": ["kind", "filename", "file_available", "speaker", "title_it", "title_en",
              "body_it", "body_en", "transcript_it", "transcript_en"],
}
MODELS: dict[str, type[models.Model]] = {
    "actor": Actor, "sector": Sector, "edition": Edition, "node": Node,
    "indicator": Indicator, "milestone": Milestone, "role": Role, "value": IndicatorValue,
    "media": Media,
}


def _json(v: Any) -> Any:
    if isinstance(v, datetime):
        return instant(v)
    if isinstance(v, date):
        return v.isoformat()
    return v


def _fields(obj: models.Model, kind: str) -> Record:
    return {f: _json(getattr(obj, f)) for f in FIELDS[kind]}


def _float(v: Any) -> Any:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


class _Collect:
    """The records being read, with the object behind each."""

    def __init__(self) -> None:
        self.recs: Records = {}
        self.objs: dict[Key, models.Model] = {}

    def put(self, kind: str, key: str, obj: models.Model, more: Record | None = None) -> None:
        self.recs[(kind, key)] = {**_fields(obj, kind), **(more or {})}
        self.objs[(kind, key)] = obj


def from_database(editions: Iterable[str]) -> tuple[Records, dict[Key, models.Model]]:
    """The records the database holds for ``editions`` (and every actor and sector), with
    the object behind each record."""
    eds = sorted(set(editions))
    c = _Collect()
    for a in Actor.objects.all():
        c.put("actor", a.slug, a)
    for s in Sector.objects.all():
        c.put("sector", s.slug, s)
    # ``document`` (the JSON copy materialised from these records) is not a record field:
    # never read here, it is the bulk of the rows.
    for e in Edition.objects.filter(slug__in=eds).select_related("previous").defer(
            "document", "previous__document"):
        c.put("edition", e.slug, e, {"previous": e.previous.slug if e.previous else None})
    _nodes(c, eds)
    _indicators(c, eds)
    for md in Media.objects.filter(edition__slug__in=eds).select_related(
            "edition", "node").defer("edition__document", "node__document"):
        c.put("media", f"{md.edition.slug}/{md.slug}", md,
              {"node": md.node.key if md.node else None})
    return c.recs, c.objs


def _nodes(c: _Collect, eds: list[str]) -> None:
    """Nodes (with their sectors), milestones and roles."""
    sectors: dict[int, list[str]] = {}
    for node_id, slug in Sector.nodes.through.objects.filter(
            node__edition__slug__in=eds).values_list("node_id", "sector__slug"):
        sectors.setdefault(node_id, []).append(slug)
    for n in Node.objects.filter(edition__slug__in=eds).select_related(
            "edition", "parent").defer("document", "edition__document", "parent__document"):
        rec = _fields(n, "node")
        for f in ("budget_planned", "budget_spent"):
            rec[f] = _float(rec[f])
        c.put("node", f"{n.edition.slug}/{n.key}", n, {
            **rec, "parent": n.parent.key if n.parent else None,
            "sectors": sorted(sectors.get(n.pk, []))})
    for m in Milestone.objects.filter(node__edition__slug__in=eds).select_related(
            "node__edition").defer("node__document", "node__edition__document").order_by("id"):
        c.put("milestone", f"{m.node.edition.slug}/{m.node.key}/{m.key}", m)
    by_node: dict[Node, list[Role]] = {}
    for r in Role.objects.filter(node__edition__slug__in=eds).select_related(
            "node__edition", "actor").defer("node__document", "node__edition__document"
                                            ).order_by("id"):
        by_node.setdefault(r.node, []).append(r)
    for node, roles in by_node.items():
        for key, r in zip(numbered(r.actor.slug for r in roles), roles, strict=True):
            c.put("role", f"{node.edition.slug}/{node.key}/{key}", r)


def _indicators(c: _Collect, eds: list[str]) -> None:
    """Indicators and every vintage of their values."""
    for i in Indicator.objects.filter(edition__slug__in=eds).select_related(
            "edition", "node").defer("document", "edition__document", "node__document"):
        rec = _fields(i, "indicator")
        for f in ("baseline_value", "target_value"):
            rec[f] = _float(rec[f])
        c.put("indicator", f"{i.edition.slug}/{i.slug}", i,
              {**rec, "node": i.node.key if i.node else None})
    for v in IndicatorValue.objects.filter(indicator__edition__slug__in=eds).select_related(
            "indicator__edition").defer("indicator__document", "indicator__edition__document"):
        rec = _fields(v, "value")
        rec["value"] = _float(rec["value"])
        c.put("value", f"{v.indicator.edition.slug}/{v.indicator.slug}/{v.period}/"
                       f"{instant(v.recorded_at)}", v, rec)


def normalise(recs: Records) -> Records:
    """File records with numbers as the database gives them back (floats)."""
    floats = {"budget_planned", "budget_spent", "baseline_value", "target_value", "value"}
    return {k: {f: (_float(v) if f in floats else v) for f, v in r.items()}
            for k, r in recs.items()}
