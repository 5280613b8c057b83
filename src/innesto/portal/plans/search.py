"""Site search over plan content in the active language.

On PostgreSQL it uses full-text search (``italian``/``english`` configurations, ranked);
elsewhere (SQLite) every word must occur, case-insensitively, in the title or the text.
Each hit is a :class:`Hit` with a title, a snippet and the page's URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from innesto.portal.plans.models import Indicator, Media, Node, Sector

LIMIT = 50


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    snippet: str
    url: str
    rank: float = 0.0


def _lang() -> str:
    return "en" if (get_language() or "it").startswith("en") else "it"


def _filter(qs: QuerySet, fields: list[str], query: str, lang: str) -> QuerySet:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = "english" if lang == "en" else "italian"
        vector = SearchVector(*fields, config=config)
        sq = SearchQuery(query, config=config, search_type="websearch")
        return (
            qs.annotate(rank=SearchRank(vector, sq))
            .filter(rank__gt=0)
            .order_by("-rank")
        )
    words = [w for w in query.split() if w][:10]
    if not words:
        return qs.none()
    conds = [reduce(lambda a, b: a | b, [Q(**{f"{f}__icontains": w}) for f in fields])
             for w in words]
    return qs.filter(reduce(and_, conds))


def _snippet(text: str, query: str, width: int = 200) -> str:
    low = text.lower()
    pos = min((low.find(w.lower()) for w in query.split() if low.find(w.lower()) >= 0),
              default=0)
    start = max(pos - width // 3, 0)
    out = text[start:start + width].strip()
    return ("…" if start else "") + out + ("…" if start + width < len(text) else "")


def search_plan(query: str) -> list[Hit]:
    """Plan nodes, indicators, sectors and media matching ``query`` in the active language."""
    lang = _lang()
    hits: list[Hit] = []
    specs: list[tuple[Any, list[str], str]] = [
        (Node, [f"title_{lang}", f"body_{lang}", f"status_explanation_{lang}"], _("Plan")),
        (Indicator, [f"title_{lang}", f"body_{lang}", f"source_{lang}"], _("Indicator")),
        (Sector, [f"title_{lang}", f"body_{lang}"], _("Sector")),
        (Media, [f"title_{lang}", f"transcript_{lang}"], _("Media")),
    ]
    for model, fields, kind in specs:
        base = model.objects.all() if model is Sector else model.objects.select_related("edition")
        qs = _filter(base, fields, query, lang)
        for obj in qs[:LIMIT]:
            text = " ".join(str(getattr(obj, f) or "") for f in fields[1:])
            hits.append(Hit(kind, getattr(obj, "title"), _snippet(text, query),  # noqa: B009
                            _url(obj), float(getattr(obj, "rank", 0.0) or 0.0)))
    return hits[:LIMIT]


def _url(obj: Model) -> str:
    if isinstance(obj, Node):
        return reverse("plans:node", args=[obj.edition.slug, obj.path])
    if isinstance(obj, Indicator):
        return reverse("plans:indicator", args=[obj.edition.slug, obj.slug])
    if isinstance(obj, Sector):
        return reverse("sectors:sector", args=[obj.slug])
    assert isinstance(obj, Media)
    return reverse("plans:media", args=[obj.edition.slug, obj.slug])
