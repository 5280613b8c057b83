"""The library's one i18n mechanism: every text the library and the CLI write goes through the
gettext domain ``innesto`` (``innesto.plan.i18n``), and both catalogs hold every message the
code uses, plural forms included.

The messages are read from the code itself (every call of ``tr``, ``both``, ``nplural``,
``nboth``, ``msg`` and ``nmsg`` under ``src/innesto`` outside the portal, whose own texts go
through Django), so a text added without its translation fails here, and so does a catalog
entry no code uses; ``python -m innesto.portal.i18n check`` fails the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from innesto.plan.i18n import both, nboth, nplural, tr
from innesto.portal.i18n import code_messages, main

SRC = Path(__file__).resolve().parents[2] / "src" / "innesto"
CATALOG = SRC / "locale" / "{lang}" / "LC_MESSAGES" / "innesto.po"


def used_messages() -> tuple[dict[str, str | None], list[str]]:
    """``{msgid: msgid_plural or None}`` of every message call in the library and the CLI
    (``tr``, ``nplural``, ``both``, ``nboth``, ``msg``, ``nmsg``), and the calls whose msgid
    is not a literal string: what ``python -m innesto.portal.i18n check`` checks."""
    return code_messages(SRC)


def _catalog(lang: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(CATALOG).format(lang=lang)) if not e.obsolete}


def test_the_code_uses_the_catalog_with_literal_messages() -> None:
    found, bad = used_messages()
    assert bad == [], "a message must be a literal string so that it can be catalogued"
    assert len(found) >= 200          # status, roll-up, delivery, provenance, CLI


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_message_the_code_uses_is_in_the_catalog(lang: str) -> None:
    found, __ = used_messages()
    cat = _catalog(lang)
    missing = sorted(m for m in found if m not in cat)
    assert missing == [], f"add them to {CATALOG} ({lang}) and compile"
    wrong_kind = sorted(m for m, plural in found.items()
                        if (cat[m].msgid_plural or None) != plural)
    assert wrong_kind == [], "singular in the code, plural in the catalog, or the other way"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_catalog_holds_no_message_the_code_does_not_use(lang: str) -> None:
    found, __ = used_messages()
    assert sorted(set(_catalog(lang)) - set(found) - {""}) == []


@pytest.mark.parametrize("lang", ["it", "en"])
def test_plural_forms_are_those_of_the_language(lang: str) -> None:
    """Italian and English both have two forms, the singular for exactly one (CLDR)."""
    po = polib.pofile(str(CATALOG).format(lang=lang))
    header = re.sub(r"\s+", "", po.metadata["Plural-Forms"])
    assert header == "nplurals=2;plural=(n!=1);"
    assert po.metadata["Language"] == lang
    for e in po:
        if e.msgid_plural:
            assert sorted(e.msgstr_plural) == [0, 1], e.msgid


def test_the_compiled_catalog_is_what_the_library_reads() -> None:
    """Known sentences read right through the .mo files the package ships."""
    assert tr("it", "target %(target)s by %(year)s", target="1,5", year=2015) == \
        "obiettivo 1,5 entro il 2015"
    assert both("delayed").it == "in ritardo"
    assert nplural("it", "%(n)d milestone done out of %(total)d",
                   "%(n)d milestones done out of %(total)d", 0, total=2) == \
        "0 traguardi raggiunti su 2"           # Italian: zero takes the plural, like English
    t = nboth("worst of %(n)d assessed part", "worst of %(n)d assessed parts", 1)
    assert (t.it, t.en) == ("la peggiore di 1 parte valutata", "worst of 1 assessed part")


def test_no_parallel_translation_in_the_library() -> None:
    """No ``"..." if it else "..."`` or ``lang == "it"`` choice of words outside the catalog
    (number formats in ``i18n.py`` and the published classification labels aside)."""
    pattern = re.compile(r"""if (it|italian) else|lang\s*==\s*["']it["']\s*else|\bbi\(""")
    allowed = {"plan/i18n.py", "classifications/hierarchy.py", "classifications/composite.py"}
    hits = [f"{p.relative_to(SRC).as_posix()}:{i}"
            for p in sorted(SRC.rglob("*.py"))
            if not p.relative_to(SRC).as_posix().startswith("portal/")
            and p.relative_to(SRC).as_posix() not in allowed
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(line)]
    assert hits == []


#: Words both the library and the portal use, each for its own label (not one text
#: translated twice): the portal's indicator page names the desired direction, its badges
#: say illustrative/provisional, its compare chart's axis is "Persons employed", and the
#: mailing list's "delivery" is of mail ("consegna"), the library's of a project; the
#: portal's "edition" labels a page, the library's names what a plan validation found twice.
HOMONYMS = {"increase", "decrease", "illustrative", "provisional", "Persons employed",
            "delivery", "edition"}


def test_the_portal_does_not_translate_the_library_s_texts_again() -> None:
    """A library text the portal shows (status, provenance) comes from the library's
    catalog in the page's language; Django's catalogs do not hold it a second time."""
    library = set(_catalog("it")) - {""}
    twice = {}
    for path in sorted(SRC.glob("portal/**/locale/*/LC_MESSAGES/django.po")):
        for e in polib.pofile(str(path)):
            if e.msgid in library and e.msgid not in HOMONYMS and not e.obsolete:
                twice[e.msgid] = path.relative_to(SRC).as_posix()
    assert twice == {}


def test_the_catalog_check_fails_on_a_message_the_catalog_lacks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m innesto.portal.i18n check`` passes on the code as it is, and exits 1
    naming the msgid when a module uses one that no catalog holds, or a plural message the
    catalog holds as a singular one."""
    import innesto.portal.i18n as tool

    assert main(["check"]) == 0, capsys.readouterr().out
    (tmp_path / "new.py").write_text(
        'from innesto.i18n import msg, nmsg, tr\n'
        'A = tr("it", "a sentence nobody translated")\n'
        'B = msg("line %(line)s")\n'                                  # catalogued: fine
        'C = nmsg("column %(column)s", "columns %(column)s", 2)\n'    # singular there
        'D = msg(A)\n', encoding="utf-8")
    real = tool.code_messages
    monkeypatch.setattr(tool, "code_messages", lambda src=None: real(tmp_path))
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "not in the catalog: 'a sentence nobody translated'" in out
    assert "plural in the code, not in the catalog: 'column %(column)s'" in out
    assert "not a literal msgid: new.py:5" in out
    assert "'line %(line)s'" not in out
