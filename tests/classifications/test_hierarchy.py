"""NACE, ATECO, NAICS and ISIC hierarchies shipped with the package."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from innesto import classifications as cls
from innesto.classifications.hierarchy import get
from innesto.errors import ClassificationError
from tests.conftest import require_shared


def test_nace_r2_level_counts():
    """Published structure of NACE Rev.2 (Regulation (EC) 1893/2006): 21 sections, 88
    divisions, 272 groups, 615 classes; the same counts are in ../shared nace2_en.csv."""
    nace = get("NACE_R2")
    assert {lv: len(nace.codes(lv)) for lv in nace.levels} == {
        "section": 21, "division": 88, "group": 272, "class": 615}


def test_nace_r21_level_counts():
    """NACE Rev.2.1 (Regulation (EU) 2023/137): 22 sections, 87 divisions, 287 groups, 651 classes."""
    nace = get("NACE_R21")
    assert [len(nace.codes(lv)) for lv in nace.levels] == [22, 87, 287, 651]


def test_package_data_matches_shared_source():
    """The shipped table has exactly the codes and parents of the shared source file."""
    path = require_shared("classifications", "nace2_en.csv")
    with open(path, encoding="utf-8") as fh:
        rows = {r["nace2"]: (None if r["Parent"] == "NA" else r["Parent"]) for r in csv.DictReader(fh)}
    nace = get("NACE_R2")
    assert {c: n.parent for c, n in nace.nodes.items()} == rows


@pytest.mark.parametrize("raw", ["C30.3", "30.3", "303", "C303", " c 30.3 "])
def test_code_styles_meet(raw):
    assert cls.normalise(raw) == "30.3"


@pytest.mark.parametrize("raw", ["A30", "C-30", "TOTAL", "3", "30.3.1.1", ""])
def test_unknown_codes_raise(raw):
    with pytest.raises(ClassificationError):
        cls.normalise(raw)


def test_tree_navigation():
    assert cls.parent("33.16") == "33.1"
    assert cls.parent("C") is None
    assert cls.children("30.3") == ["30.30"]
    assert cls.level("C33") == "division"
    assert get("NACE_R2").ancestor("33.16", "section") == "C"
    assert len(get("NACE_R2").descendants("C", "division")) == 24  # divisions 10-33


def test_labels_english_and_italian():
    assert cls.label("C29") == "Manufacture of motor vehicles, trailers and semi-trailers"
    assert cls.label("29", lang="it") == "FABBRICAZIONE DI AUTOVEICOLI, RIMORCHI E SEMIRIMORCHI"
    assert cls.label("33.16", lang="it") == "Riparazione e manutenzione di aeromobili e di veicoli spaziali"
    with pytest.raises(ClassificationError):
        cls.label("29", lang="fr")
    with pytest.raises(ClassificationError):
        cls.label("2910", lang="it", classification="ISIC4")


def test_ateco_is_nace_plus_two_digits():
    """ATECO 2007 = NACE Rev.2 down to the class (same 615 classes), plus categories and
    subcategories (Istat); English labels come from NACE."""
    ateco, nace = get("ATECO2007"), get("NACE_R2")
    assert set(ateco.codes("class")) == set(nace.codes("class"))
    assert ateco.normalise("303009") == "30.30.09"
    assert ateco.ancestor("30.30.09", "class") == "30.30"
    assert ateco.label("30.30", "en") == nace.label("30.30")
    with pytest.raises(ClassificationError):
        ateco.label("30.30.09", "en")
    counts = Counter(n.level for n in ateco.nodes.values())
    assert counts["class"] == 615 and counts["subcategory"] == 1224


def test_naics_sectors_spanning_prefixes():
    naics = get("NAICS2017")
    assert naics.normalise("32") == "31-33"
    assert naics.parent("336") == "31-33"
    assert naics.ancestor("336411", "subsector") == "336"
    assert len(naics.codes("sector")) == 20
    assert naics.label("336411") == "Aircraft Manufacturing"


def test_isic4():
    isic = get("ISIC4")
    assert isic.normalise("C2910") == "2910"
    assert isic.ancestor("2910", "section") == "C"
    assert len(isic.codes("class")) == 419


def test_unknown_classification_and_level():
    with pytest.raises(ClassificationError, match="known"):
        get("SIC87")
    with pytest.raises(ClassificationError, match="levels are"):
        get("NACE_R2").codes("subclass")


def test_eurostat_composite_codes():
    from innesto.classifications.composite import members

    assert members("B-E") == ["B", "C", "D", "E"]
    assert members("C10-C12") == ["10", "11", "12"]
    assert members("C31_C32") == ["31", "32"]
    assert len(members("TOTAL")) == 21
    assert cls.label("B-E") == "Industry (except construction)"
    assert cls.label("M_N", lang="it").startswith("Attività professionali")
    assert cls.label("C10-C12") == ("Manufacture of food products; Manufacture of beverages; "
                                    "Manufacture of tobacco products")
    for bad in ("E-B", "C-C10", "Q_Z"):
        with pytest.raises(ClassificationError):
            members(bad)
