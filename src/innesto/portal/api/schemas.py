"""Response and filter schemas of the read API (bilingual texts as ``{"it": ..., "en": ...}``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema

from innesto.portal.plans.models import Edition, Indicator, IndicatorValue, Node, Sector
from innesto.portal.plans.provenance import of_stored_indicator, of_stored_value


class Message(Schema):
    """An error: ``{"detail": "Not Found"}``."""

    detail: str


class Text(Schema):
    it: str
    en: str


def _t(obj: Any, field: str) -> Text:
    return Text(it=getattr(obj, f"{field}_it") or "", en=getattr(obj, f"{field}_en") or "")


class EditionOut(Schema):
    id: str
    year: int
    horizon: int | None = None
    title: Text
    previous: str | None = None

    @staticmethod
    def resolve_id(obj: Edition) -> str:
        return obj.slug

    @staticmethod
    def resolve_title(obj: Edition) -> Text:
        return _t(obj, "title")

    @staticmethod
    def resolve_previous(obj: Edition) -> str | None:
        return obj.previous.slug if obj.previous else None


class EditionDetail(EditionOut):
    document: dict[str, Any]


class NodeFilter(Schema):
    level: str | None = None
    parent: str | None = None
    status: str | None = None
    q: str | None = None


class NodeOut(Schema):
    id: str
    edition: str
    path: str
    level: str
    parent: str | None = None
    title: Text
    status: str
    #: The status or delivery rests on an illustrative figure (the plan library's verdict).
    illustrative: bool = False
    budget_planned: float | None = None
    budget_spent: float | None = None

    @staticmethod
    def resolve_id(obj: Node) -> str:
        return obj.key

    @staticmethod
    def resolve_edition(obj: Node) -> str:
        return obj.edition.slug

    @staticmethod
    def resolve_level(obj: Node) -> str:
        return obj.kind

    @staticmethod
    def resolve_parent(obj: Node) -> str | None:
        return obj.parent.key if obj.parent else None

    @staticmethod
    def resolve_title(obj: Node) -> Text:
        return _t(obj, "title")


class NodeDetail(NodeOut):
    description: Text
    status_explanation: Text
    document: dict[str, Any]

    @staticmethod
    def resolve_description(obj: Node) -> Text:
        return _t(obj, "body")

    @staticmethod
    def resolve_status_explanation(obj: Node) -> Text:
        return _t(obj, "status_explanation")


class IndicatorFilter(Schema):
    edition: str | None = None
    sector: str | None = None
    status: str | None = None


class IndicatorOut(Schema):
    id: str
    edition: str
    node: str | None = None
    name: Text
    unit: Text
    direction: str
    baseline_period: str
    baseline_value: float | None = None
    target_period: str
    target_value: float | None = None
    status: str

    @staticmethod
    def resolve_id(obj: Indicator) -> str:
        return obj.slug

    @staticmethod
    def resolve_edition(obj: Indicator) -> str:
        return obj.edition.slug

    @staticmethod
    def resolve_node(obj: Indicator) -> str | None:
        return obj.node.key if obj.node else None

    @staticmethod
    def resolve_name(obj: Indicator) -> Text:
        return _t(obj, "title")

    @staticmethod
    def resolve_unit(obj: Indicator) -> Text:
        return _t(obj, "unit")


class ValueOut(Schema):
    """One published value: ``published`` is the release date of its data vintage (the
    plan's date, as on the pages), ``recorded_at`` when the portal learnt it, and
    ``provenance`` its source, dataset, unit, licence, dates, grade, note and flags."""

    period: str
    value: float | None = None
    provisional: bool
    illustrative: bool = False
    published: date
    recorded_at: datetime
    superseded: datetime | None = None
    provenance: dict[str, Any]

    @classmethod
    def from_row(cls, v: IndicatorValue) -> ValueOut:
        prov = of_stored_value(v)
        return cls(period=v.period, value=v.value, provisional=v.provisional,
                   illustrative=prov.illustrative, published=v.published_on,
                   recorded_at=v.recorded_at, superseded=v.superseded_at,
                   provenance=prov.to_dict())


class IndicatorDetail(IndicatorOut):
    status_explanation: Text
    source: str
    illustrative: bool
    provenance: dict[str, Any]
    as_of: date | None = None
    values: list[ValueOut]
    history: list[ValueOut]

    @staticmethod
    def resolve_status_explanation(obj: Indicator) -> Text:
        return _t(obj, "status_explanation")

    @staticmethod
    def resolve_source(obj: Indicator) -> str:
        return obj.source_en or obj.source_it

    @staticmethod
    def resolve_provenance(obj: Indicator) -> dict[str, Any]:
        return of_stored_indicator(obj).to_dict()

    @staticmethod
    def resolve_as_of(obj: Indicator) -> date | None:
        return getattr(obj, "api_as_of", None)

    @staticmethod
    def resolve_values(obj: Indicator) -> list[ValueOut]:
        return list(getattr(obj, "api_values", []))

    @staticmethod
    def resolve_history(obj: Indicator) -> list[ValueOut]:
        return list(getattr(obj, "api_history", []))


class SectorOut(Schema):
    id: str
    name: Text
    industries: list[str]
    nace: list[str]
    proxy: bool

    @staticmethod
    def resolve_id(obj: Sector) -> str:
        return obj.slug

    @staticmethod
    def resolve_name(obj: Sector) -> Text:
        return _t(obj, "title")


class MeasureRow(Schema):
    time: str
    employment: float | None = None
    lq: float | None = None


class MeasuresOut(Schema):
    sector: str
    region: str
    reference: str
    industries: list[str]
    source: str
    values: list[MeasureRow]
