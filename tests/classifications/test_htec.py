"""Eurostat high-tech / knowledge-intensive aggregates (htec_esms Annex 3)."""

from __future__ import annotations

import pytest

from innesto.classifications.hierarchy import get
from innesto.classifications.htec import HTEC, KNOWLEDGE, TECHNOLOGY, grouping, technology_group
from innesto.errors import ClassificationError


def test_technology_classes_partition_manufacturing():
    """Identity: HT, MHT, MLT and LT cover NACE section C (divisions 10-33) exactly once."""
    divisions = [d for k in TECHNOLOGY for d in HTEC[k].divisions]
    assert sorted(divisions) == sorted(get("NACE_R2").descendants("C", "division"))
    assert len(divisions) == len(set(divisions)) == 24


def test_knowledge_classes_partition_services():
    """Identity: KIS and LKIS sub-classes are disjoint, their unions are KIS and LKIS, and
    together they cover sections G to U (divisions 45-99) exactly once."""
    subs = [d for k in KNOWLEDGE for d in HTEC[k].divisions]
    assert len(subs) == len(set(subs))
    assert sorted(HTEC["KIS"].divisions) == sorted(
        d for k in ("KIMS", "KIHTS", "KIFS", "OKIS") for d in HTEC[k].divisions)
    assert sorted(HTEC["LKIS"].divisions) == sorted(
        d for k in ("LKIMS", "OLKIS") for d in HTEC[k].divisions)
    nace = get("NACE_R2")
    services = [d for s in "GHIJKLMNOPQRSTU" for d in nace.descendants(s, "division")]
    assert sorted(subs) == sorted(services)


def test_published_membership():
    """Annex 3: HT = 21, 26; MHT = 20, 27-30; KIHTS = 59-63, 72."""
    assert HTEC["HT"].divisions == ("21", "26")
    assert grouping(["MHT"]) == {"MHT": ["20", "27", "28", "29", "30"]}
    assert HTEC["KIHTS"].divisions == ("59", "60", "61", "62", "63", "72")
    assert HTEC["HT"].eurostat_code == "C_HTC"
    assert technology_group("C29.10") == "MHT"
    assert technology_group("62.01") is None


def test_unknown_aggregate():
    with pytest.raises(ClassificationError, match="HT"):
        grouping(["XX"])
