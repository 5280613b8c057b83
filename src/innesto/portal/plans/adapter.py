"""From a plan on disk to the portal's database, through the ``innesto.plan`` library.

:func:`load_into_database` reads the plan, asks ``innesto.plan.evaluate.compute_status`` for the
status of every node and indicator with its explanation, and stores all of it with
:func:`innesto.portal.plans.loader.load_planset`, a three-way merge
that never loses a change made in the back office. The plan's ``site.yaml`` becomes the
site's identity (:mod:`innesto.portal.site.identity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from innesto.errors import PlanError
from innesto.plan import load_plan
from innesto.plan.evaluate import PlanStatus, compute_status
from innesto.plan.model import Plan, PlanSet
from innesto.plan.site import default_site, load_site, site_path
from innesto.portal.plans.loader import LoadResult, load_planset
from innesto.portal.site import identity

DATA = Path(__file__).resolve().parent / "data"
BUNDLED_MEDIA = DATA / "torino-media.yaml"
BUNDLED_PAGES = DATA / "torino-seed.yaml"


def read_planset(path: Path) -> PlanSet:
    """The plan set at ``path`` (a YAML file or folder ``innesto.plan.load_plan`` reads)."""
    ps = load_plan(path)
    return ps if isinstance(ps, PlanSet) else _wrap(ps)


def _wrap(plan: Any) -> PlanSet:
    if isinstance(plan, Plan):
        return PlanSet(id=plan.id, title=plan.title, editions=[plan])
    raise PlanError(f"expected a plan set, got {type(plan).__name__}")


def statuses(ps: PlanSet, extra: dict[str, list[Any]]) -> dict[int, PlanStatus]:
    return {p.edition: compute_status(ps, edition=p.edition, extra=extra) for p in ps.editions}


def _media(path: Path, media: str | None, ps: PlanSet) -> list[dict[str, Any]]:
    candidates: Sequence[Path] = (
        [Path(media)] if media else [path / "media.yaml"] if path.is_dir() else []
    )
    for c in candidates:
        if c.exists():
            return list(yaml.safe_load(c.read_text(encoding="utf-8")) or [])
    if not media and ps.id.startswith("torino"):
        return list(yaml.safe_load(BUNDLED_MEDIA.read_text(encoding="utf-8")))
    return []


def _pages(path: Path, ps: PlanSet) -> dict[str, Any]:
    """Long texts for nodes and sectors: ``pages.yaml`` beside the plan, else the seed
    page's texts bundled for the Torino plan."""
    own = path / "pages.yaml" if path.is_dir() else None
    if own is not None and own.exists():
        return dict(yaml.safe_load(own.read_text(encoding="utf-8")) or {})
    if ps.id.startswith("torino"):
        return dict(yaml.safe_load(BUNDLED_PAGES.read_text(encoding="utf-8")))
    return {}


def load_into_database(path: Path, *, media: str | None = None, overwrite: bool = False,
                       dry_run: bool = False, source: str | None = None) -> LoadResult:
    """Merge the plan at ``path`` into the database (see :mod:`innesto.portal.plans.merge`);
    ``source`` names it in the audit log and the diff (default: the path)."""
    ps = read_planset(path)
    # The plan's bound indicators carry their values as observations (vintages recorded
    # by ``innesto plan refresh``), so nothing is recomputed here.
    extra: dict[str, list[Any]] = {}
    st = statuses(ps, extra)

    def status_of(plan: Plan, kind: str, ident: str) -> tuple[str, str, str] | None:
        s = st.get(plan.edition)
        if s is None:
            return None
        if kind == "indicator" and ident in s.indicators:
            i = s.indicators[ident]
            return i.status, i.explanation.get("it"), i.explanation.get("en")
        if kind == "node" and ident in s.nodes:
            n = s.nodes[ident]
            d = n.delivery.explanation
            it = n.explanation.get("it") + (f". {d.get('it')}" if d.get("it") else "")
            en = n.explanation.get("en") + (f". {d.get('en')}" if d.get("en") else "")
            return n.outcome, it, en
        return None

    known = {str(p.edition) for p in ps.editions}
    items = [m for m in _media(path, media, ps) if str(m.get("edition")) in known]
    site = load_site(path, ps) if site_path(path).exists() else None
    result = load_planset(ps, status_of=status_of,
                          source=str(path) if source is None else source, media=items,
                          extra=extra, pages=_pages(path, ps), overwrite=overwrite,
                          dry_run=dry_run)
    # A plan folder without site.yaml (e.g. a spreadsheet import) keeps the identity
    # already loaded for this plan set; only a plan never seen gets the neutral one.
    if not dry_run and (site is not None or not identity.known(ps.id)):
        identity.store(ps.id, site or default_site(ps))
    return result
