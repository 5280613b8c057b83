"""Every interface string of the issue-6 apps has an Italian translation, and the compiled
catalog is the one the ``.po`` file gives (no stale ``.mo``)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from tests.portal.engage.catalog import app_msgids

PORTAL = Path(__file__).resolve().parents[3] / "src" / "innesto" / "portal"
APPS = [p.name for p in sorted(PORTAL.iterdir())
        if p.name in {"engage", "backoffice", "reports"} and p.is_dir()]


def _text(entry: polib._BaseEntry) -> str | tuple[str, ...]:
    """An entry's translation: its msgstr, or every plural form (all must be filled)."""
    if entry.msgid_plural:
        forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        return forms if forms and all(forms) else ""
    return str(entry.msgstr)


@pytest.mark.parametrize("app", APPS)
def test_every_message_has_an_italian_translation(app: str) -> None:
    po = polib.pofile(str(PORTAL / app / "locale" / "it" / "LC_MESSAGES" / "django.po"))
    translated = {e.msgid for e in po if _text(e) and not e.obsolete and "fuzzy" not in e.flags}
    assert sorted(app_msgids(PORTAL / app) - translated) == []


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalog_matches_the_po_file(app: str) -> None:
    folder = PORTAL / app / "locale" / "it" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    assert {e.msgid: _text(e) for e in mo} == {e.msgid: _text(e) for e in po if _text(e)}
