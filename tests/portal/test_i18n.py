"""The it/en catalogs are complete and the committed .mo files match the .po files."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from innesto.portal import i18n


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_message_has_a_translation(lang: str) -> None:
    assert i18n.untranslated(lang) == []


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_committed_mo_is_compiled_from_the_po(lang: str, tmp_path: Path) -> None:
    po = polib.pofile(str(i18n.po_path(lang)))
    mo = polib.mofile(str(i18n.po_path(lang).with_suffix(".mo")))
    want = {(e.msgid, e.msgstr) for e in po.translated_entries() if not e.msgid_plural}
    have = {(e.msgid, e.msgstr) for e in mo if not e.msgid_plural}
    assert want <= have, "run: python -m innesto.portal.i18n compile"


def test_italian_urls_are_translated() -> None:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("it"):
        assert reverse("plans:edition", args=["2006"]) == "/it/piano/2006/"
        assert reverse("site:help") == "/it/aiuto/"
    with translation.override("en"):
        assert reverse("plans:edition", args=["2006"]) == "/en/plan/2006/"


@pytest.mark.parametrize("app", ["site", "plans", "sectors", "api"])
def test_every_string_of_the_public_pages_is_in_the_italian_catalog(app: str) -> None:
    """Extract the msgids of the app's templates and Python code (as makemessages would)
    and look each up in the catalogs Django merges: a string added to a template without a
    translation would show in English on the Italian site."""
    import re

    from tests.portal.engage.catalog import app_msgids

    root = Path(i18n.__file__).resolve().parent
    known = {e.msgid for p in root.rglob("locale/it/LC_MESSAGES/django.po")
             for e in polib.pofile(str(p)) if e.translated()}
    wanted = set()
    for msgid in app_msgids(root / app):
        msgid = msgid.split("{% plural %}")[0]  # the singular is the msgid
        wanted.add(re.sub(r"%(?!\()", "%%", msgid))  # blocktranslate escapes a literal %
    assert sorted(wanted - known) == []
