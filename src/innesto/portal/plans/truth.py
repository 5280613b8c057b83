"""The plan as the database holds it: the one truth that statuses, pages and downloads read.

The database is the truth of the plan (:mod:`innesto.portal.plans.merge`). Its records do
not hold everything a plan says (budget lines, bindings, trajectories, lineage), so the
plan set *as the database holds it* is built from two parts:

- the plan files' document as last loaded (:attr:`LoadBase.document`), and
- every record the database holds differently from what that load wrote (the merge's base,
  :attr:`LoadBase.records`): a value entered or revised in the back office, a milestone
  added or changed, a node added, a text published, a role changed. Each is written over
  the document; a record removed in the database is removed from it.

:func:`materialise` validates that plan set, computes every status with the plan library
(``innesto.plan.evaluate.compute_status``, nothing of the portal's own) and stores the
results: the statuses and explanations of nodes and indicators, the document of each
edition, node and indicator (the board's delivery reads milestones from it) and the plan
set's document (the plan JSON download, statuses as of a date). It runs after every load
and after every save or delete of plan content by any route (signals connected in
``PlansConfig.ready``); a block of many writes runs it once at its end (:func:`deferred`).

Example
-------
>>> doc = {"editions": [{"edition": 2006, "indicators": [
...     {"id": "share", "observations": [{"period": "2010", "value": 1.2,
...                                        "published": "2011-01-10"}]}], "nodes": []}]}
>>> rec = {"value": 1.5, "provisional": False, "note": "", "note_en": "", "source": "",
...        "published": None, "provenance": {}}
>>> overlay(doc, {("value", "2006/share/2010/2026-12-06T09:00:00+00:00"): rec}, {})
>>> [o["value"] for o in doc["editions"][0]["indicators"][0]["observations"]]
[1.2, 1.5]
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.utils import timezone
from pydantic import ValidationError

from innesto.plan.evaluate import compute_status
from innesto.plan.model import PlanSet
from innesto.portal.plans.records import DERIVED, KINDS, Record, Records, documents

log = logging.getLogger(__name__)

_pending: ContextVar[set[str] | None] = ContextVar("innesto_truth_pending", default=None)

Data = dict[str, Any]

#: Bilingual record fields (``x_it``/``x_en``) and the plan document's key for each kind.
TEXTS: dict[str, dict[str, str]] = {
    "actor": {"name": "name", "type": "type"},
    "sector": {"title": "name", "note": "note"},
    "edition": {"title": "title", "body": "vision"},
    "node": {"title": "title", "body": "description"},
    "indicator": {"title": "name", "body": "description", "unit": "unit"},
    "milestone": {"title": "title"},
}
#: Texts every element of the kind has (kept, empty, rather than removed).
REQUIRED = {"title", "name", "unit"}
#: Plain record fields and the document's key for each kind.
SCALARS: dict[str, dict[str, str]] = {
    "actor": {"kind": "kind", "member": "member", "source": "source"},
    "sector": {"nace": "nace", "industries": "data_codes", "proxy": "proxy",
               "source": "source"},
    "edition": {"horizon": "horizon", "source": "source"},
    "node": {"kind": "level", "sectors": "sectors"},
    "indicator": {"direction": "direction", "sector": "sector", "confidence": "confidence",
                  "illustrative": "illustrative", "source_it": "source"},
    "milestone": {"due": "due", "done": "done", "status": "status"},
    "role": {"role": "role"},
}


# ------------------------------------------------------------------ the document
class _Index:
    """Where each element of a plan document is (the document is changed in place)."""

    def __init__(self, doc: Data) -> None:
        self.doc = doc
        self.editions = {str(e["edition"]): e for e in doc.get("editions", [])}
        self.nodes: dict[str, tuple[Data, list[Data]]] = {}
        for ed, e in self.editions.items():
            self._walk(ed, e.setdefault("nodes", []))

    def _walk(self, ed: str, nodes: list[Data]) -> None:
        for n in nodes:
            self.nodes[f"{ed}/{n['id']}"] = (n, nodes)
            self._walk(ed, n.get("children", []))

    def element(self, kind: str, key: str) -> Data | None:
        """The element of ``kind`` at ``key`` (None when the document lacks it)."""
        parts = key.split("/")
        if kind in ("actor", "sector"):
            return _by_id(self.doc.get(kind + "s", []), key)
        if kind == "edition":
            return self.editions.get(key)
        if kind == "node":
            return self.nodes.get(key, (None, []))[0]
        if kind == "indicator":
            ed = self.editions.get(parts[0])
            return _by_id(ed.get("indicators", []), parts[1]) if ed else None
        node = self.nodes.get("/".join(parts[:2]), (None, []))[0]
        if node is None:
            return None
        if kind == "milestone":
            return _by_id(node.get("milestones", []), parts[2])
        return _role(node, parts[2])

    def container(self, kind: str, key: str, rec: Record) -> list[Data] | None:
        """The list a new element of ``kind`` goes into (None: nowhere to put it)."""
        parts = key.split("/")
        if kind in ("actor", "sector"):
            return self.doc.setdefault(kind + "s", [])  # type: ignore[no-any-return]
        ed = self.editions.get(parts[0])
        if ed is None:
            return None
        if kind == "node":
            parent = self.nodes.get(f"{parts[0]}/{rec.get('parent')}")
            return parent[0].setdefault("children", []) if parent else ed["nodes"]
        if kind == "indicator":
            return ed.setdefault("indicators", [])  # type: ignore[no-any-return]
        node = self.nodes.get("/".join(parts[:2]), (None, []))[0]
        if node is None:
            return None
        return node.setdefault("milestones" if kind == "milestone" else "actors", [])  # type: ignore[no-any-return]


def _by_id(items: list[Data], ident: str) -> Data | None:
    return next((i for i in items if str(i.get("id")) == ident), None)


def _role(node: Data, key: str) -> Data | None:
    """The role ``actor#n`` (the n-th role of that actor) of ``node``."""
    actor, _, nth = key.partition("#")
    found = [r for r in node.get("actors", []) if r.get("actor") == actor]
    n = int(nth or 1)
    return found[n - 1] if len(found) >= n else None


