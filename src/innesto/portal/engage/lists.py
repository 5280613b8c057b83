"""Mailing lists follow the plan: one for the whole plan, one per axis, one per sector."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from innesto.portal.engage.models import MailingList
from innesto.portal.plans.models import Edition, Node, Sector


def sync_lists(edition: Edition | None = None) -> int:
    """Create the missing lists for the axes and sectors of ``edition`` (the newest by
    default); existing lists keep their subscribers and are renamed if the plan changed.
    Returns the number of lists created."""
    edition = edition or Edition.objects.order_by("-year").first()
    if edition is None:
        return 0
    wanted: list[tuple[str, str, str, str, str]] = []
    for node in Node.objects.filter(edition=edition, parent=None):
        wanted.append((slugify(f"axis-{node.key}")[:50], MailingList.Kind.AXIS, node.key,
                       node.title_it, node.title_en or node.title_it))
    for sector in Sector.objects.filter(nodes__edition=edition).distinct():
        wanted.append((slugify(f"sector-{sector.slug}")[:50], MailingList.Kind.SECTOR,
                       sector.slug, sector.title_it, sector.title_en or sector.title_it))
    created = 0
    with transaction.atomic():
        for position, (slug, kind, ref, name_it, name_en) in enumerate(wanted, start=1):
            _obj, new = MailingList.objects.update_or_create(
                slug=slug, defaults={"kind": kind, "ref": ref, "name_it": name_it,
                                     "name_en": name_en, "position": position})
            created += int(new)
    return created


def ensure_synced() -> None:
    """Sync the lists once after each plan load (checked cheaply on the subscribe page).

    ``load_plan`` belongs to the plans app, so instead of a hook there, the newest
    ``Edition.loaded_at`` is compared with the one of the last sync, kept in the cache.
    """
    from django.core.cache import cache
    from django.db.models import Max

    stamp = Edition.objects.aggregate(m=Max("loaded_at"))["m"]
    if stamp is None:
        return
    key = "innesto:engage:lists-synced"
    if cache.get(key) != stamp.isoformat():
        sync_lists()
        cache.set(key, stamp.isoformat(), None)
