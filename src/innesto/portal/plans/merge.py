"""Loading the plan files is a three-way merge: files vs database vs *base*.

The database is the truth for everything the back office edits; the plan files are one
more route into it. The base is what the files said at the last load
(:class:`~innesto.portal.plans.models.LoadBase`). For every record and field:

============================  =====================================================
files vs base, db vs base     result
============================  =====================================================
file changed, db unchanged    the file's value is applied
db changed, file unchanged    the database's value is kept (a back-office change)
both changed, to one value    nothing to do
both changed, differently     **conflict**: refused unless ``overwrite``
============================  =====================================================

Records added on one side only are added (files) or kept (back office). A record removed
from the files is removed from the database only when nobody changed it there since the
last load and nothing was added beneath it in the back office; otherwise it is a conflict.
Actors, sectors and editions are never removed by a load. Values are vintages: a value of
the files and a value entered in the back office for the same period are two rows, and
``superseded_at`` is recomputed from their recording times.

:func:`plan_merge` computes the diff and writes nothing; :func:`innesto.portal.plans.loader`
applies it in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from innesto.portal.plans.records import KINDS, Key, Record, Records


class _Missing:
    """A field or record one side does not have."""

    def __repr__(self) -> str:
        return "(missing)"


MISSING: Any = _Missing()

#: Kinds a load never removes (they may be shared by several plans).
NEVER_REMOVED = {"actor", "sector", "edition"}


@dataclass
class Change:
    """One record's change: ``action`` is ``add``, ``change`` or ``remove``;
    ``fields`` maps a field to (database value, file value)."""

    kind: str
    key: str
    action: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    reason: str = ""
    detail: str = ""
    last: str = ""

    def describe(self, *, applied: bool = True) -> str:
        """One line; ``applied`` False shows both sides (a change kept or refused)."""
        sign = {"add": "+", "change": "~", "remove": "-"}[self.action]
        text = f"{sign} {self.kind} {self.key}"
        if self.fields:
            text += ": " + "; ".join(
                f"{f}: {_short(d)} -> {_short(v)}" if applied
                else f"{f}: database {_short(d)}, files {_short(v)}"
                for f, (d, v) in sorted(self.fields.items()))
        if self.reason:
            text += f" [{self.reason}{': ' + self.detail if self.detail else ''}]"
        if self.last:
            text += f" (last changed by {self.last})"
        return text


def _short(v: Any) -> str:
    text = "(none)" if v is MISSING or v is None else repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class MergePlan:
    """What a load would do: the changes applied, the conflicts, the back-office changes
    kept, and the base to store afterwards."""

    apply: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    overwritten: list[Change] = field(default_factory=list)
    base: Records = field(default_factory=dict)

    def substance(self) -> list[str]:
        """The diff without who changed what last: equal for equal merges (a preview's
        fingerprint)."""
        return [f"{part} {c.action} {c.kind} {c.key} {sorted(c.fields.items())!r} {c.reason}"
                for part, changes in (("apply", self.apply), ("kept", self.kept),
                                      ("conflict", self.conflicts))
                for c in changes]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for c in self.apply:
            counts[c.action] = counts.get(c.action, 0) + 1
        parts = [f"{counts.get('add', 0)} added", f"{counts.get('change', 0)} changed",
                 f"{counts.get('remove', 0)} removed",
                 f"{len(self.kept)} back-office change(s) kept",
                 f"{len(self.conflicts)} conflict(s) refused"]
        if self.overwritten:
            parts.append(f"{len(self.overwritten)} back-office change(s) overwritten")
        return ", ".join(parts)


def _parent(kind: str, key: str, db: Records) -> Key | None:
    """The record whose removal takes this one with it (the database's cascade)."""
    parts = key.split("/")
    if kind in ("milestone", "role"):
        return ("node", "/".join(parts[:2]))
    if kind == "value":
        return ("indicator", "/".join(parts[:2]))
    if kind == "node":
        parent = db.get((kind, key), {}).get("parent")
        return ("node", f"{parts[0]}/{parent}") if parent else None
    return None


def _needs(kind: str, key: str, rec: Record) -> list[Key]:
    """The records that must exist for this one to be created."""
    ed = key.split("/")[0]
    out: list[Key] = []
    if kind in ("node", "indicator", "media"):
        out.append(("edition", ed))
    if kind == "node" and rec.get("parent"):
        out.append(("node", f"{ed}/{rec['parent']}"))
    if kind in ("milestone", "role"):
        out.append(("node", "/".join(key.split("/")[:2])))
    if kind == "role":
        out.append(("actor", key.split("/")[2].split("#")[0]))
    if kind == "value":
        out.append(("indicator", "/".join(key.split("/")[:2])))
    return out


def plan_merge(files: Records, db: Records, base: Records | None, *,
               overwrite: bool = False, pinned: set[Key] | None = None,
               skip: frozenset[str] = frozenset()) -> MergePlan:
    """The three-way merge of ``files`` into ``db`` against ``base``.

    ``base`` None means no load was ever recorded (a database loaded before merges
    existed): the database is taken as the base, so the files win as they always did.
    ``pinned`` are records the back office holds on to beyond their fields (a node with a
    draft or published versions, an indicator due in a reporting cycle): removing them is
    a conflict. With ``overwrite`` every conflict is resolved in favour of the files.
    Kinds in ``skip`` are not part of this load (their base is carried over unchanged).
    """
    carried = {k: v for k, v in (base or {}).items() if k[0] in skip}
    files, db = _without(files, skip), _without(db, skip)
    base = None if base is None else _without(base, skip)
    b = db if base is None else base
    out = MergePlan()
    removals: dict[Key, Change] = {}
    for k in sorted(set(files) | set(db) | set(b), key=lambda k: (KINDS.index(k[0]), k[1])):
        _record(out, removals, k, (files.get(k), db.get(k), b.get(k)), pinned or set())
    _cascade(out, removals, db)
    if overwrite:
        out.overwritten, out.conflicts = out.conflicts, []
        out.apply.extend(out.overwritten)
    _orphans(out, files, db)
    out.base = {**_next_base(files, base, out), **carried}
    return out


def _record(out: MergePlan, removals: dict[Key, Change], k: Key,
            sides: tuple[Record | None, Record | None, Record | None], pinned: set[Key]) -> None:
    """One record: (files, database, base)."""
    f, d, bb = sides
    if f is not None and d is None:
        _gone_from_db(out, k, f, bb)
    elif f is not None and d is not None:
        if not (bb is not None and f == bb == d):
            _fields(out, k[0], k[1], f, d, bb)
    elif d is not None and k[0] not in NEVER_REMOVED:
        _gone_from_files(out, removals, k, d, bb, pinned)


def _gone_from_db(out: MergePlan, k: Key, f: Record, bb: Record | None) -> None:
    """A record the files have and the database does not: new in the files, or removed
    in the back office."""
    kind, key = k
    if bb is None:
        out.apply.append(Change(kind, key, "add"))
    elif _same(f, bb):
        out.kept.append(Change(kind, key, "remove", reason=_noop("removed in the back office")))
    else:
        out.conflicts.append(Change(kind, key, "add", {x: (MISSING, f[x]) for x in f},
                                    reason=_noop("removed in the back office, "
                                                 "changed in the files")))


def _gone_from_files(out: MergePlan, removals: dict[Key, Change], k: Key, d: Record,
                     bb: Record | None, pinned: set[Key]) -> None:
    """A record the database has and the files do not: added in the back office, or
    removed from the files (removed here only if nobody holds on to it)."""
    kind, key = k
    if bb is None:
        out.kept.append(Change(kind, key, "add", reason=_noop("added in the back office")))
        return
    unchanged = all(d.get(x, MISSING) == v for x, v in bb.items())
    if unchanged and k not in pinned:
        removals[k] = Change(kind, key, "remove")
        return
    out.conflicts.append(Change(
        kind, key, "remove",
        reason=_noop("removed in the files, changed in the back office") if not unchanged
        else _noop("removed in the files, kept by the back office (draft, published version "
                   "or reporting cycle)")))


def _without(recs: Records, skip: frozenset[str]) -> Records:
    return {k: v for k, v in recs.items() if k[0] not in skip} if skip else recs


def _same(rec: Record, base: Record) -> bool:
    """True when ``rec`` says what ``base`` says (a field the base lacks counts as same)."""
    return all(base.get(x, v) == v for x, v in rec.items())


def _fields(out: MergePlan, kind: str, key: str, f: Record, d: Record,
            bb: Record | None) -> None:
    take: dict[str, tuple[Any, Any]] = {}
    clash: dict[str, tuple[Any, Any]] = {}
    keep: dict[str, tuple[Any, Any]] = {}
    for name, fv in f.items():
        dv = d.get(name, MISSING)
        bv = bb.get(name, MISSING) if bb is not None else MISSING
        if fv == dv:
            continue
        if fv == bv:
            keep[name] = (dv, fv)
        elif dv == bv:
            take[name] = (dv, fv)
        else:
            clash[name] = (dv, fv)
    if take:
        out.apply.append(Change(kind, key, "change", take))
    if keep:
        out.kept.append(Change(kind, key, "change", keep, reason=_noop("changed in the back office")))
    if clash:
        out.conflicts.append(Change(
            kind, key, "change", clash,
            reason=_noop("changed in the files and in the back office") if bb is not None
            else _noop("added in the files and in the back office")))


def _cascade(out: MergePlan, removals: dict[Key, Change], db: Records) -> None:
    """A removal that would take back-office additions with it is a conflict."""
    blocked: dict[Key, list[str]] = {}
    for k in db:
        if k in removals:
            continue
        p = _parent(k[0], k[1], db)
        while p is not None:
            if p in removals:
                blocked.setdefault(p, []).append(f"{k[0]} {k[1]}")
            p = _parent(p[0], p[1], db)
    for k, change in removals.items():
        if k in blocked:
            change.reason = _noop("removed in the files, but the back office added beneath it")
            change.detail = ", ".join(sorted(blocked[k])[:5])
            out.conflicts.append(change)
        else:
            out.apply.append(change)


def _orphans(out: MergePlan, files: Records, db: Records) -> None:
    """An addition whose parent will not exist (removed in the back office) is a conflict."""
    gone = {(c.kind, c.key) for c in out.apply if c.action == "remove"}
    there = (set(db) - gone) | {(c.kind, c.key) for c in out.apply if c.action == "add"}
    adds = [c for c in out.apply if c.action == "add"]
    for c in adds:
        missing = [p for p in _needs(c.kind, c.key, files[(c.kind, c.key)]) if p not in there]
        if missing:
            out.apply.remove(c)
            if c in out.overwritten:
                out.overwritten.remove(c)
            there.discard((c.kind, c.key))
            c.reason = _noop("its parent was removed in the back office (add it again there, "
                             "or remove this from the files)")
            c.detail = ", ".join(f"{k} {v}" for k, v in missing)
            out.conflicts.append(c)


def _next_base(files: Records, base: Records | None, plan: MergePlan) -> Records:
    """The base after this load: the files, except where a conflict was refused (there the
    old base stays, so that the next load meets the same conflict again)."""
    out = {k: dict(v) for k, v in files.items()}
    for c in plan.conflicts:
        k = (c.kind, c.key)
        old = base.get(k) if base is not None else None
        if c.action == "change":
            for name in c.fields:
                if old is not None and name in old:
                    out[k][name] = old[name]
                else:
                    out[k].pop(name, None)
        elif old is not None:
            out[k] = dict(old)
        else:
            out.pop(k, None)
    return out


def last_changes(objs: dict[Key, models.Model], changes: list[Change],
                 loaded: tuple[str, datetime | None]) -> None:
    """Fill each change's ``last``: who changed the database's record last, and when (the
    audit log's newest entry, else the last load)."""
    from django.apps import apps

    if not apps.is_installed("innesto.portal.backoffice"):
        return
    from innesto.portal.backoffice.models import AuditEntry

    wanted = {(c.kind, c.key): objs[(c.kind, c.key)] for c in changes
              if (c.kind, c.key) in objs}
    ids = {(o._meta.label_lower, str(o.pk)) for o in wanted.values()}
    newest: dict[tuple[str, str], tuple[str, datetime]] = {}
    entries = AuditEntry.objects.filter(
        model__in={m for m, _ in ids}, object_id__in={i for _, i in ids}).order_by("at", "id")
    for e in entries.values_list("model", "object_id", "actor", "at"):
        if (e[0], e[1]) in ids:
            newest[(e[0], e[1])] = (e[2], e[3])
    source, at = loaded
    for c in changes:
        obj = wanted.get((c.kind, c.key))
        if obj is None:
            continue
        who = newest.get((obj._meta.label_lower, str(obj.pk)))
        if who is not None:
            c.last = f"{who[0]} on {timezone.localtime(who[1]):%Y-%m-%d %H:%M}"
        elif at is not None:
            c.last = (f"the load of {source or 'the plan files'} on "
                      f"{timezone.localtime(at):%Y-%m-%d %H:%M}")
