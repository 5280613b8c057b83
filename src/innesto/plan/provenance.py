"""The provenance of one published value, resolved once for every output.

A value's provenance is its observation's own fields, falling back on its indicator's
(source, dataset, licence, confidence, note) and, for the unit and the proxy flag, on the
indicator itself. Every output (the plan's ``values.csv``, the Data Package, the portal's
pages, downloads and API, the PDF report) reads the same :class:`Provenance`, so a
figure carries the same source line wherever it is shown.

No licence is ever assumed: a value whose source states none says so ("rights not
stated"), so a press figure is never shown as if it were open data.

Examples
--------
>>> from datetime import date
>>> from innesto.plan.i18n import Text
>>> from innesto.plan.model import Indicator, Observation
>>> ind = Indicator(id="x", name=Text(it="x", en="x"), unit=Text(it="persone", en="persons"),
...                 source="Eurostat", dataset="nama_10r_3empers", licence="CC BY 4.0")
>>> obs = Observation(period="2017", value=1.0, published=date(2019, 3, 1),
...                   retrieved=date(2026, 11, 26))
>>> p = of_value(ind, obs)
>>> p.line("en")
'Source: Eurostat, nama_10r_3empers · persons · licence: CC BY 4.0 · released 2019-03-01 · retrieved 2026-11-26'
>>> p.line("it")
'Fonte: Eurostat, nama_10r_3empers · persone · licenza: CC BY 4.0 · pubblicato il 2019-03-01 · acquisito il 2026-11-26'
>>> of_value(Indicator(id="y", name=Text(it="y", en="y"), unit=Text(it="auto", en="cars"),
...                    source="press"), obs).licence_text("en")
'rights not stated'
>>> from_dict(p.to_dict()) == p
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from innesto.plan.i18n import Text, both, tr
from innesto.plan.model import Indicator, Observation, Sourced

NO_LICENCE = both("rights not stated")
ILLUSTRATIVE = both("illustrative figure, not sourced")
PROXY = both("proxy")
DISPUTED = both("disputed: sources disagree")
#: Columns every value download carries, in this order (see :meth:`Provenance.row`).
COLUMNS = ("unit", "source", "dataset", "licence", "released", "retrieved", "confidence",
           "proxy", "illustrative", "note")


@dataclass(frozen=True)
class Provenance:
    """Where a value comes from, how sure we are and what may be done with it."""

    source: str | None = None
    dataset: str | None = None
    unit: Text | None = None
    licence: str | None = None
    released: date | None = None
    retrieved: date | None = None
    confidence: str | None = None
    note: Text | None = None
    proxy: bool = False
    illustrative: bool = False

    def licence_text(self, lang: str) -> str:
        return self.licence or NO_LICENCE.get(lang)

    def line(self, lang: str) -> str:
        """The one-line source statement shown next to a figure."""
        where = ", ".join(x for x in (self.source, self.dataset) if x) or tr(lang, "not stated")
        parts = [tr(lang, "Source: %(source)s", source=where)]
        if self.unit is not None:
            parts.append(self.unit.get(lang))
        parts.append(tr(lang, "licence: %(licence)s", licence=self.licence_text(lang)))
        if self.released is not None:
            parts.append(tr(lang, "released %(date)s", date=self.released.isoformat()))
        if self.retrieved is not None:
            parts.append(tr(lang, "retrieved %(date)s", date=self.retrieved.isoformat()))
        if self.proxy:
            parts.append(PROXY.get(lang))
        if self.illustrative:
            parts.append(ILLUSTRATIVE.get(lang))
        if self.confidence == "disputed":
            parts.append(DISPUTED.get(lang))
        return " · ".join(parts)

    def row(self, lang: str = "en") -> dict[str, Any]:
        """The :data:`COLUMNS` of a CSV row (booleans as ``true``/``false``)."""
        return {
            "unit": self.unit.get(lang) if self.unit else "",
            "source": self.source or "", "dataset": self.dataset or "",
            "licence": self.licence_text(lang),
            "released": self.released.isoformat() if self.released else "",
            "retrieved": self.retrieved.isoformat() if self.retrieved else "",
            "confidence": self.confidence or "",
            "proxy": "true" if self.proxy else "false",
            "illustrative": "true" if self.illustrative else "false",
            "note": self.note.get(lang) if self.note else "",
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON for the API: bilingual texts as ``{"it": ..., "en": ...}``."""
        return {
            "source": self.source, "dataset": self.dataset,
            "unit": self.unit.model_dump() if self.unit else None,
            "licence": self.licence, "licence_text": NO_LICENCE.model_dump()
            if self.licence is None else {"it": self.licence, "en": self.licence},
            "released": self.released.isoformat() if self.released else None,
            "retrieved": self.retrieved.isoformat() if self.retrieved else None,
            "confidence": self.confidence,
            "note": self.note.model_dump() if self.note else None,
            "proxy": self.proxy, "illustrative": self.illustrative,
            "line": {"it": self.line("it"), "en": self.line("en")},
        }


def from_dict(d: dict[str, Any]) -> Provenance:
    """The inverse of :meth:`Provenance.to_dict` (as stored by the portal)."""
    if not d:
        return Provenance()
    day = lambda k: date.fromisoformat(d[k]) if d.get(k) else None  # noqa: E731
    txt = lambda k: Text(**d[k]) if d.get(k) else None  # noqa: E731
    return Provenance(source=d.get("source"), dataset=d.get("dataset"), unit=txt("unit"),
                      licence=d.get("licence"), released=day("released"),
                      retrieved=day("retrieved"), confidence=d.get("confidence"),
                      note=txt("note"), proxy=bool(d.get("proxy")),
                      illustrative=bool(d.get("illustrative")))


def of(item: Sourced, *, unit: Text | None = None, fallback: Sourced | None = None,
       released: date | None = None) -> Provenance:
    """The provenance of a plan element, its missing fields taken from ``fallback``."""
    fb = fallback or Sourced()
    return Provenance(
        source=item.source or fb.source, dataset=item.dataset or fb.dataset, unit=unit,
        licence=item.licence or fb.licence, released=released,
        retrieved=item.retrieved or fb.retrieved,
        confidence=item.confidence or fb.confidence, note=item.note or fb.note,
        proxy=item.proxy or fb.proxy, illustrative=item.illustrative or fb.illustrative,
    )


def of_value(ind: Indicator, obs: Observation) -> Provenance:
    """The provenance of one observation of ``ind``: the observation's fields, else the
    indicator's; the note is the value's own; the release date is its ``published``."""
    return replace(of(obs, unit=ind.unit, fallback=ind, released=obs.published), note=obs.note)


def of_indicator(ind: Indicator) -> Provenance:
    """The indicator's own provenance (for its chart and its page)."""
    return of(ind, unit=ind.unit)
