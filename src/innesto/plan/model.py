"""The strategic plan as data: editions, a tree of named levels, indicators, actors, money.

A :class:`PlanSet` is what a planning body keeps: its actors, the sectors it speaks of
(mapped to NACE/ATECO codes) and the successive plan *editions* (Torino: 2000, 2006, 2015).
A :class:`Plan` (one edition) has named, bilingual :class:`Level` s and a tree of
:class:`Node` s of any depth (axis / objective / project, ...). Nodes link to indicators
and to other nodes they serve (many-to-many, with weights), name their actors' roles, and
carry budgets and milestones. Every element has a stable ``id`` (a slug that survives edits
of its text); a node's permanent address is ``edition/<path of ids>``
(:meth:`Plan.url_path`).

Cross-references (a level, an actor, an indicator named by id) are checked by
:func:`reference_problems`, which also reports missing mandatory translations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from innesto.i18n import msg
from innesto.plan.i18n import LANGS, Lang, Str, Text

#: A stable identifier: lower-case letters, digits, ``-``, ``_`` and ``.`` (usable in URLs).
Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9._-]*$")]


def _period(v: object) -> object:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


#: A period such as ``"2006"`` (a YAML year written without quotes is accepted).
Period = Annotated[str, BeforeValidator(_period), StringConstraints(strip_whitespace=True, min_length=1)]
Confidence = Literal["A", "B", "C", "disputed"]
Rollup = Literal["weighted_mean", "worst_of", "share_on_track"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Sourced(_Model):
    """Provenance every figure carries: where it comes from and how sure we are.

    ``source`` names the publisher and document, ``dataset`` the publisher's table code
    (``nama_10r_3empers``), ``licence`` the licence or rights statement under which the
    figure is shown (each source keeps its own: a press figure is quoted, never
    relicensed), ``retrieved`` the day innesto got it. ``confidence`` follows
    ``torino-facts.md``: A read in a primary source, B secondary, C partly confirmed,
    ``disputed`` sources disagree. ``proxy=True`` marks a figure measured with something
    broader than what it stands for; ``illustrative=True`` a figure that could not be
    sourced and is there to show how the platform works. An observation's release
    (vintage) date is its ``published`` date.
    """

    source: Str | None = None
    dataset: Str | None = None
    licence: Str | None = None
    retrieved: date | None = None
    confidence: Confidence | None = None
    proxy: bool = False
    illustrative: bool = False
    note: Text | None = None


class Level(_Model):
    id: Slug
    name: Text


class Actor(Sourced):
    """An organisation or a person; ``member`` marks the planning association's members."""

    id: Slug
    name: Text
    kind: Literal["organisation", "person"] = "organisation"
    type: Text | None = None
    member: bool = False


class Sector(Sourced):
    """A sector of the plan as a set of codes: ``nace``/``ateco`` say what it means;
    ``data_codes`` are the industry codes used in the evidence engine's panel (with
    ``proxy=True`` when those codes are broader than the sector); ``divisions`` are finer
    codes measured where a table publishes them (NACE divisions at NUTS 2)."""

    id: Slug
    name: Text
    nace: list[Str] = Field(default_factory=list)
    ateco: list[Str] = Field(default_factory=list)
    data_codes: list[Str] = Field(default_factory=list)
    #: NACE divisions that measure the sector in a NUTS 2 table (the site's
    #: ``regions.divisions``), finer than ``data_codes``: ``[C29]``.
    divisions: list[Str] = Field(default_factory=list)


class Point(_Model):
    """A value at a period (``"2006"``)."""

    value: float
    period: Period


class Trajectory(_Model):
    """The path from baseline to target: ``linear`` or ``cagr`` (constant growth rate);
    a value within ``tolerance`` (relative) of the path is on track."""

    kind: Literal["linear", "cagr"] = "linear"
    tolerance: float = Field(default=0.05, ge=0)


class Observation(Sourced):
    """The value for ``period`` as published (or first known to the plan) on ``published``.

    A later observation for the same period with a later ``published`` date is a revision;
    a report as of a date uses, for each period, the latest value published by then.
    """

    period: Period
    value: float | None = None
    published: date
    revision_note: Text | None = None


class Binding(_Model):
    """Where an indicator's values come from in the evidence engine.

    ``measure``: ``employment`` (persons), ``share`` (of ``total_industry``), ``lq``
    (location quotient against ``reference_region``) or ``shift_share`` (``component`` of the
    change since ``start`` against ``reference_region``). ``industry`` is a panel code;
    ``sector`` a plan sector whose ``data_codes`` are summed.
    """

    measure: Literal["employment", "share", "lq", "shift_share"]
    dataset: Str = "employment_italy"
    region: Str
    industry: Str | None = None
    sector: Slug | None = None
    reference_region: Str | None = None
    total_industry: Str | None = None
    start: Period | None = None
    component: Literal["national", "industry_mix", "competitive", "total"] | None = None


