"""Tables back into a plan set: each row validated on its own, then the whole.

A bad row is reported by table, row and column (:class:`RowProblem`), and every problem is
collected before anything is returned, so an import either yields a complete, valid plan set
or a list of what to fix.

Examples
--------
>>> from innesto.plan.examples import tiny_planset
>>> from innesto.plan.tables import flatten
>>> t = flatten(tiny_planset())
>>> assemble(t)[0] == tiny_planset()
True
>>> t["milestones"][0]["due"] = "soon"
>>> try:
...     assemble(t)
... except TableError as exc:
...     print(str(exc.problems[0])[:46])
table 'milestones', row 2, column 'due': Input
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from innesto.i18n import localize, msg, tr
from innesto.plan.model import PlanSet
from innesto.plan.references import Loc, dotted, reference_problems
from innesto.plan.tables import RENAME, TABLES, Table, field_columns
from innesto.pydantic_messages import pydantic_message


@dataclass(frozen=True)
class RowProblem:
    table: str
    row: int  # 1-based data row (the header is row 1, so the first data row is 2)
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, lang: str) -> str:
        """This problem in ``lang``."""
        col = tr(lang, ", column '%(column)s'", column=self.column) if self.column else ""
        return tr(lang, "table '%(table)s', row %(row)s%(column)s: %(message)s",
                  table=self.table, row=self.row, column=col,
                  message=localize(self.message, lang))


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
    made = {t.name: _valid_rows(t, tables.get(t.name, []), problems) for t in TABLES}
    if len(made["planset"]) != 1 and not problems:
        problems.append(RowProblem("planset", 2, None, msg("exactly one plan-set row is needed")))
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
    return _validated(root, where), where


Row = tuple[int, dict[str, Any], dict[str, str]]


def _valid_rows(t: Table, rows: list[dict[str, str]], problems: list[RowProblem]) -> list[Row]:
    """``(row number, nested data, raw row)`` of the rows of ``t`` valid on their own; the
    others' problems are added to ``problems``."""
    out = []
    for i, row in enumerate(rows):
        data = _nest(row, t)
        try:
            t.model.model_validate(data, context={"defer_references": True})
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                col = ".".join(str(p) for p in err["loc"]) or None
                problems.append(RowProblem(t.name, i + 2, col, pydantic_message(err)))
            continue
        out.append((i + 2, data, row))
    return out


def _validated(root: dict[str, Any], where: dict[Loc, tuple[str, int]]) -> PlanSet:
    """The whole plan set validated, its references checked; problems located by row."""
    try:
        ps = PlanSet.model_validate(root, context={"defer_references": True})
    except ValidationError as exc:
        raise TableError([_locate(tuple(e["loc"]), where, pydantic_message(e))
                          for e in exc.errors(include_url=False)]) from None
    refs = reference_problems(ps)
    if refs:
        raise TableError([_locate(p.loc, where, p.message) for p in refs])
    return ps


Nodes = dict[tuple[str, str], tuple[dict[str, Any], str, int]]


def _attach(made: dict[str, Any], editions: dict[str, dict[str, Any]],
            where: dict[Loc, tuple[str, int]], root: dict[str, Any],
            problems: list[RowProblem]) -> None:
    eidx = {e: i for i, e in enumerate(editions)}
    for tname, field in (("levels", "levels"), ("indicators", "indicators")):
        for r, data, row in made[tname]:
            ed = _edition_of(editions, problems, tname, r, row)
            if ed is not None:
                lst = ed.setdefault(field, [])
                where[("editions", eidx[row["edition"].strip()], field, len(lst))] = (tname, r)
                lst.append(data)
    for r, data, row in made["values"]:
        _attach_value(editions, eidx, where, problems, r, data, row)
    nodes = _tree(made, editions, problems)
    for t in TABLES:
        if t.parent == "nodes":
            _attach_to_nodes(t, made[t.name], nodes, problems)
    _node_locations(editions, eidx, where, nodes, made)


def _edition_of(editions: dict[str, dict[str, Any]], problems: list[RowProblem], tname: str,
                r: int, row: dict[str, str]) -> dict[str, Any] | None:
    """The edition a row names, or ``None`` with a problem noted."""
    ed = editions.get(str(row.get("edition", "")).strip())
    if ed is None:
        problems.append(RowProblem(tname, r, "edition", msg("no edition %(what)s",
                what=repr(row.get('edition')))))
    return ed


def _attach_value(editions: dict[str, dict[str, Any]], eidx: dict[str, int],
                  where: dict[Loc, tuple[str, int]], problems: list[RowProblem], r: int,
                  data: dict[str, Any], row: dict[str, str]) -> None:
    """One row of ``values`` as an observation of its edition's indicator."""
    ed = _edition_of(editions, problems, "values", r, row)
    if ed is None:
        return
    inds = {i.get("id"): (k, i) for k, i in enumerate(ed.get("indicators", []))}
    hit = inds.get(row.get("indicator_id", "").strip())
    if hit is None:
        problems.append(RowProblem("values", r, "indicator_id",
                                   msg("no indicator %(what)s",
                                   what=repr(row.get('indicator_id')))))
        return
    lst = hit[1].setdefault("observations", [])
    where[("editions", eidx[row["edition"].strip()], "indicators", hit[0],
           "observations", len(lst))] = ("values", r)
    lst.append(data)


def _tree(made: dict[str, Any], editions: dict[str, dict[str, Any]],
          problems: list[RowProblem]) -> Nodes:
    """The node rows nested under their parents (roots in their edition), by (edition, id)."""
    nodes: Nodes = {}
    for r, data, row in made["nodes"]:
        if _edition_of(editions, problems, "nodes", r, row) is not None:
            nodes[(row["edition"].strip(), data["id"])] = (data, row.get("parent_id", "").strip(), r)
    for (ed_key, _), (node_data, parent, r) in nodes.items():
        if not parent:
            editions[ed_key].setdefault("nodes", []).append(node_data)
        elif (ed_key, parent) in nodes:
            nodes[(ed_key, parent)][0].setdefault("children", []).append(node_data)
        else:
            problems.append(RowProblem("nodes", r, "parent_id", msg("no node %(parent)s",
                    parent=repr(parent))))
    return nodes


def _attach_to_nodes(t: Table, rows: list[Row],
                     nodes: Nodes, problems: list[RowProblem]) -> None:
    """The rows of a table whose parent is a node (milestones, budget...) under their node."""
    for r, data, row in rows:
        key = (str(row.get("edition", "")).strip(), str(row.get("node_id", "")).strip())
        if key not in nodes:
            problems.append(RowProblem(t.name, r, "node_id",
                                       msg("no node %(what)s in edition %(what2)s",
                                       what=repr(key[1]), what2=repr(key[0]))))
            continue
        nodes[key][0].setdefault(t.field or "", []).append(data)


def _node_locations(editions: dict[str, dict[str, Any]], eidx: dict[str, int],
                    where: dict[Loc, tuple[str, int]],
                    nodes: Nodes, made: dict[str, Any]) -> None:
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
        super().__init__(self.localized("en"))

    def localized(self, lang: str) -> str:
        """The first 30 problems, one a line, in ``lang``."""
        return "\n".join(p.localized(lang) for p in self.problems[:30])