def _text(rec: Record, prefix: str) -> Data:
    return {lang: rec[f"{prefix}_{lang}"] for lang in ("it", "en")
            if rec.get(f"{prefix}_{lang}")}


def _write(el: Data, kind: str, rec: Record, fields: set[str]) -> None:
    """Write the record's ``fields`` into the document's element ``el``."""
    for prefix, key in TEXTS.get(kind, {}).items():
        if {f"{prefix}_it", f"{prefix}_en"} & fields:
            _put(el, key, _text(rec, prefix), keep=key in REQUIRED)
    for field, key in SCALARS.get(kind, {}).items():
        if field in fields:
            _put(el, key, rec[field])
    if kind == "indicator":
        for point in ("baseline", "target"):
            if {f"{point}_period", f"{point}_value"} & fields:
                period, value = rec[f"{point}_period"], rec[f"{point}_value"]
                _put(el, point, {"period": period, "value": value}
                     if period and value is not None else None)


def _put(el: Data, key: str, value: Any, *, keep: bool = False) -> None:
    if value in (None, "", {}, []) and not keep:
        el.pop(key, None)
    else:
        el[key] = value


def _observation(key: str, rec: Record) -> Data:
    """A value record as the plan's observation (its release date: the day it was
    published, else the day it was recorded)."""
    period, recorded = key.split("/")[2], "/".join(key.split("/")[3:])
    published = rec.get("published") or timezone.localdate(
        datetime.fromisoformat(recorded)).isoformat()
    prov = rec.get("provenance") or {}
    ob: Data = {"period": period, "value": rec.get("value"), "published": published}
    for field in ("dataset", "licence", "retrieved", "confidence"):
        if prov.get(field):
            ob[field] = prov[field]
    for field in ("proxy", "illustrative"):
        if prov.get(field):
            ob[field] = True
    if rec.get("source"):
        ob["source"] = rec["source"]
    if rec.get("provisional") and "confidence" not in ob:
        ob["confidence"] = "C"
    note = {k: v for k, v in (("it", rec.get("note")), ("en", rec.get("note_en"))) if v}
    if note:
        ob["revision_note"] = note
    return ob


def _observations(index: _Index, key: str) -> list[Data] | None:
    ind = index.element("indicator", "/".join(key.split("/")[:2]))
    return None if ind is None else ind.setdefault("observations", [])  # type: ignore[no-any-return]


