"""Spreadsheet import from the browser, through ``innesto.plan``'s own import.

1. **Preview** (dry run): the uploaded XLSX or CSV is merged into the plan files as last
   loaded into the portal with :func:`innesto.plan.spreadsheet.merge3`, three-way against
   the base the spreadsheet was exported from (a change the files brought in by a load
   after the export is kept; the same cell changed by both is a conflict), and validated with
   :func:`innesto.plan.assemble.assemble`; nothing is written, and the per-row diff says
   what would change. A bad row raises :class:`~innesto.errors.PlanError` naming it.
   The preview also runs the load as a dry run: the new plan is merged into the database
   as ``load_plan`` does (a three-way merge, :mod:`innesto.portal.plans.merge`), so it
   shows which back-office changes are kept and which conflict with the spreadsheet.
2. **Confirm**: the same merge is done again and, if it still gives the previewed diff, the
   new plan is merged in **one transaction** (statuses recomputed by ``innesto.plan`` as in
   ``load_plan``), with every change in the audit log under the importing user. Conflicts
   are refused unless the user ticks *overwrite*.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from innesto.errors import PlanError
from innesto.plan.assemble import TableError, assemble
from innesto.plan.model import PlanSet
from innesto.plan.spreadsheet import RowChange, changed_only, merge3, read_export
from innesto.plan.tables import TABLES, flatten
from innesto.portal.backoffice.audit import acting_as
from innesto.portal.plans.loader import LoadResult
from innesto.portal.plans.models import LoadBase, PlanSetDocument


@dataclass
class SheetConflict:
    """A cell changed in the spreadsheet and, since its export, in the plan files (shown
    beside the back office's conflicts, in the same shape)."""

    change: RowChange

    @property
    def kind(self) -> str:
        return self.change.table

    @property
    def key(self) -> str:
        return "/".join(k for k in self.change.key if k)

    @property
    def fields(self) -> dict[str, tuple[str, str]]:
        return self.change.changes

    @property
    def reason(self) -> str:
        return self.change.reason

    detail = ""
    last = "the plan files"

    def describe(self) -> str:
        return str(self.change)


@dataclass
class Preview:
    planset: PlanSet
    changes: list[RowChange]
    load: LoadResult | None = None

    @property
    def conflicts(self) -> list[Any]:
        own = [SheetConflict(c) for c in self.changes if c.kind == "conflict"]
        return own + (self.load.conflicts if self.load is not None else [])

    @property
    def kept(self) -> list[Any]:
        return self.load.plan.kept if self.load is not None else []

    @property
    def changed(self) -> list[RowChange]:
        return changed_only(self.changes)

    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out

    def fingerprint(self) -> str:
        """A hash of the diff, to check at confirmation that nothing moved meanwhile."""
        mine = [c for c in self.changes if c.kind in ("added", "changed", "removed", "conflict")]
        text = json.dumps([[c.table, list(c.key), c.kind, sorted(c.changes.items())]
                           for c in mine]
                          + (self.load.plan.substance() if self.load is not None else []),
                          ensure_ascii=False, default=list)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_planset() -> PlanSet | None:
    """The plan files as last loaded into the portal (the newest plan set), or None. The
    back office's changes are not in it: the load's merge keeps them."""
    doc = PlanSetDocument.objects.order_by("-loaded_at").first()
    if doc is None:
        return None
    files = LoadBase.objects.filter(slug=doc.slug).values_list("document", flat=True).first()
    return PlanSet.model_validate(files or doc.document)


def preview(upload: Path, *, name: str = "", overwrite: bool = False) -> Preview:
    """Dry run: what importing ``upload`` would change. Writes nothing."""
    current = current_planset()
    old = flatten(current) if current is not None else {t.name: [] for t in TABLES}
    sheet = read_export(upload)
    try:
        merged, changes = merge3(old, sheet.tables, sheet.base, overwrite=overwrite)
        ps, _ = assemble(merged)
    except TableError as exc:
        raise PlanError(f"{name or upload.name}: nothing imported; "
                        f"{len(exc.problems)} problem(s):\n{exc}") from None
    return Preview(ps, changes, _load(ps, name or upload.name, dry_run=True,
                                      overwrite=overwrite))


def _load(ps: PlanSet, name: str, *, dry_run: bool, overwrite: bool = False) -> LoadResult:
    from innesto.portal.plans.adapter import bundled, load_set

    media, pages = bundled(ps)
    return load_set(ps, source=f"import {name}", media=media, pages=pages,
                    overwrite=overwrite, dry_run=dry_run)


def apply(upload: Path, *, user: Any = None, name: str = "", expect: str | None = None,
          overwrite: bool = False) -> Preview:
    """Import ``upload`` in one transaction; ``expect`` is the previewed fingerprint.
    Conflicts with back-office changes are refused (listed in the result's ``load``)
    unless ``overwrite``."""
    result = preview(upload, name=name)
    if expect is not None and result.fingerprint() != expect:
        raise PlanError("the plan changed since the preview; preview the file again")
    if overwrite:  # the spreadsheet's side of its conflicts with the plan files, too
        result = preview(upload, name=name, overwrite=True)
    with transaction.atomic(), acting_as(user, name="" if user else "import",
                                         context=f"import {name or upload.name}"[:200]):
        result.load = _load(result.planset, name or upload.name, dry_run=False,
                            overwrite=overwrite)
    return result
