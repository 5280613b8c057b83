"""What is missing in Italian or English, and the publication gate that depends on it.

A text is *mandatory* in both languages when it is a title, or when it is filled in one
language (a body written in Italian must exist in English before it goes live).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from innesto.portal.plans import models as plan

CHECKED: list[type[models.Model]] = [plan.Edition, plan.Node, plan.Indicator, plan.Sector,
                                     plan.Milestone, plan.Media]


@dataclass(frozen=True)
class Missing:
    model: str
    object_id: int
    label: str
    field: str
    language: str


def _pairs(model: type[models.Model]) -> list[str]:
    names = {f.name for f in model._meta.get_fields() if isinstance(f, models.Field)}
    return sorted({n[:-3] for n in names if n.endswith("_it") and n[:-3] + "_en" in names})


def missing_for(obj: models.Model) -> list[Missing]:
    """The mandatory translations ``obj`` lacks."""
    out = []
    for base in _pairs(type(obj)):
        it = str(getattr(obj, f"{base}_it") or "").strip()
        en = str(getattr(obj, f"{base}_en") or "").strip()
        if base == "title" or it or en:
            for lang, value in (("it", it), ("en", en)):
                if not value:
                    out.append(Missing(obj._meta.label_lower, int(obj.pk or 0), str(obj),
                                       base, lang))
    return out


def missing_all(edition: plan.Edition | None = None) -> list[Missing]:
    """Every missing mandatory translation, edition by edition."""
    out: list[Missing] = []
    for model in CHECKED:
        qs = model._default_manager.all()
        if edition is not None:
            field_names = {f.name for f in model._meta.get_fields()}
            if model is plan.Edition:
                qs = qs.filter(pk=edition.pk)
            elif "edition" in field_names:
                qs = qs.filter(edition=edition)
            elif model is plan.Milestone:
                qs = qs.filter(node__edition=edition)
            elif model is plan.Sector:
                qs = qs.filter(nodes__edition=edition).distinct()
        for obj in qs:
            out.extend(missing_for(obj))
    return out