def _same_observation(ob: Data, key: str, rec: Record) -> bool:
    return bool(str(ob.get("period")) == key.split("/")[2]
                and str(ob.get("published")) == str(rec.get("published")))


def _value(index: _Index, key: str, db: Record | None, base: Record | None) -> None:
    """A vintage added, removed or corrected in the database."""
    obs = _observations(index, key)
    if obs is None:
        return
    if base is not None:
        old = next((o for o in obs if _same_observation(o, key, base)), None)
        if old is not None:
            if db is None:
                obs.remove(old)
            else:
                old.clear()
                old.update(_observation(key, db))
            return
    if db is not None:
        obs.append(_observation(key, db))


def _element(index: _Index, kind: str, key: str, db: Record | None,
             base: Record | None) -> None:
    """An element added, removed or changed in the database since the load."""
    el = index.element(kind, key)
    if db is None:
        _remove(index, kind, key, el)
        return
    if el is None:
        into = index.container(kind, key, db)
        if into is None:
            return
        el = _new(kind, key)
        into.append(el)
        if kind == "node":
            index.nodes[key] = (el, into)
        fields = set(db)
    else:
        fields = {f for f, v in db.items() if (base or {}).get(f, _GONE) != v}
    _write(el, kind, db, fields)
    if kind == "indicator" and "node" in fields and db.get("node"):
        _link(index, key, str(db["node"]))


_GONE = object()


def _new(kind: str, key: str) -> Data:
    ident = key.split("/")[-1]
    if kind == "role":
        return {"actor": ident.split("#")[0]}
    return {"id": ident}


def _link(index: _Index, key: str, node_key: str) -> None:
    """An indicator the back office attached to a node is linked from it."""
    ed, ident = key.split("/")
    node = index.nodes.get(f"{ed}/{node_key}", (None, []))[0]
    if node is not None and all(li.get("indicator") != ident
                                for li in node.get("indicators", [])):
        node.setdefault("indicators", []).append({"indicator": ident})


def _remove(index: _Index, kind: str, key: str, el: Data | None) -> None:
    if el is None or kind == "edition":
        return
    if kind == "node":
        index.nodes[key][1].remove(el)
        return
    for items in _lists(index, kind, key):
        if any(i is el for i in items):
            items[:] = [i for i in items if i is not el]


def _lists(index: _Index, kind: str, key: str) -> list[list[Data]]:
    if kind in ("actor", "sector"):
        return [index.doc.get(kind + "s", [])]
    return [x for x in [index.container(kind, key, {})] if x is not None]


def overlay(doc: Data, db: Records, base: Records) -> None:
    """Write over ``doc`` (a plan set's plain data) every record ``db`` holds differently
    from ``base`` (see the module's docstring); media are not part of a plan document."""
    index = _Index(doc)
    for k in sorted(set(db) | set(base), key=lambda k: (KINDS.index(k[0]), k[1])):
        kind, key = k
        d, b = db.get(k), base.get(k)
        if d == b or kind == "media":
            continue
        if kind == "value":
            _value(index, key, d, b)
        else:
            _element(index, kind, key, d, b)


# ------------------------------------------------------------------ materialise
def without_derived(recs: Records) -> Records:
    """Records without the fields the portal computes (:data:`DERIVED`)."""
    return {k: {f: v for f, v in r.items() if f not in DERIVED} for k, r in recs.items()}


def base_records(raw: dict[str, Record]) -> Records:
    """A stored base (``"kind key"`` keys) as records, without derived fields."""
    return without_derived({(k.split(" ", 1)[0], k.split(" ", 1)[1]): v
                            for k, v in raw.items()})


def current(slug: str) -> Data | None:
    """The plan set ``slug`` as the database holds it now (None: no plan set loaded)."""
    from innesto.portal.plans.models import LoadBase, PlanSetDocument
    from innesto.portal.plans.stored import from_database

    row = LoadBase.objects.filter(slug=slug).first()
    pristine = row.document if row is not None and row.document else (
        PlanSetDocument.objects.filter(slug=slug).values_list("document", flat=True).first())
    if not pristine:
        return None
    doc: Data = copy.deepcopy(pristine)
    db, _ = from_database(str(e["edition"]) for e in doc.get("editions", []))
    overlay(doc, db, base_records(row.records) if row is not None else {})
    return doc


