"""The status of a whole plan edition as of a date: every indicator, every node, explained.

Examples
--------
>>> from innesto.plan.examples import tiny_planset
>>> st = compute_status(tiny_planset(), edition=2006)
>>> st.nodes["axis"].outcome, st.nodes["axis"].delivery.status
('limited_progress', 'on_schedule')
>>> [n.url for n in st.tree()]
['2006/axis', '2006/axis/obj', '2006/axis/obj/proj']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from innesto.errors import PlanError
from innesto.i18n import msg
from innesto.plan.delivery import Delivery, delivery
from innesto.plan.i18n import Text
from innesto.plan.indicators import IndicatorStatus, evaluate_indicator, flag_illustrative
from innesto.plan.model import Node, Observation, Plan, PlanSet
from innesto.plan.rollup import Part, combine
from innesto.plan.status import LABELS, Status


@dataclass(frozen=True)
class NodeStatus:
    """A node's outcome status (from indicators and parts) and delivery status."""

    id: str
    title: Text
    level: str
    level_name: Text
    url: str
    depth: int
    outcome: Status
    score: float | None
    rule: str
    explanation: Text
    parts: tuple[Part, ...]
    delivery: Delivery
    #: Anything shown for the node rests on an illustrative figure (outcome or delivery).
    illustrative: bool = False
    #: The outcome status rests on an illustrative figure (an indicator's or a part's).
    illustrative_outcome: bool = False

    @property
    def label(self) -> Text:
        return LABELS[self.outcome]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title.model_dump(), "level": self.level,
            "level_name": self.level_name.model_dump(), "url": self.url, "depth": self.depth,
            "outcome": {"status": self.outcome, "label": self.label.model_dump(),
                        "score": self.score, "rule": self.rule,
                        "explanation": self.explanation.model_dump(),
                        "parts": [p.to_dict() for p in self.parts]},
            "delivery": self.delivery.to_dict(), "illustrative": self.illustrative,
            "illustrative_outcome": self.illustrative_outcome,
        }


@dataclass(frozen=True)
class PlanStatus:
    edition: int
    plan_id: str
    title: Text
    as_of: date | None
    nodes: dict[str, NodeStatus] = field(default_factory=dict)
    indicators: dict[str, IndicatorStatus] = field(default_factory=dict)

    def tree(self) -> Iterator[NodeStatus]:
        """Node statuses in document order (depth first); ``.depth`` gives the indent."""
        return iter(self.nodes.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition, "plan": self.plan_id, "title": self.title.model_dump(),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "nodes": [n.to_dict() for n in self.nodes.values()],
            "indicators": [i.to_dict() for i in self.indicators.values()],
        }


def compute_status(
    plan: Plan | PlanSet,
    as_of: date | None = None,
    *,
    edition: int | None = None,
    extra: Mapping[str, Sequence[Observation]] | None = None,
    illustrative: str | None = None,
) -> PlanStatus:
    """The status of one edition (``edition``, or the latest of a plan set) as of ``as_of``.

    Values are those published by ``as_of`` (all values when None); ``extra`` adds
    observations per indicator id (e.g. from :func:`innesto.plan.binding.resolve`).
    ``illustrative`` (``"include"`` or ``"exclude"``; default: the plan set's
    ``status.illustrative`` setting) says whether illustrative figures count. A node
    whose status or delivery rests on an illustrative figure (its own, an indicator's, a
    part's, a milestone's or a budget line's) is flagged and says so in its explanation.
    """
    if illustrative is None:
        illustrative = plan.status.illustrative if isinstance(plan, PlanSet) else "include"
    if isinstance(plan, PlanSet):
        if not plan.editions:
            raise PlanError(msg("plan set %(id)s has no edition", id=repr(plan.id)))
        try:
            plan = plan.edition(edition) if edition is not None else plan.latest
        except KeyError as exc:
            raise PlanError(exc.args[0]) from None
    extra = extra or {}
    inds = {i.id: evaluate_indicator(i, as_of, extra.get(i.id, ()), illustrative=illustrative)
            for i in plan.indicators}
    nodes = _Nodes(plan, inds, as_of, exclude=illustrative == "exclude")
    ordered = {node_id: nodes.visit(node_id) for node_id in nodes.refs}
    return PlanStatus(plan.edition, plan.id, plan.title, as_of, ordered, inds)


