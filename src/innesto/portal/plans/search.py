"""Site search over plan content in the active language.

Words match whole or as a prefix, never inside another word ("ICT" finds "ICT" and
"ICTs" but not "district"): on PostgreSQL through full-text search (``italian``/``english``
configurations, each word a prefix query ``word:*``, ranked); elsewhere (SQLite) every word
must start a word of the title or the text, case-insensitively. Each hit is a :class:`Hit`
with a title, a snippet, the page's URL and the edition it belongs to.
"""

from __future__ import annotations

import re
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
    edition: str = ""  # "2006 · <edition title>"; blank for what spans editions (sectors)


def _lang() -> str:
    return "en" if (get_language() or "it").startswith("en") else "it"


def words(query: str) -> list[str]:
    """The query's words (letters and digits only; at most ten).

    >>> words("ICT, ricerca & sviluppo!")
    ['ICT', 'ricerca', 'sviluppo']
    """
    return re.findall(r"\w+", query)[:10]


def _filter(qs: QuerySet, fields: list[str], query: str, lang: str) -> QuerySet:
    terms = words(query)
    if not terms:
        return qs.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = "english" if lang == "en" else "italian"
        vector = SearchVector(*fields, config=config)
        sq = SearchQuery(" & ".join(f"{t}:*" for t in terms), config=config,
                         search_type="raw")
        return (
            qs.annotate(rank=SearchRank(vector, sq))
            .filter(rank__gt=0)
            .order_by("-rank")
        )
    conds = [reduce(lambda a, b: a | b,
                    [Q(**{f"{f}__iregex": rf"(^|\W){re.escape(w)}"}) for f in fields])
             for w in terms]
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
                            _url(obj), float(getattr(obj, "rank", 0.0) or 0.0),
                            _edition(obj)))
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


def _edition(obj: Model) -> str:
    """``2006 · <title>`` of the edition ``obj`` belongs to (blank for a sector)."""
    edition = getattr(obj, "edition", None)
    return f"{edition.year} · {edition.title}" if edition is not None else ""