class Indicator(Sourced):
    id: Slug
    name: Text
    description: Text | None = None
    unit: Text
    direction: Literal["increase", "decrease"] = "increase"
    baseline: Point | None = None
    target: Point | None = None
    limit: float | None = None
    trajectory: Trajectory = Field(default_factory=Trajectory)
    sector: Slug | None = None
    binding: Binding | None = None
    observations: list[Observation] = Field(default_factory=list)


class IndicatorLink(_Model):
    indicator: Slug
    weight: float = Field(default=1.0, ge=0)


class Contribution(_Model):
    """This node also serves ``node`` (another node of the same edition), with a weight."""

    node: Slug
    weight: float = Field(default=1.0, ge=0)


class Role(Sourced):
    actor: Slug
    role: Literal["lead", "partner", "funder", "data_provider", "member"]


class BudgetLine(Sourced):
    label: Text | None = None
    funder: Slug | None = None
    currency: Str = "EUR"
    planned: float | None = Field(default=None, ge=0)
    committed: float | None = Field(default=None, ge=0)
    spent: float | None = Field(default=None, ge=0)


class Milestone(Sourced):
    id: Slug
    title: Text
    due: date | None = None
    done: date | None = None
    status: Literal["planned", "in_progress", "done", "cancelled"] = "planned"


class LineageLink(_Model):
    """How a node relates to a node of another edition."""

    relation: Literal["continues", "replaces", "merges"]
    edition: int
    node: Slug
    note: Text | None = None


class Node(Sourced):
    id: Slug
    level: Slug
    title: Text
    description: Text | None = None
    rollup: Rollup = "weighted_mean"
    weight: float = Field(default=1.0, ge=0)
    sectors: list[Slug] = Field(default_factory=list)
    indicators: list[IndicatorLink] = Field(default_factory=list)
    contributes_to: list[Contribution] = Field(default_factory=list)
    actors: list[Role] = Field(default_factory=list)
    budget: list[BudgetLine] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    lineage: list[LineageLink] = Field(default_factory=list)
    children: list[Node] = Field(default_factory=list)


@dataclass(frozen=True)
class NodeRef:
    """A node with its path of ids from the root (``path[-1] == node.id``)."""

    node: Node
    path: tuple[str, ...]

    @property
    def depth(self) -> int:
        return len(self.path) - 1


class Plan(Sourced):
    """One edition of a strategic plan."""

    edition: int
    id: Slug
    title: Text
    subtitle: Text | None = None
    vision: Text | None = None
    horizon: int | None = None
    approved: date | None = None
    previous: int | None = None
    languages: list[Lang] | None = None
    levels: list[Level] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)

    def iter_nodes(self) -> Iterator[NodeRef]:
        """Every node, depth first, in document order."""
        stack: list[tuple[Node, tuple[str, ...]]] = [(n, (n.id,)) for n in reversed(self.nodes)]
        while stack:
            node, path = stack.pop()
            yield NodeRef(node, path)
            stack.extend((c, (*path, c.id)) for c in reversed(node.children))

    def node(self, node_id: str) -> Node:
        return self.ref(node_id).node

    def ref(self, node_id: str) -> NodeRef:
        for ref in self.iter_nodes():
            if ref.node.id == node_id:
                return ref
        raise KeyError(f"no node {node_id!r} in edition {self.edition}")

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"no indicator {indicator_id!r} in edition {self.edition}")

    def level(self, level_id: str) -> Level:
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise KeyError(f"no level {level_id!r} in edition {self.edition}")

    def url_path(self, node_id: str) -> str:
        """The node's permanent address: ``"2006/industrial-transformation/ict-platforms"``."""
        return "/".join((str(self.edition), *self.ref(node_id).path))


class StatusSettings(_Model):
    """How statuses are computed for the public: ``illustrative: exclude`` keeps every
    illustrative figure (value, target, milestone, budget line) out of the statuses."""

    illustrative: Literal["include", "exclude"] = "include"


class PlanSet(Sourced):
    """A planning body's plans: shared actors and sectors, and the editions."""

    id: Slug
    title: Text
    owner: Text | None = None
    languages: list[Lang] = Field(default_factory=lambda: list(LANGS))
    status: StatusSettings = Field(default_factory=StatusSettings)
    actors: list[Actor] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    editions: list[Plan] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> PlanSet:
        if (info.context or {}).get("defer_references"):
            return self
        from innesto.plan.references import dotted, reference_problems

        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(f"{dotted(p.loc)}: {p.message}" for p in problems[:20]))
        return self

    def edition(self, year: int) -> Plan:
        for plan in self.editions:
            if plan.edition == year:
                return plan
        raise KeyError(msg("no edition %(year)s; editions are %(editions)s", year=year,
                           editions=[p.edition for p in self.editions]))

    @property
    def latest(self) -> Plan:
        return max(self.editions, key=lambda p: p.edition)

    def actor(self, actor_id: str) -> Actor:
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(f"no actor {actor_id!r}")

    def sector(self, sector_id: str) -> Sector:
        for s in self.sectors:
            if s.id == sector_id:
                return s
        raise KeyError(f"no sector {sector_id!r}")
