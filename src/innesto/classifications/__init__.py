"""Classifications (NACE, ATECO, NAICS, ISIC), crosswalks, sector groupings and aggregation.

Nothing is read at import time: each table is loaded on first use and cached.

Examples
--------
>>> label("C29.1"), label("29.1", lang="it")
('Manufacture of motor vehicles', 'FABBRICAZIONE DI AUTOVEICOLI')
>>> parent("29.10"), children("29.1"), level("C29")
('29.1', ['29.10'], 'division')
"""

from __future__ import annotations

from innesto.classifications.aggregate import aggregate, aggregate_with_report
from innesto.classifications.composite import is_composite
from innesto.classifications.composite import members as composite_members
from innesto.classifications.crosswalk import (
    nace_r2_to_r21,
    nace_r21_to_r2,
    naics2017_to_nace_r2,
)
from innesto.classifications.hierarchy import Hierarchy, Node, get, resolve
from innesto.classifications.htec import HTEC, grouping, knowledge_group, technology_group
from innesto.classifications.sums import SectorSums, sector_sums


def label(code: str, lang: str = "en", classification: str = "NACE_R2") -> str:
    """The code's title in English (``"en"``) or Italian (``"it"``, from Istat's ATECO)."""
    return get(classification).label(code, lang)


def parent(code: str, classification: str = "NACE_R2") -> str | None:
    """The code one level up (``None`` for a section)."""
    return get(classification).parent(code)


def children(code: str, classification: str = "NACE_R2") -> list[str]:
    """The codes one level down."""
    return get(classification).children(code)


def level(code: str, classification: str = "NACE_R2") -> str:
    """The code's level (``section``, ``division``, ``group``, ``class``...)."""
    return get(classification).level(code)


def normalise(code: str, classification: str = "NACE_R2") -> str:
    """The canonical spelling of a code (``C303`` -> ``30.3``)."""
    return get(classification).normalise(code)


__all__ = [
    "HTEC",
    "Hierarchy",
    "Node",
    "SectorSums",
    "aggregate",
    "aggregate_with_report",
    "children",
    "composite_members",
    "get",
    "grouping",
    "is_composite",
    "knowledge_group",
    "label",
    "sector_sums",
    "level",
    "naics2017_to_nace_r2",
    "nace_r21_to_r2",
    "nace_r2_to_r21",
    "normalise",
    "parent",
    "resolve",
    "technology_group",
]
