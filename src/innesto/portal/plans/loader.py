"""Write a :class:`innesto.plan.model.PlanSet` into the database as a three-way merge.

The database is the truth for what the back office edits; a load brings the plan files'
changes in without losing any of them (the rules are in :mod:`innesto.portal.plans.merge`).
Objects are updated in place by their stable ids, so URLs survive reloads. Indicator
values are bitemporal vintages: an observation's ``published`` date is when the value
became known (``recorded_at``); a later vintage of the same period closes the earlier row
(``superseded_at``), whichever route (files or back office) recorded it.

Everything happens in **one transaction**: the locked reporting periods are checked before
anything is written (the whole load is refused with the list of locked values it would
touch), every write is an ordinary save recorded in the audit log (actor ``load_plan``
unless the caller names one), and the base of the next merge is stored last.
Statuses are not merged: after the load they are computed from the database's values
(:func:`innesto.portal.plans.truth.materialise`, the plan library's status rules), so a
value entered in the back office counts as much as one from the files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from innesto.errors import InnestoError
from innesto.plan.model import PlanSet
from innesto.portal.plans import apply as writes
from innesto.portal.plans import truth
from innesto.portal.plans.merge import MergePlan, last_changes, plan_merge
from innesto.portal.plans.models import Edition, LoadBase, PlanSetDocument
from innesto.portal.plans.records import Records, from_files
from innesto.portal.plans.stored import from_database, normalise

__all__ = ["LoadRefused", "LoadResult", "load_planset"]


class LoadRefused(InnestoError):
    """The load would change values of a locked reporting period; nothing was written."""


@dataclass
class LoadResult:
    """What a load did (or, with ``dry_run``, would do). Iterating gives the editions."""

    plan: MergePlan
    editions: list[Edition] = field(default_factory=list)
    dry_run: bool = False

    def __iter__(self) -> Iterator[Edition]:
        return iter(self.editions)

    @property
    def conflicts(self) -> list[Any]:
        return self.plan.conflicts

    def lines(self) -> list[str]:
        """The diff, one line per record: applied, kept, overwritten, refused."""
        p = self.plan
        out = [c.describe() for c in p.apply if c not in p.overwritten]
        out += [f"kept {c.describe(applied=False)}" for c in p.kept]
        out += [f"OVERWRITTEN {c.describe()}" for c in p.overwritten]
        out += [f"CONFLICT {c.describe(applied=False)}" for c in p.conflicts]
        return out


def _base(slug: str) -> tuple[Records | None, LoadBase | None]:
    row = LoadBase.objects.filter(slug=slug).first()
    if row is None:
        return None, None
    return truth.base_records(row.records), row


def load_planset(
    ps: PlanSet,
    *,
    source: str = "",
    media: list[dict[str, Any]] | None = None,
    extra: dict[str, list[Any]] | None = None,
    pages: dict[str, Any] | None = None,
    overwrite: bool = False,
    dry_run: bool = False,
) -> LoadResult:
    """Merge ``ps`` into the database; see the module's docstring.

    Changes that do not conflict are applied; conflicts are refused (listed in the result)
    unless ``overwrite``, which takes the files' version (the database's stays in the
    audit log, and in the version history of a page). Raises :class:`LoadRefused`, with
    nothing written, when a locked reporting period would change.
    """
    files = normalise(from_files(ps, source=source, media=media, extra=extra, pages=pages))
    with transaction.atomic():
        base, row = _base(ps.id)
        editions = {k for kind, k in files if kind == "edition"}
        editions |= {k.split("/")[0] for kind, k in (base or {}) if kind in ("edition", "node")}
        db, objs = from_database(editions)
        plan = plan_merge(files, db, base, overwrite=overwrite, pinned=writes.pinned(objs),
                          skip=frozenset() if media is not None else frozenset({"media"}))
        last_changes(objs, [*plan.apply, *plan.kept, *plan.conflicts],
                     (row.source, row.loaded_at) if row else ("", None))
        locked = writes.locked_values(plan.apply, objs)
        if locked:
            raise LoadRefused(
                f"nothing loaded: {len(locked)} value(s) of locked reporting periods would "
                f"change: " + "; ".join(locked[:20])
                + ("; ..." if len(locked) > 20 else "")
                + ". Leave them unchanged in the files, or reopen the reporting cycle.")
        result = LoadResult(plan, dry_run=dry_run)
        if dry_run:
            return result
        with writes.acting("load_plan", f"load {source}" if source else "load_plan"), \
                truth.deferred():
            writes.apply_all(plan, files, objs, source=source)
            now = timezone.now()
            doc = ps.model_dump(mode="json", exclude_none=True)
            _store(PlanSetDocument, ps.id, document=doc, loaded_at=now)
            _store(LoadBase, ps.id, records={f"{k} {v}": r for (k, v), r in plan.base.items()},
                   document=doc, loaded_at=now, source=source[:500])
            truth.touch()  # statuses and documents from the database, once
        result.editions = list(Edition.objects.filter(slug__in=editions).order_by("year"))
    return result


def _store(model: Any, slug: str, **fields: Any) -> None:
    """Upsert a load's own bookkeeping row (not an edit: no audit entry)."""
    if not model.objects.filter(slug=slug).update(**fields):
        model.objects.bulk_create([model(slug=slug, **fields)])
