"""The plan as *records*: one flat dictionary of field values per object, from the plan
files or from the database, so that a load can compare them field by field.

A record is keyed by ``(kind, key)`` with a stable, readable key built from the plan's
ids (``node`` ``2015/axis-1``, ``milestone`` ``2015/axis-1/start``, ``value``
``2015/share/2017/2020-03-01T00:00:00+00:00``). Field names are the model's field names,
values are JSON data (dates as ISO text), so the same record can be stored as the *base* of
the next load (:class:`innesto.portal.plans.models.LoadBase`) and compared with ``==``.

:func:`from_files` says what the plan files want, :func:`from_database` what the portal
holds now. :mod:`innesto.portal.plans.merge` compares both with the base.

Example
-------
>>> from innesto.plan.examples import tiny_planset
>>> recs = from_files(tiny_planset())
>>> recs[("milestone", "2006/proj/start")]["status"]
'done'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from django.utils import timezone

from innesto.plan.i18n import Text
from innesto.plan.model import Indicator, NodeRef, Plan, PlanSet
from innesto.plan.provenance import of_value

Key = tuple[str, str]
Record = dict[str, Any]
Records = dict[Key, Record]

#: Order in which kinds are created (a parent before its children); deletions go backwards.
KINDS = ("actor", "sector", "edition", "node", "indicator", "milestone", "role", "value",
         "media")

LABELS = {"actor": "actor", "sector": "sector", "edition": "edition", "node": "node",
          "indicator": "indicator", "milestone": "milestone", "role": "role",
          "value": "value", "media": "media"}


def bi(text: Text | None, prefix: str) -> dict[str, str]:
    """``{prefix_it, prefix_en}`` of a bilingual text (empty strings when absent)."""
    if text is None:
        return {f"{prefix}_it": "", f"{prefix}_en": ""}
    return {f"{prefix}_it": text.get("it"), f"{prefix}_en": text.get("en")}


def moment(d: date) -> datetime:
    """Midnight of ``d`` in the site's time zone: when a value published on ``d`` was
    recorded."""
    return timezone.make_aware(datetime.combine(d, time(0, 0)),
                               timezone.get_default_timezone())


def instant(value: datetime) -> str:
    """A recording time as key text (UTC, ISO 8601), equal for equal instants."""
    return value.astimezone(UTC).isoformat()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def numbered(keys: Iterable[str]) -> list[str]:
    """Keys made unique by order: the second ``x`` is ``x#2`` (a node may name an actor in
    two roles)."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out


# ------------------------------------------------------------------------------ files
#: Fields the portal computes from the database's own values after every change
#: (:mod:`innesto.portal.plans.truth`): never merged, never taken from the files.
DERIVED = frozenset({"status", "status_explanation_it", "status_explanation_en"})


def from_files(ps: PlanSet, *, source: str = "", media: list[dict[str, Any]] | None = None,
               extra: dict[str, list[Any]] | None = None,
               pages: dict[str, Any] | None = None) -> Records:
    """Every record the plan set (with its media and long texts) asks the database for."""
    out: Records = {}
    for a in ps.actors:
        out[("actor", a.id)] = {"kind": a.kind, "member": a.member, "source": a.source or "",
                                **bi(a.name, "name"), **bi(a.type, "type")}
    _sectors(out, ps, {str(i["sector"]): Text(**i["body"])
                       for i in (pages or {}).get("sectors", [])})
    node_bodies = {(str(i["edition"]), str(i["node"])): Text(**i["body"])
                   for i in (pages or {}).get("nodes", [])}
    for plan in sorted(ps.editions, key=lambda p: p.edition):
        _plan(out, plan, source, extra or {}, node_bodies)
    for m in media or []:
        out[("media", f"{m['edition']}/{m['id']}")] = _media(m)
    return out


def _sectors(out: Records, ps: PlanSet, bodies: dict[str, Text]) -> None:
    for pos, s in enumerate(ps.sectors):
        rec = {"nace": list(s.nace), "industries": list(s.data_codes), "proxy": s.proxy,
               "position": pos, "source": s.source or "", **bi(s.name, "title"),
               **bi(s.note, "note")}
        if s.id in bodies:
            rec.update(bi(bodies[s.id], "body"))
        out[("sector", s.id)] = rec


