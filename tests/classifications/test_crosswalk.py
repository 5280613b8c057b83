"""Correspondence tables shipped with the package."""

from __future__ import annotations

from innesto.classifications.crosswalk import (
    _pairs,
    nace_r2_to_r21,
    nace_r21_to_r2,
    naics2017_to_nace_r2,
)


def test_nace_r2_r21_one_to_one_links():
    """Counts of the same-level links in Eurostat's aggregate correspondence table
    (../shared AggregateCorrespondenceTable_NACE_Rev2_to_NACE_Rev21.csv)."""
    pairs = _pairs("nace_r2_r21.csv.gz")
    assert len(pairs) == 22 + 79 + 230 + 505
    assert nace_r2_to_r21("C33.16") == ["33.16"]
    assert nace_r21_to_r2("33.16") == ["33.16"]
    # 30.30 was split into 30.31 (civil) and 30.32 (military) in Rev.2.1: no 1:1 link
    assert nace_r2_to_r21("30.30") == []


def test_naics_to_nace():
    assert naics2017_to_nace_r2("336411") == {"30.30"}
    assert "30.30" in naics2017_to_nace_r2("3364")