def materialise(slug: str | None = None) -> None:
    """Recompute and store statuses and documents of ``slug`` (every plan set: None) from
    the database (see the module's docstring)."""
    from innesto.portal.plans.models import LoadBase, PlanSetDocument

    for row in PlanSetDocument.objects.filter(**({"slug": slug} if slug else {})):
        base = LoadBase.objects.filter(slug=row.slug).first()
        if base is not None and not base.document:  # loaded before documents were kept
            LoadBase.objects.filter(pk=base.pk).update(document=row.document)
        doc = current(row.slug)
        if doc is None:
            continue
        try:
            ps = PlanSet.model_validate(doc, context={"defer_references": True})
        except ValidationError as exc:
            log.warning("plan set %s as edited is not a valid plan; statuses not "
                        "recomputed: %s", row.slug, exc)
            continue
        _statuses(ps)
        _documents(ps)
        PlanSetDocument.objects.filter(pk=row.pk).update(document=doc,
                                                        changed_at=timezone.now())


def _statuses(ps: PlanSet) -> None:
    from innesto.portal.plans.asof import node_explanation
    from innesto.portal.plans.models import Indicator, Node

    for plan in ps.editions:
        st = compute_status(ps, edition=plan.edition)
        ed = str(plan.edition)
        _store(Node.objects.filter(edition__slug=ed), "key",
               {k: (n.outcome, *node_explanation(n)) for k, n in st.nodes.items()})
        _flag(Node.objects.filter(edition__slug=ed),
              {k: n.illustrative for k, n in st.nodes.items()})
        _store(Indicator.objects.filter(edition__slug=ed), "slug",
               {k: (i.status, i.explanation.get("it"), i.explanation.get("en"))
                for k, i in st.indicators.items()})


def _store(qs: Any, key: str, want: dict[str, tuple[str, str, str]]) -> None:
    """Update the rows of ``qs`` whose status differs from ``want`` (derived values, so
    not edits: no audit entry)."""
    fields = ("status", "status_explanation_it", "status_explanation_en")
    for pk, ident, *now in qs.values_list("pk", key, *fields):
        new = want.get(ident)
        if new is not None and tuple(now) != new:
            qs.model.objects.filter(pk=pk).update(**dict(zip(fields, new, strict=True)))


def _flag(qs: Any, want: dict[str, bool]) -> None:
    """Set each node's computed ``illustrative`` flag where it changed (derived, no audit)."""
    for value in (True, False):
        keys = [k for k, v in want.items() if v is value]
        qs.filter(key__in=keys).exclude(illustrative=value).update(illustrative=value)


def _documents(ps: PlanSet) -> None:
    """Each edition's, node's and indicator's document, where it changed."""
    from innesto.portal.plans.models import Edition, Indicator, Node

    docs: dict[str, dict[str, Any]] = {"edition": {}, "node": {}, "indicator": {}}
    for (kind, key), doc in documents(ps).items():
        docs[kind][key] = doc
    for pk, key, now in Edition.objects.values_list("pk", "slug", "document"):
        if key in docs["edition"] and docs["edition"][key] != now:
            Edition.objects.filter(pk=pk).update(document=docs["edition"][key])
    for pk, ed, ident, now in Node.objects.values_list("pk", "edition__slug", "key",
                                                       "document"):
        new = docs["node"].get(f"{ed}/{ident}")
        if new is not None and new != now:
            Node.objects.filter(pk=pk).update(document=new)
    for pk, ed, ident, now in Indicator.objects.values_list("pk", "edition__slug", "slug",
                                                            "document"):
        new = docs["indicator"].get(f"{ed}/{ident}")
        if new is not None and new != now:
            Indicator.objects.filter(pk=pk).update(document=new)


# ------------------------------------------------------------------ when
@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Run :func:`materialise` once at the end of the block, if anything in it changed
    plan content (instead of after each save)."""
    if _pending.get() is not None:
        yield
        return
    pending: set[str] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending:
        materialise()


def touch() -> None:
    """Plan content changed: materialise now, or at the end of the :func:`deferred` block."""
    pending = _pending.get()
    if pending is None:
        materialise()
    else:
        pending.add("*")


def changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    """Signal receiver for saves and deletes of plan content (not raw fixture loads,
    not the plan set's own bookkeeping rows)."""
    if raw or sender.__name__ in ("PlanSetDocument", "LoadBase", "Media"):
        return
    touch()