def _media(m: dict[str, Any]) -> Record:
    def text(key: str) -> Text | None:
        return Text(**m[key]) if m.get(key) else None

    return {"node": m.get("node") or None, "kind": m.get("kind", "audio"),
            "filename": m.get("filename", ""),
            "file_available": bool(m.get("file_available", False)),
            "speaker": m.get("speaker", ""), **bi(text("title"), "title"),
            **bi(text("description"), "body"), **bi(text("transcript"), "transcript")}


def _plan(out: Records, plan: Plan, source: str, extra: dict[str, list[Any]],
          bodies: dict[tuple[str, str], Text]) -> None:
    ed = str(plan.edition)
    out[("edition", ed)] = {
        "year": plan.edition, "horizon": plan.horizon,
        "previous": str(plan.previous) if plan.previous else None,
        "source": plan.source or source, **bi(plan.title, "title"),
        **bi(plan.vision or plan.subtitle, "body"),
    }
    levels = {lv.id: lv.name for lv in plan.levels}
    owner: dict[str, str] = {}
    for pos, ref in enumerate(plan.iter_nodes()):
        _node(out, ed, ref, pos, levels, bodies)
        for link in ref.node.indicators:
            owner.setdefault(link.indicator, ref.node.id)
    for ind in plan.indicators:
        out[("indicator", f"{ed}/{ind.id}")] = _indicator(ind, owner.get(ind.id))
        for ob in [*ind.observations, *extra.get(ind.id, [])]:
            note = ob.revision_note
            out[("value", f"{ed}/{ind.id}/{ob.period}/{instant(moment(ob.published))}")] = {
                "value": ob.value, "provisional": ob.confidence == "C" or ob.illustrative,
                "note": note.get("it") if note else "", "note_en": note.get("en") if note else "",
                "source": ob.source or "", "published": ob.published.isoformat(),
                "provenance": of_value(ind, ob).to_dict()}


def _node(out: Records, ed: str, ref: NodeRef, pos: int, levels: dict[str, Text],
          bodies: dict[tuple[str, str], Text]) -> None:
    """The node's record and those of its milestones and roles."""
    n = ref.node
    planned = [b.planned for b in n.budget if b.planned is not None]
    spent = [b.spent for b in n.budget if b.spent is not None]
    out[("node", f"{ed}/{n.id}")] = {
        "parent": ref.path[-2] if len(ref.path) > 1 else None, "path": "/".join(ref.path),
        "kind": n.level, "position": pos, **bi(n.title, "title"),
        **bi(bodies.get((ed, n.id), n.description), "body"),
        **bi(levels.get(n.level), "level"),
        "budget_planned": float(sum(planned)) if planned else None,
        "budget_spent": float(sum(spent)) if spent else None,
        "budget_currency": n.budget[0].currency if n.budget else "EUR",
        "sources": [n.source] if n.source else [], "sectors": sorted(n.sectors),
    }
    for m in n.milestones:
        out[("milestone", f"{ed}/{n.id}/{m.id}")] = {
            "due": _iso(m.due), "done": _iso(m.done), "status": m.status,
            **bi(m.title, "title")}
    for key, r in zip(numbered(r.actor for r in n.actors), n.actors, strict=True):
        out[("role", f"{ed}/{n.id}/{key}")] = {"role": r.role}


def _indicator(ind: Indicator, node: str | None) -> Record:
    base, target = ind.baseline, ind.target
    return {
        "node": node, "direction": ind.direction,
        "sector": ind.sector or "", "confidence": ind.confidence or "",
        "illustrative": ind.illustrative,
        "baseline_period": base.period if base else "",
        "baseline_value": base.value if base else None,
        "target_period": target.period if target else "",
        "target_value": target.value if target else None,
        "source_it": ind.source or "", "source_en": ind.source or "",
        "method_it": "", "method_en": "",
        **bi(ind.name, "title"), **bi(ind.description, "body"), **bi(ind.unit, "unit"),
    }


def documents(ps: PlanSet) -> dict[Key, dict[str, Any]]:
    """The "as loaded" JSON document of every edition, node and indicator (not merged:
    it is the copy of the files the portal serves as the plan's download)."""
    out: dict[Key, dict[str, Any]] = {}
    for plan in ps.editions:
        ed = str(plan.edition)
        out[("edition", ed)] = plan.model_dump(mode="json", exclude_none=True)
        for ref in plan.iter_nodes():
            out[("node", f"{ed}/{ref.node.id}")] = ref.node.model_dump(
                mode="json", exclude_none=True, exclude={"children"})
        for ind in plan.indicators:
            out[("indicator", f"{ed}/{ind.id}")] = ind.model_dump(mode="json",
                                                                  exclude_none=True)
    return out
