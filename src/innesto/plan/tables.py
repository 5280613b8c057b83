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
>>> assemble(t)[0] == tiny_planset()
True
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

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
from innesto.plan.references import Loc, dotted, reference_problems

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


# ---------------------------------------------------------------------- back to a model
@dataclass(frozen=True)
class RowProblem:
    table: str
    row: int  # 1-based data row (the header is row 1, so the first data row is 2)
    column: str | None
    message: str

    def __str__(self) -> str:
        col = f", column '{self.column}'" if self.column else ""
        return f"table '{self.table}', row {self.row}{col}: {self.message}"


def _nest(row: dict[str, str], table: Table) -> dict[str, Any]:
    data: dict[str, Any] = {}
    kinds = {RENAME.get((table.name, c), c): k for c, k, _ in field_columns(table.model)}
    back = {v: k[1] for k, v in RENAME.items() if k[0] == table.name}
    for cellcol, raw in row.items():
        if cellcol not in kinds or raw is None or str(raw).strip() == "":
            continue
        col = back.get(cellcol, cellcol)
        value: Any = str(raw).strip()
        if kinds[cellcol] == "list":
            value = [v.strip() for v in value.split(";") if v.strip()]
        target = data
        parts = col.split(".")
        for p in parts[:-1]:
            target = target.setdefault(p, {})
        target[parts[-1]] = value
    if table.name == "nodes" and row.get("node_id"):
        data["id"] = row["node_id"].strip()
    return data


def assemble(tables: dict[str, list[dict[str, str]]]) -> tuple[PlanSet, dict[Loc, tuple[str, int]]]:
    """The plan set from its tables; raises :class:`TableError` listing every bad row."""
    problems: list[RowProblem] = []
    made: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
    for t in TABLES:
        made[t.name] = []
        for i, row in enumerate(tables.get(t.name, [])):
            data = _nest(row, t)
            try:
                t.model.model_validate(data, context={"defer_references": True})
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    col = ".".join(str(p) for p in err["loc"]) or None
                    problems.append(RowProblem(t.name, i + 2, col, err["msg"]))
                continue
            made[t.name].append((i + 2, data, row))
    if len(made["planset"]) != 1 and not problems:
        problems.append(RowProblem("planset", 2, None, "exactly one plan-set row is needed"))
    if problems:
        raise TableError(problems)
    where: dict[Loc, tuple[str, int]] = {}
    root = made["planset"][0][1]
    for name in ("actors", "sectors"):
        root[name] = []
        for r, data, _ in made[name]:
            where[(name, len(root[name]))] = (name, r)
            root[name].append(data)
    editions: dict[str, dict[str, Any]] = {}
    root["editions"] = []
    for r, data, row in made["editions"]:
        where[("editions", len(root["editions"]))] = ("editions", r)
        editions[str(row.get("edition", "")).strip()] = data
        root["editions"].append(data)
    _attach(made, editions, where, root, problems)
    if problems:
        raise TableError(problems)
    try:
        ps = PlanSet.model_validate(root, context={"defer_references": True})
    except ValidationError as exc:
        raise TableError([_locate(tuple(e["loc"]), where, e["msg"]) for e in exc.errors(
            include_url=False)]) from None
    refs = reference_problems(ps)
    if refs:
        raise TableError([_locate(p.loc, where, p.message) for p in refs])
    return ps, where


def _attach(made: dict[str, Any], editions: dict[str, dict[str, Any]],
            where: dict[Loc, tuple[str, int]], root: dict[str, Any],
            problems: list[RowProblem]) -> None:
    eidx = {e: i for i, e in enumerate(editions)}

    def edition_of(tname: str, r: int, row: dict[str, str]) -> dict[str, Any] | None:
        ed = editions.get(str(row.get("edition", "")).strip())
        if ed is None:
            problems.append(RowProblem(tname, r, "edition", f"no edition {row.get('edition')!r}"))
        return ed

    for tname, field in (("levels", "levels"), ("indicators", "indicators")):
        for r, data, row in made[tname]:
            ed = edition_of(tname, r, row)
            if ed is not None:
                lst = ed.setdefault(field, [])
                where[("editions", eidx[row["edition"].strip()], field, len(lst))] = (tname, r)
                lst.append(data)
    for r, data, row in made["values"]:
        ed = edition_of("values", r, row)
        inds = {i.get("id"): (k, i) for k, i in enumerate((ed or {}).get("indicators", []))}
        hit = inds.get(row.get("indicator_id", "").strip())
        if ed is not None and hit is None:
            problems.append(RowProblem("values", r, "indicator_id",
                                       f"no indicator {row.get('indicator_id')!r}"))
        elif ed is not None and hit is not None:
            lst = hit[1].setdefault("observations", [])
            where[("editions", eidx[row["edition"].strip()], "indicators", hit[0],
                   "observations", len(lst))] = ("values", r)
            lst.append(data)
    nodes: dict[tuple[str, str], tuple[dict[str, Any], str, int]] = {}
    for r, data, row in made["nodes"]:
        if edition_of("nodes", r, row) is not None:
            nodes[(row["edition"].strip(), data["id"])] = (data, row.get("parent_id", "").strip(), r)
    for (ed_key, _), (node_data, parent, r) in nodes.items():
        if not parent:
            editions[ed_key].setdefault("nodes", []).append(node_data)
        elif (ed_key, parent) in nodes:
            nodes[(ed_key, parent)][0].setdefault("children", []).append(node_data)
        else:
            problems.append(RowProblem("nodes", r, "parent_id", f"no node {parent!r}"))
    for t in TABLES:
        if t.parent != "nodes":
            continue
        for r, data, row in made[t.name]:
            key = (str(row.get("edition", "")).strip(), str(row.get("node_id", "")).strip())
            if key not in nodes:
                problems.append(RowProblem(t.name, r, "node_id", f"no node {key[1]!r} in edition {key[0]!r}"))
                continue
            nodes[key][0].setdefault(t.field or "", []).append(data)
    _node_locations(editions, eidx, where, nodes, made)


def _node_locations(editions: dict[str, dict[str, Any]], eidx: dict[str, int],
                    where: dict[Loc, tuple[str, int]],
                    nodes: dict[tuple[str, str], tuple[dict[str, Any], str, int]],
                    made: dict[str, Any]) -> None:
    rows_of = {id(data): r for (data, _, r) in nodes.values()}
    child_rows = {t.name: {id(d): r for r, d, _ in made[t.name]} for t in TABLES if t.parent == "nodes"}

    def walk(lst: list[dict[str, Any]], loc: Loc) -> None:
        for i, data in enumerate(lst):
            here = (*loc, i)
            where[here] = ("nodes", rows_of.get(id(data), 0))
            for t in TABLES:
                if t.parent == "nodes":
                    for k, item in enumerate(data.get(t.field or "", [])):
                        where[(*here, t.field or "", k)] = (t.name, child_rows[t.name].get(id(item), 0))
            walk(data.get("children", []), (*here, "children"))

    for ed, data in editions.items():
        walk(data.get("nodes", []), ("editions", eidx[ed], "nodes"))


def _locate(loc: Loc, where: dict[Loc, tuple[str, int]], message: str) -> RowProblem:
    for n in range(len(loc), -1, -1):
        hit = where.get(tuple(loc[:n]))
        if hit is not None:
            rest = ".".join(str(p) for p in loc[n:]) or None
            return RowProblem(hit[0], hit[1], rest, message)
    return RowProblem("planset", 2, dotted(loc), message)


class TableError(ValueError):
    """Rows that cannot be imported; ``problems`` lists each (table, row, column, message)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems[:30]))

