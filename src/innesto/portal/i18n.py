"""The portal's message catalogs, compiled without GNU gettext.

``python -m innesto.portal.i18n compile`` writes ``locale/<lang>/LC_MESSAGES/django.mo``
(the site's, and those of the apps with a catalog of their own: engage, back office,
reports) from the ``.po`` files with polib (a fresh machine has only Python and pip), and the
library's catalogs (``innesto/locale/<lang>/LC_MESSAGES/innesto.po``, every text the
library and the CLI write: status labels and explanations, roll-up, delivery and
provenance sentences, with plural forms) the same way. Each text is translated in one
place: the portal's own words in ``django.po``, the library's in ``innesto.po`` (the portal
shows the library's texts in the active language, it never translates them again);
``python -m innesto.portal.i18n check`` lists messages that lack a translation, and the
messages the library and the CLI use (every ``tr``, ``nplural``, ``both``, ``nboth``, ``msg``,
``nmsg`` and ``N_`` call with a literal msgid) that a library catalog lacks or holds as the other
kind (singular for plural), and exits 1 if there is one. The English catalog translates every
message too (usually to itself), so that a forgotten English string is caught the same way as
an Italian one.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import polib

from innesto._atomic import atomic_path

LOCALE = Path(__file__).resolve().parent / "locale"
LANGS = ("it", "en")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def library_po_path(lang: str) -> Path:
    """The library's catalog (gettext domain ``innesto``, read by ``innesto.i18n``)."""
    from innesto.i18n import DOMAIN
    from innesto.i18n import LOCALE as LIBRARY

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


#: The library's message functions -> positions of the msgid and, for a plural message, of
#: its msgid_plural among the call's arguments.
CALLS = {"tr": (1, None), "nplural": (1, 2), "both": (0, None), "nboth": (0, 1),
         "msg": (0, None), "nmsg": (0, 1), "N_": (0, None)}
#: Where the message functions are defined (and pass msgids along as variables).
HELPERS = {"i18n.py", "plan/i18n.py"}


def _call_name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else "")


def _literal_message(node: ast.Call) -> tuple[str, str | None] | None:
    """``(msgid, msgid_plural or None)`` of a message call, or ``None`` when the msgid (or
    the plural) is not a literal string."""
    one, many = CALLS[_call_name(node.func)]
    args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
            for a in node.args]
    if len(args) <= one or args[one] is None or (many is not None and args[many] is None):
        return None
    return str(args[one]), (args[many] if many is not None else None)


def code_messages(src: Path | None = None) -> tuple[dict[str, str | None], list[str]]:
    """``{msgid: msgid_plural or None}`` of every message call in the library and the CLI
    (``src``, default the ``innesto`` package, the portal aside: its own words go through
    Django), and the calls whose msgid is not a literal string (``file:line``), which no
    catalog can hold."""
    root = src or LOCALE.parent.parent
    found: dict[str, str | None] = {}
    bad = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("portal/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _call_name(node.func) not in CALLS:
                continue
            message = _literal_message(node)
            if message is not None:
                found[message[0]] = message[1]
            elif rel not in HELPERS:
                bad.append(f"{rel}:{node.lineno}")
    return found, bad


def missing_messages(lang: str, src: Path | None = None) -> list[str]:
    """The problems of the library's catalog of ``lang`` against the code: a msgid the code
    uses and the catalog lacks, one it holds as the other kind (singular or plural), and a
    call whose msgid is not a literal."""
    found, bad = code_messages(src)
    po = {e.msgid: e for e in polib.pofile(str(library_po_path(lang))) if not e.obsolete}
    out = [f"not a literal msgid: {where}" for where in bad]
    for msgid, plural in sorted(found.items()):
        entry = po.get(msgid)
        if entry is None:
            out.append(f"not in the catalog: {msgid!r}")
        elif (entry.msgid_plural or None) != plural:
            out.append(f"{'plural' if plural else 'singular'} in the code, not in the "
                       f"catalog: {msgid!r}")
    return out


def compile_catalog(lang: str, path: Path | None = None) -> Path:
    """Write the ``.mo`` of ``lang`` (of the catalog at ``path``, default the portal's
    ``django.po``) atomically; return its path."""
    source = path or po_path(lang)
    po = polib.pofile(str(source))
    target = source.with_suffix(".mo")
    with atomic_path(target) as tmp:
        po.save_as_mofile(str(tmp))
    return target


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "compile"
    if cmd == "check":
        bad = {path: untranslated(lang, path) for lang in LANGS for path in catalogs(lang)}
        for path, ids in bad.items():
            for msgid in ids:
                print(f"{path}: no translation for {msgid!r}")
        gaps = {lang: missing_messages(lang) for lang in LANGS}
        for lang, problems in gaps.items():
            for problem in problems:
                print(f"{library_po_path(lang)}: {problem}")
        return 1 if any(bad.values()) or any(gaps.values()) else 0
    if cmd == "compile":
        for lang in LANGS:
            for path in catalogs(lang):
                print(compile_catalog(lang, path))
        return 0
    print("usage: python -m innesto.portal.i18n [compile|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
