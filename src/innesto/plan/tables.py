"""A plan set as flat tables (one per kind of element) and back, losslessly.

Each table has *context* columns naming the element it belongs to (``edition``,
``indicator_id``, ``node_id``; ``parent_id`` for the node tree), then the element's own
fields. Bilingual texts become one column per language (``title.it``, ``title.en``); nested
records a dotted prefix (``baseline.value``); lists of codes one cell joined by ``"; "``.
Every cell is a string; an empty cell means "absent" (the field's default).

Each row has a stable key (context columns plus the element's ids) used to upsert it.

Examples
--------
>>> from innesto.plan.examples import tiny_planset
>>> t = flatten(tiny_planset())
>>> t["nodes"][2]["node_id"], t["nodes"][2]["parent_id"], t["nodes"][2]["title.en"]
('proj', 'obj', 'Project')

:func:`innesto.plan.assemble.assemble` turns the tables back into a plan set.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from innesto.plan.i18n import LANGS, Text
from innesto.plan.model import (
    Actor,
    BudgetLine,
    Contribution,
    Indicator,
    IndicatorLink,
    Level,
    LineageLink,
    Milestone,
    Node,
    Observation,
    Plan,
    PlanSet,
    Role,
    Sector,
)

SEP = "; "


@dataclass(frozen=True)
class Table:
    name: str
    model: type[BaseModel]
    parent: str | None
    field: str | None
    keys: tuple[str, ...]
    context: str | None = None  # the column naming this table's elements for its children


TABLES: tuple[Table, ...] = (
    Table("planset", PlanSet, None, None, ("id",)),
    Table("actors", Actor, "planset", "actors", ("id",)),
    Table("sectors", Sector, "planset", "sectors", ("id",)),
    Table("editions", Plan, "planset", "editions", ("edition",), "edition"),
    Table("levels", Level, "editions", "levels", ("id",)),
    Table("indicators", Indicator, "editions", "indicators", ("id",), "indicator_id"),
    Table("values", Observation, "indicators", "observations", ("period", "published")),
    Table("nodes", Node, "editions", "nodes", ("node_id",), "node_id"),
    Table("node_indicators", IndicatorLink, "nodes", "indicators", ("indicator",)),
    Table("links", Contribution, "nodes", "contributes_to", ("node",)),
    Table("roles", Role, "nodes", "actors", ("actor", "role")),
    Table("budget", BudgetLine, "nodes", "budget", ("n",)),
    Table("milestones", Milestone, "nodes", "milestones", ("id",)),
    Table("lineage", LineageLink, "nodes", "lineage", ("relation", "to_edition", "to_node")),
)
BY_NAME = {t.name: t for t in TABLES}
#: Own fields whose names clash with a context column get another column name.
RENAME = {("lineage", "edition"): "to_edition", ("lineage", "node"): "to_node"}


def _child_lists(model: type[BaseModel]) -> set[str]:
    return {t.field for t in TABLES if t.parent and BY_NAME[t.parent].model is model and t.field}


def _strip_optional(ann: Any) -> Any:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if get_origin(ann) is not None and get_origin(ann).__name__ == "Annotated":
        return _strip_optional(get_args(ann)[0])
    return ann


def field_columns(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, Any]]:
    """(column, kind, model-or-None) for a model's own fields; kind is ``text``, ``list``
    or ``scalar`` (nested records are expanded with a dotted prefix)."""
    out: list[tuple[str, str, Any]] = []
    skip = _child_lists(model) | ({"children"} if model is Node else set())
    for name, info in model.model_fields.items():
        if not prefix and name in skip:
            continue
        ann = _strip_optional(info.annotation)
        col = prefix + name
        if ann is Text:
            out += [(f"{col}.{lang}", "text", None) for lang in LANGS]
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            out += field_columns(ann, prefix=col + ".")
        elif get_origin(ann) is list:
            out.append((col, "list", None))
        else:
            out.append((col, "scalar", None))
    return out


def _context_columns(table: Table) -> list[str]:
    cols: list[str] = []
    t = table
    while t.parent:
        parent = BY_NAME[t.parent]
        if parent.context:
            cols.insert(0, parent.context)
        t = parent
    if table.name == "nodes":
        cols += ["node_id", "parent_id"]
    if table.keys == ("n",):
        cols.append("n")
    return cols


def columns(table: Table) -> list[str]:
    own = [RENAME.get((table.name, c), c) for c, _, _ in field_columns(table.model)]
    if table.name == "nodes":
        own = [c for c in own if c != "id"]
    tail = ("source", "confidence", "illustrative", "note.it", "note.en")
    own = [c for c in own if c not in tail] + [c for c in tail if c in own]
    return _context_columns(table) + own


def cell(value: Any) -> str:
    """The text of a value as it goes into a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return SEP.join(cell(v) for v in value)
    return str(value)


def _own_cells(obj: BaseModel, table: Table) -> dict[str, str]:
    row: dict[str, str] = {}
    for col, _kind, _ in field_columns(table.model):
        value: Any = obj
        for part in col.split("."):
            if value is None:
                break
            value = getattr(value, part, None) if not isinstance(value, dict) else value.get(part)
        row[RENAME.get((table.name, col), col)] = cell(value)
    return row


def flatten(ps: PlanSet) -> dict[str, list[dict[str, str]]]:
    """Every table's rows (each a mapping of column to cell text)."""
    out: dict[str, list[dict[str, str]]] = {t.name: [] for t in TABLES}
    out["planset"].append(_own_cells(ps, BY_NAME["planset"]))
    for name in ("actors", "sectors"):
        out[name] = [_own_cells(x, BY_NAME[name]) for x in getattr(ps, name)]
    for plan in ps.editions:
        ed = {"edition": str(plan.edition)}
        out["editions"].append(_own_cells(plan, BY_NAME["editions"]))
        out["levels"] += [{**ed, **_own_cells(lv, BY_NAME["levels"])} for lv in plan.levels]
        for ind in plan.indicators:
            out["indicators"].append({**ed, **_own_cells(ind, BY_NAME["indicators"])})
            ctx = {**ed, "indicator_id": ind.id}
            out["values"] += [{**ctx, **_own_cells(o, BY_NAME["values"])} for o in ind.observations]
        for ref in plan.iter_nodes():
            node = ref.node
            parent = ref.path[-2] if len(ref.path) > 1 else ""
            own = _own_cells(node, BY_NAME["nodes"])
            own.pop("id")
            out["nodes"].append({**ed, "node_id": node.id, "parent_id": parent, **own})
            ctx = {**ed, "node_id": node.id}
            for t in TABLES:
                if t.parent == "nodes":
                    for n, item in enumerate(getattr(node, t.field or "")):
                        row = {**ctx, **_own_cells(item, t)}
                        if t.keys == ("n",):
                            row = {**ctx, "n": str(n + 1), **_own_cells(item, t)}
                        out[t.name].append(row)
    return out


def row_key(table: Table, row: dict[str, str]) -> tuple[str, ...]:
    """The row's stable key: its context columns and its own ids."""
    ctx = [c for c in _context_columns(table) if c not in ("parent_id", "n")]
    keys = [c for c in table.keys if c not in ctx]
    return tuple(row.get(c, "") for c in (*ctx, *keys))
