"""Cross-reference checks of a plan: ids that must exist, ids that must be unique, loops in
the roll-up, and translations a plan declares mandatory.

Each problem carries its location as a path of field names and list indices (the same form
as Pydantic's error ``loc``), so the YAML and spreadsheet readers can turn it into a file,
line and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from innesto.i18n import N_, Message, msg
from innesto.plan.i18n import Text
from innesto.plan.model import Indicator, Node, Plan, PlanSet

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """A reference or translation problem at ``loc`` (a path of field names and indices)."""

    loc: Loc
    message: str


def dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc) or "(plan)"


def _dupes(items: list[Any], key: str, loc: Loc, what: str) -> list[Problem]:
    seen: set[Any] = set()
    out = []
    for i, item in enumerate(items):
        k = getattr(item, key)
        if k in seen:
            out.append(Problem((*loc, i, key), msg("duplicate %(what)s %(k)s", what=Message(what),
                                               k=repr(k))))
        seen.add(k)
    return out


def _texts(obj: Any, loc: Loc) -> Iterator[tuple[Loc, Text]]:
    if isinstance(obj, Text):
        yield loc, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), (*loc, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _texts(item, (*loc, i))


def reference_problems(ps: PlanSet) -> list[Problem]:
    """Every broken cross-reference, duplicate id and missing mandatory translation."""
    out: list[Problem] = []
    out += _dupes(ps.actors, "id", ("actors",), N_("actor id"))
    out += _dupes(ps.sectors, "id", ("sectors",), N_("sector id"))
    out += _dupes(ps.editions, "edition", ("editions",), N_("edition"))
    actors = {a.id for a in ps.actors}
    sectors = {s.id for s in ps.sectors}
    editions = {p.edition: p for p in ps.editions}
    for e, plan in enumerate(ps.editions):
        out += _plan_problems(plan, ("editions", e), actors, sectors, editions)
        langs = plan.languages or ps.languages
        for loc, text in _texts(plan, ("editions", e)):
            for lang in text.missing(langs):
                out.append(Problem((*loc, lang), msg("missing %(lang)s text (mandatory: %(items)s)",
                                                 lang=lang, items=', '.join(langs))))
    for loc, text in _texts(ps.model_copy(update={"editions": []}), ()):
        for lang in text.missing(ps.languages):
            out.append(Problem((*loc, lang), msg("missing %(lang)s text (mandatory: %(items)s)",
                                             lang=lang, items=', '.join(ps.languages))))
    return out


@dataclass(frozen=True)
class _Known:
    """The ids a node of ``plan`` may refer to."""

    plan: Plan
    levels: list[str]
    indicators: set[str]
    actors: set[str]
    sectors: set[str]
    editions: dict[int, Plan]


def _plan_problems(
    plan: Plan, at: Loc, actors: set[str], sectors: set[str], editions: dict[int, Plan]
) -> list[Problem]:
    out = _dupes(plan.levels, "id", (*at, "levels"), N_("level id"))
    out += _dupes(plan.indicators, "id", (*at, "indicators"), N_("indicator id"))
    known = _Known(plan, [lv.id for lv in plan.levels], {i.id for i in plan.indicators},
                   actors, sectors, editions)
    if plan.previous is not None and plan.previous not in editions:
        out.append(Problem((*at, "previous"), msg("no edition %(previous)s to follow",
                                              previous=plan.previous)))
    for i, ind in enumerate(plan.indicators):
        out += _indicator_problems(ind, (*at, "indicators", i), sectors)
    ids: set[str] = set()
    locs: dict[str, Loc] = {}
    for node, loc in _node_locs(plan.nodes, (*at, "nodes")):
        if node.id in ids:
            out.append(Problem((*loc, "id"), msg("duplicate node id %(id)s", id=repr(node.id))))
        ids.add(node.id)
        locs[node.id] = loc
        out += _level_problems(node, loc, known.levels)
        out += _link_problems(node, loc, known)
        out += _dupes(node.milestones, "id", (*loc, "milestones"), N_("milestone id"))
        out += _lineage_problems(node, loc, known)
    for node, loc in _node_locs(plan.nodes, (*at, "nodes")):
        for k, contrib in enumerate(node.contributes_to):
            if contrib.node not in ids or contrib.node == node.id:
                out.append(Problem((*loc, "contributes_to", k, "node"),
                                   msg("unknown or own node %(node)s", node=repr(contrib.node))))
    out += _cycles(plan, locs)
    return out


def _indicator_problems(ind: Indicator, iloc: Loc, sectors: set[str]) -> list[Problem]:
    """Unknown sectors, a target not after its baseline, two values for one vintage."""
    out = []
    if ind.sector is not None and ind.sector not in sectors:
        out.append(Problem((*iloc, "sector"), msg("unknown sector %(sector)s",
                                              sector=repr(ind.sector))))
    if ind.binding and ind.binding.sector and ind.binding.sector not in sectors:
        out.append(Problem((*iloc, "binding", "sector"), msg("unknown sector %(sector)s",
                sector=repr(ind.binding.sector))))
    if ind.baseline and ind.target and _year(ind.target.period) <= _year(ind.baseline.period):
        out.append(Problem((*iloc, "target", "period"), msg("the target period must follow the baseline period")))
    seen: set[tuple[str, date]] = set()
    for o, obs in enumerate(ind.observations):
        if (obs.period, obs.published) in seen:
            out.append(Problem((*iloc, "observations", o), msg("two values for period %(period)s published on %(published)s",
                    period=obs.period, published=obs.published)))
        seen.add((obs.period, obs.published))
    return out


def _level_problems(node: Node, loc: Loc, levels: list[str]) -> list[Problem]:
    """An unknown level, or a child whose level is not below the node's."""
    if node.level not in levels:
        return [Problem((*loc, "level"), msg("unknown level %(level)s; levels are %(levels)s",
                                         level=repr(node.level), levels=levels))]
    return [Problem((*loc, "children", c, "level"), msg("level %(level)s cannot sit under %(level2)s",
            level=repr(child.level), level2=repr(node.level)))
            for c, child in enumerate(node.children)
            if child.level in levels and levels.index(child.level) <= levels.index(node.level)]


