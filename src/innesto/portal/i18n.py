"""The portal's message catalogs, compiled without GNU gettext.

``python -m innesto.portal.i18n compile`` writes ``locale/<lang>/LC_MESSAGES/django.mo``
(the site's, and those of the apps with a catalog of their own: engage, back office,
reports) from the ``.po`` files with polib (a fresh machine has only Python and pip), and the
library's catalogs (``innesto/plan/locale/<lang>/LC_MESSAGES/innesto.po``, every text the
library and the CLI write: status labels and explanations, roll-up, delivery and
provenance sentences, with plural forms) the same way. Each text is translated in one
place: the portal's own words in ``django.po``, the library's in ``innesto.po`` (the portal
shows the library's texts in the active language, it never translates them again);
``python -m innesto.portal.i18n check`` lists messages that lack a translation and exits 1
if there is one. The English catalog translates every message too (usually to itself), so
that a forgotten English string is caught the same way as an Italian one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent / "locale"
LANGS = ("it", "en")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def library_po_path(lang: str) -> Path:
    """The library's catalog (gettext domain ``innesto``, read by ``innesto.plan.i18n``)."""
    from innesto.plan.i18n import DOMAIN
    from innesto.plan.i18n import LOCALE as LIBRARY

    return LIBRARY / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def app_po_paths(lang: str) -> list[Path]:
    """The catalogs of the portal's apps that keep their own (``<app>/locale``)."""
    return sorted(LOCALE.parent.glob(f"*/locale/{lang}/LC_MESSAGES/django.po"))


def catalogs(lang: str) -> list[Path]:
    """Every catalog this tool compiles for ``lang``: the portal's, its apps' and the
    library's."""
    return [po_path(lang), *app_po_paths(lang), library_po_path(lang)]


def untranslated(lang: str, path: Path | None = None) -> list[str]:
    """The msgids of ``lang`` (of the catalog at ``path``, default the portal's) with no
    translation, or a fuzzy or obsolete one."""
    po = polib.pofile(str(path or po_path(lang)))
    out = []
    for e in po:
        if e.obsolete or not e.msgid:
            continue
        if "fuzzy" in e.flags:
            out.append(e.msgid)
        elif e.msgid_plural:
            if not e.msgstr_plural or not all(e.msgstr_plural.values()):
                out.append(e.msgid)
        elif not e.msgstr:
            out.append(e.msgid)
    return out


def compile_catalog(lang: str, path: Path | None = None) -> Path:
    """Write the ``.mo`` of ``lang`` (of the catalog at ``path``, default the portal's
    ``django.po``) atomically; return its path."""
    source = path or po_path(lang)
    po = polib.pofile(str(source))
    target = source.with_suffix(".mo")
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".mo.tmp")
    os.close(fd)
    try:
        po.save_as_mofile(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "compile"
    if cmd == "check":
        bad = {path: untranslated(lang, path) for lang in LANGS for path in catalogs(lang)}
        for path, ids in bad.items():
            for msgid in ids:
                print(f"{path}: no translation for {msgid!r}")
        return 1 if any(bad.values()) else 0
    if cmd == "compile":
        for lang in LANGS:
            for path in catalogs(lang):
                print(compile_catalog(lang, path))
        return 0
    print("usage: python -m innesto.portal.i18n [compile|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
