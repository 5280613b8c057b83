"""Mailing lists follow the plan: the whole plan, every axis and every indicator of every
edition, and every sector.

A list's ``ref`` names what it follows: ``<edition>/<node key>`` for an axis,
``<edition>/<indicator id>`` for an indicator, the sector's id for a sector.
:func:`slug_for` gives the list's slug for a plan object without a query, so any page can
link to "follow this" (``?list=<slug>`` preselects it on the subscribe page).
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.text import slugify

from innesto.portal.engage.models import MailingList
from innesto.portal.plans.models import Edition, Indicator, Node, Sector

SLUG_LENGTH = 50


def _slug(*parts: str) -> str:
    """A list slug from its parts, cut to the field's length with a short hash when long."""
    slug = slugify("-".join(parts))
    if len(slug) <= SLUG_LENGTH:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[:SLUG_LENGTH - 9].rstrip('-')}-{digest}"


def slug_for(obj: Node | Sector | Indicator) -> str:
    """The slug of the list that follows ``obj`` (an axis, a sector or an indicator)."""
    if isinstance(obj, Sector):
        return _slug("sector", obj.slug)
    if isinstance(obj, Indicator):
        return _slug("indicator", obj.edition.slug, obj.slug)
    return _slug("axis", obj.edition.slug, obj.key)


def _wanted() -> list[tuple[str, str, str, str, str, str]]:
    """(slug, kind, ref, legacy ref, name_it, name_en) of every list the plan calls for."""
    out: list[tuple[str, str, str, str, str, str]] = []
    editions = list(Edition.objects.order_by("year"))
    newest = editions[-1] if editions else None
    for ed in editions:
        for node in Node.objects.filter(edition=ed, parent=None).select_related("edition"):
            # Lists made before lists were per edition followed the newest edition's axes
            # by their key alone: those rows are adopted, so nobody loses a subscription.
            legacy = node.key if ed == newest else ""
            out.append((slug_for(node), MailingList.Kind.AXIS, f"{ed.slug}/{node.key}", legacy,
                        f"{node.title_it} ({ed.year})",
                        f"{node.title_en or node.title_it} ({ed.year})"))
    for sector in Sector.objects.all():
        out.append((slug_for(sector), MailingList.Kind.SECTOR, sector.slug, "",
                    sector.title_it, sector.title_en or sector.title_it))
    for ind in Indicator.objects.select_related("edition").order_by("edition__year", "slug"):
        out.append((slug_for(ind), MailingList.Kind.INDICATOR, f"{ind.edition.slug}/{ind.slug}",
                    "", f"{ind.title_it} ({ind.edition.year})",
                    f"{ind.title_en or ind.title_it} ({ind.edition.year})"))
    return out


def sync_lists(edition: Edition | None = None) -> int:
    """Create the missing lists for the axes, sectors and indicators of every edition;
    existing lists keep their subscribers and are renamed if the plan changed. Returns the
    number of lists created. (``edition`` is accepted for compatibility: every edition is
    synced.)"""
    created = 0
    with transaction.atomic():
        existing = {m.slug: m for m in MailingList.objects.all()}
        legacy = {(m.kind, m.ref): m for m in existing.values()}
        for position, (slug, kind, ref, old, name_it, name_en) in enumerate(_wanted(), start=1):
            row = existing.get(slug) or (legacy.get((kind, old)) if old else None)
            if row is None:
                MailingList.objects.create(slug=slug, kind=kind, ref=ref, name_it=name_it,
                                           name_en=name_en, position=position)
                created += 1
                continue
            row.slug, row.kind, row.ref = slug, kind, ref
            row.name_it, row.name_en, row.position = name_it, name_en, position
            row.save(update_fields=["slug", "kind", "ref", "name_it", "name_en", "position"])
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