def _link_problems(node: Node, loc: Loc, known: _Known) -> list[Problem]:
    """Sectors, indicators, actors and funders the node names but the plan lacks."""
    out = [Problem((*loc, "sectors"), msg("unknown sector %(sector)s", sector=repr(s)))
           for s in node.sectors if s not in known.sectors]
    out += [Problem((*loc, "indicators", k, "indicator"), msg("unknown indicator %(indicator)s",
            indicator=repr(link.indicator)))
            for k, link in enumerate(node.indicators) if link.indicator not in known.indicators]
    out += [Problem((*loc, "actors", k, "actor"), msg("unknown actor %(actor)s",
            actor=repr(role.actor)))
            for k, role in enumerate(node.actors) if role.actor not in known.actors]
    out += [Problem((*loc, "budget", k, "funder"), msg("unknown actor %(actor)s",
            actor=repr(line.funder)))
            for k, line in enumerate(node.budget)
            if line.funder is not None and line.funder not in known.actors]
    return out


def _lineage_problems(node: Node, loc: Loc, known: _Known) -> list[Problem]:
    """Lineage links to an edition that is missing or this one, or to a missing node."""
    out = []
    for k, lin in enumerate(node.lineage):
        other = known.editions.get(lin.edition)
        if other is None or lin.edition == known.plan.edition:
            out.append(Problem((*loc, "lineage", k, "edition"), msg("no other edition %(edition)s",
                    edition=lin.edition)))
        elif lin.node not in {r.node.id for r in other.iter_nodes()}:
            out.append(Problem((*loc, "lineage", k, "node"), msg("no node %(node)s in edition %(edition)s",
                    node=repr(lin.node), edition=lin.edition)))
    return out


def _node_locs(nodes: list[Node], loc: Loc) -> Iterator[tuple[Node, Loc]]:
    for i, node in enumerate(nodes):
        yield node, (*loc, i)
        yield from _node_locs(node.children, (*loc, i, "children"))


def _cycles(plan: Plan, locs: dict[str, Loc]) -> list[Problem]:
    """Roll-up follows children and ``contributes_to`` links: it must not loop."""
    edges: dict[str, list[str]] = {}
    for ref in plan.iter_nodes():
        n = ref.node
        edges.setdefault(n.id, []).extend(c.id for c in n.children)
        for link in n.contributes_to:
            edges.setdefault(link.node, []).append(n.id)
    state: dict[str, int] = {}
    out: list[Problem] = []

    def visit(u: str) -> None:
        state[u] = 1
        for v in edges.get(u, []):
            if state.get(v) == 1:
                out.append(Problem((*locs.get(v, ()), "contributes_to"), msg("roll-up loop through %(u)s and %(v)s",
                        u=repr(u), v=repr(v))))
            elif v not in state:
                visit(v)
        state[u] = 2

    for u in list(edges):
        if u not in state:
            visit(u)
    return out


def _year(period: str) -> int:
    try:
        return int(str(period)[:4])
    except ValueError:
        return 0


def translation_gaps(ps: PlanSet, langs: tuple[str, ...] = ("it", "en")) -> list[tuple[Loc, str]]:
    """Every text lacking one of ``langs``, mandatory or not (for a translation queue)."""
    out: list[tuple[Loc, str]] = []
    for loc, text in _texts(ps, ()):
        out.extend((loc, lang) for lang in text.missing(langs))
    return out


def code_problems(ps: PlanSet) -> list[Problem]:
    """Sector codes that are not NACE Rev. 2 (``nace``) or ATECO 2007 (``ateco``) codes.

    Kept out of :func:`reference_problems` because it loads the classification tables;
    ``innesto plan validate`` runs it.
    """
    from innesto.classifications import label
    from innesto.errors import ClassificationError

    out: list[Problem] = []
    for i, sector in enumerate(ps.sectors):
        for field, classification in (("nace", "NACE_R2"), ("ateco", "ATECO2007")):
            for k, code in enumerate(getattr(sector, field)):
                try:
                    label(code, classification=classification)
                except ClassificationError as exc:
                    out.append(Problem(("sectors", i, field, k), exc.args[0]))   # its Message
    return out
