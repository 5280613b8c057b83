"""From a plan on disk to the portal's database, through the ``innesto.plan`` library.

:func:`load_into_database` reads the plan and stores it with
:func:`innesto.portal.plans.loader.load_planset`, a three-way merge that never loses a
change made in the back office; the status of every node and indicator is then computed by
``innesto.plan.evaluate.compute_status`` from the values the database holds
(:mod:`innesto.portal.plans.truth`). The plan's ``site.yaml`` becomes the
site's identity (:mod:`innesto.portal.site.identity`), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from innesto.errors import PlanError
from innesto.plan import load_plan
from innesto.plan.model import Plan, PlanSet
from innesto.plan.site import Site, default_site, load_site, site_path
from innesto.portal.plans.loader import LoadResult, load_planset
from innesto.portal.site import identity


def read_planset(path: Path) -> PlanSet:
    """The plan set at ``path`` (a YAML file or folder ``innesto.plan.load_plan`` reads)."""
    ps = load_plan(path)
    return ps if isinstance(ps, PlanSet) else _wrap(ps)


def _wrap(plan: Any) -> PlanSet:
    if isinstance(plan, Plan):
        return PlanSet(id=plan.id, title=plan.title, editions=[plan])
    raise PlanError(f"expected a plan set, got {type(plan).__name__}")


def _media(path: Path, media: str | None, ps: PlanSet) -> list[dict[str, Any]] | None:
    """The plan's media: ``--media``, else ``media.yaml`` beside it, else those of the
    shipped example with the same plan set id; None (leave the media as they are)
    otherwise."""
    candidates: Sequence[Path] = (
        [Path(media)] if media else [path / "media.yaml"] if path.is_dir() else []
    )
    for c in candidates:
        if c.exists():
            return list(yaml.safe_load(c.read_text(encoding="utf-8")) or [])
    return None if media else bundled(ps)[0]


def _pages(path: Path, ps: PlanSet) -> dict[str, Any]:
    """Long texts for nodes and sectors: ``pages.yaml`` beside the plan, else those of
    the shipped example with the same plan set id."""
    own = path / "pages.yaml" if path.is_dir() else None
    if own is not None and own.exists():
        return dict(yaml.safe_load(own.read_text(encoding="utf-8")) or {})
    return bundled(ps)[1]


def load_into_database(path: Path, *, media: str | None = None, overwrite: bool = False,
                       dry_run: bool = False, source: str | None = None) -> LoadResult:
    """Merge the plan at ``path`` into the database (see :mod:`innesto.portal.plans.merge`);
    ``source`` names it in the audit log and the diff (default: the path)."""
    ps = read_planset(path)
    site = load_site(path, ps) if site_path(path).exists() else None
    return load_set(ps, source=str(path) if source is None else source,
                    media=_media(path, media, ps), pages=_pages(path, ps),
                    overwrite=overwrite, dry_run=dry_run, site=site)


def bundled(ps: PlanSet) -> tuple[list[dict[str, Any]] | None, dict[str, Any]]:
    """The media and long texts of the shipped example with ``ps``'s id
    (:mod:`innesto.examples`), for a plan that comes without its folder (a spreadsheet
    import); (None, {}) for any other plan."""
    from innesto import examples

    home = examples.for_planset(ps.id)
    media_file = home / "media.yaml" if home else None
    pages_file = home / "pages.yaml" if home else None
    media = (list(yaml.safe_load(media_file.read_text(encoding="utf-8")) or [])
             if media_file and media_file.is_file() else None)
    pages = (dict(yaml.safe_load(pages_file.read_text(encoding="utf-8")) or {})
             if pages_file and pages_file.is_file() else {})
    return media, pages


def load_set(ps: PlanSet, *, source: str, media: list[dict[str, Any]] | None,
             pages: dict[str, Any], overwrite: bool = False, dry_run: bool = False,
             site: Site | None = None) -> LoadResult:
    """Merge the plan set ``ps`` into the database (statuses are computed afterwards
    from the database's values); ``media`` None leaves the media as they are. Without
    ``site`` (a plan folder without ``site.yaml``, a spreadsheet import) the identity
    already loaded for this plan set stays; only a plan never seen gets the neutral one."""
    known = {str(p.edition) for p in ps.editions}
    items = None if media is None else [m for m in media if str(m.get("edition")) in known]
    with transaction.atomic():
        result = load_planset(ps, source=source, media=items, pages=pages,
                              overwrite=overwrite, dry_run=dry_run)
        if not dry_run and (site is not None or not identity.known(ps.id)):
            identity.store(ps.id, site or default_site(ps))
    return result
