"""Template helpers for a figure's provenance (``{% load provenance %}``): the library's
source line in the page's language and the fields of the details disclosure."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from innesto.plan.provenance import DISPUTED, Provenance

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "it").startswith("en") else "it"


@register.filter
def source_line(prov: Provenance | None) -> str:
    """``Source: Eurostat, nama_10r_3empers · persons · licence: CC BY 4.0 · ...``."""
    return prov.line(_lang()) if prov is not None else ""


@register.filter
def provenance_items(prov: Provenance | None) -> list[tuple[str, str]]:
    """(label, text) pairs for the details disclosure, only those known."""
    if prov is None:
        return []
    lang = _lang()
    items = [(_("Source"), prov.source or "–")]
    if prov.dataset:
        items.append((_("Dataset"), prov.dataset))
    if prov.unit is not None:
        items.append((_("Unit"), prov.unit.get(lang)))
    items.append((_("Licence or rights"), prov.licence_text(lang)))
    for label, day in ((_("Released"), prov.released), (_("Retrieved"), prov.retrieved)):
        if day is not None:
            items.append((label, day.isoformat()))
    if prov.confidence:
        items.append((_("Confidence"), prov.confidence))
    if prov.proxy:
        items.append((_("Proxy"), _("measured with something broader than what it stands for")))
    if prov.note is not None:
        items.append((_("Note"), prov.note.get(lang)))
    return items


@register.filter
def is_illustrative(prov: Any) -> bool:
    return bool(getattr(prov, "illustrative", False))


@register.filter
def value_flags(prov: Provenance | None) -> list[str]:
    """What a single value's row must say: its own note, disputed, proxy, illustrative
    (a per-value note or a disputed grade is never dropped)."""
    if prov is None:
        return []
    lang = _lang()
    out = []
    if prov.note is not None:
        out.append(prov.note.get(lang))
    if prov.confidence == "disputed":
        out.append(DISPUTED.get(lang))      # the library's words, from its catalog
    if prov.illustrative:
        out.append(_("illustrative"))
    if prov.source:
        out.append(_("source: %(source)s") % {"source": prov.source})
    return out