class _Nodes:
    """The node statuses of one edition, each computed once, children and contributing
    nodes before the node they feed."""

    def __init__(self, plan: Plan, inds: dict[str, IndicatorStatus], as_of: date | None, *,
                 exclude: bool) -> None:
        self.plan, self.inds, self.as_of, self.exclude = plan, inds, as_of, exclude
        self.refs = {r.node.id: r for r in plan.iter_nodes()}
        self.feeders: dict[str, list[tuple[Node, float]]] = {}
        for r in self.refs.values():
            for link in r.node.contributes_to:
                self.feeders.setdefault(link.node, []).append((r.node, link.weight))
        self.done: dict[str, NodeStatus] = {}

    def visit(self, node_id: str) -> NodeStatus:
        if node_id not in self.done:
            self.done[node_id] = self._status(node_id)
        return self.done[node_id]

    def _status(self, node_id: str) -> NodeStatus:
        ref = self.refs[node_id]
        node = ref.node
        parts, rests = self._parts(node)
        score, status, text = combine(parts, node.rollup)
        outcome_flag = any(rests) and status != "not_available"
        if outcome_flag:
            text = flag_illustrative(text)
        dl = self._delivery(node)
        return NodeStatus(node.id, node.title, node.level, self._level_name(node.level),
                          "/".join((str(self.plan.edition), *ref.path)), ref.depth, status,
                          score, node.rollup, text, tuple(parts), dl,
                          node.illustrative or outcome_flag or dl.illustrative, outcome_flag)

    def _parts(self, node: Node) -> tuple[list[Part], list[bool]]:
        """The node's contributors (indicators, children, nodes contributing to it) and,
        for each assessed one, whether its status rests on an illustrative figure."""
        inds = self.inds
        parts = [Part("indicator", link.indicator, inds[link.indicator].name, link.weight,
                      inds[link.indicator].status, inds[link.indicator].score)
                 for link in node.indicators]
        rests = [inds[link.indicator].illustrative for link in node.indicators
                 if link.weight > 0 and inds[link.indicator].status != "not_available"]
        for child in node.children:
            cs = self.visit(child.id)
            parts.append(Part("node", child.id, child.title, child.weight, cs.outcome, cs.score))
            rests.append(cs.illustrative_outcome and child.weight > 0)
        for other, weight in self.feeders.get(node.id, []):
            os_ = self.visit(other.id)
            parts.append(Part("node", other.id, other.title, weight, os_.outcome, os_.score))
            rests.append(os_.illustrative_outcome and weight > 0)
        return parts, rests

    def _delivery(self, node: Node) -> Delivery:
        """The delivery of the node's subtree (illustrative items left out if excluded)."""
        keep = (lambda x: not x.illustrative) if self.exclude else (lambda x: True)
        ms = [m for sub in _subtree(node) for m in sub.milestones if keep(m)]
        budget = [b for sub in _subtree(node) for b in sub.budget if keep(b)]
        return delivery(ms, budget, self.as_of)

    def _level_name(self, level: str) -> Text:
        try:
            return self.plan.level(level).name
        except KeyError:
            return Text(en=level, it=level)


def compute_all(ps: PlanSet, as_of: date | None = None,
                extra: Mapping[str, Sequence[Observation]] | None = None) -> list[PlanStatus]:
    """The status of every edition approved by ``as_of`` (all editions when None); an
    edition without an approval date counts from 1 January of its year."""
    return [compute_status(p, as_of, extra=extra, illustrative=ps.status.illustrative)
            for p in ps.editions
            if as_of is None or (p.approved or date(p.edition, 1, 1)) <= as_of]


def _subtree(node: Node) -> Iterator[Node]:
    yield node
    for c in node.children:
        yield from _subtree(c)
