"""Every message catalog (the portal's, its apps' and the library's) is
complete in both languages, plural messages have every plural form, placeholders survive
translation, and each compiled ``.mo`` is its ``.po`` (issue 12 item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "innesto"
CATALOGS = sorted(SRC.rglob("locale/*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _nplurals(po: polib.POFile) -> int:
    m = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert m, "no Plural-Forms header"
    return int(m.group(1))


def test_the_catalogs_are_found() -> None:
    names = {p.relative_to(SRC).as_posix() for p in CATALOGS}
    assert "portal/locale/it/LC_MESSAGES/django.po" in names
    assert "locale/it/LC_MESSAGES/innesto.po" in names
    assert "locale/en/LC_MESSAGES/innesto.po" in names


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(SRC).as_posix())
def test_every_message_is_translated_with_every_plural_form(path: Path) -> None:
    po = polib.pofile(str(path))
    n = _nplurals(po)
    problems = []
    for e in po:
        if e.obsolete:
            continue
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy: {e.msgid!r}")
        elif e.msgid_plural:
            forms = [e.msgstr_plural.get(i, "") for i in range(n)]
            if not all(forms):
                problems.append(f"missing plural form: {e.msgid!r}")
            want = set(PLACEHOLDER.findall(e.msgid_plural))
            if set(PLACEHOLDER.findall(forms[-1])) != want:
                problems.append(f"placeholders differ: {e.msgid!r}")
        elif not e.msgstr:
            problems.append(f"untranslated: {e.msgid!r}")
        elif set(PLACEHOLDER.findall(e.msgstr)) != set(PLACEHOLDER.findall(e.msgid)):
            problems.append(f"placeholders differ: {e.msgid!r}")
    assert problems == []


@pytest.mark.parametrize("path", [p for p in CATALOGS if "/it/" in p.as_posix()
                                  and Path(str(p).replace("/it/", "/en/")).exists()],
                         ids=lambda p: p.relative_to(SRC).as_posix())
def test_both_languages_have_the_same_messages(path: Path) -> None:
    it = {e.msgid for e in polib.pofile(str(path)) if not e.obsolete}
    en = {e.msgid for e in polib.pofile(str(path).replace("/it/", "/en/")) if not e.obsolete}
    assert sorted(it ^ en) == []


def _entries(cat: polib.POFile | polib.MOFile) -> dict[str, object]:
    return {e.msgid: (dict(e.msgstr_plural) if e.msgid_plural else e.msgstr)
            for e in cat if not e.obsolete and (e.msgstr or e.msgstr_plural)}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(SRC).as_posix())
def test_the_compiled_catalog_is_the_po_plurals_included(path: Path) -> None:
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    want, have = _entries(po), _entries(mo)
    assert {k: have.get(k) for k in want} == want, "run: python -m innesto.portal.i18n compile"


def test_counts_read_right_in_both_languages() -> None:
    """The sentences of the issue: "1 parti su 6 ... sono", "none of the 1 parts",
    "1 of 1 milestones"."""
    from datetime import date

    from innesto.plan.delivery import delivery
    from innesto.plan.i18n import Text
    from innesto.plan.model import Milestone
    from innesto.plan.rollup import Part, combine

    one_on_track = [Part("indicator", "a", Text(en="A"), 1.0, "substantial_progress", 3.0),
                    *[Part("indicator", f"x{i}", Text(en="X"), 1.0, "deterioration", -5.0)
                      for i in range(5)]]
    __, __, text = combine(one_on_track, "share_on_track")
    assert text.it.startswith("1 parte valutata su 6 è in linea")
    assert text.en.startswith("1 assessed part on track out of 6")
    __, __, text = combine([Part("indicator", "a", Text(en="A"), 1.0, "not_available", None)],
                           "weighted_mean")
    assert text.en == "the only part has no data: not available"
    assert text.it == "l'unica parte non ha dati: non disponibile"
    d = delivery([Milestone(id="a", title=Text(it="A", en="A"), due=date(2007, 1, 1),
                            done=date(2006, 12, 1), status="done")], [], as_of=date(2010, 1, 1))
    assert d.explanation.en == "1 milestone done out of 1"
    assert d.explanation.it == "1 traguardo raggiunto su 1"
