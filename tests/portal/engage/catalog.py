"""Extract the translatable strings of an app (templates and Python) without GNU gettext.

Used by the catalog tests of the engage, back-office and report apps: every msgid must
have an Italian translation in the app's ``locale/it/LC_MESSAGES/django.po``, and the
compiled ``.mo`` must be up to date with the ``.po``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", re.S)
BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
                   re.S)
PLURAL = re.compile(r"\{%\s*plural\s*%\}")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext"}


def _block_msgid(options: str, raw: str) -> str:
    """The msgid Django looks up for a blocktranslate: ``{{ var }}`` becomes ``%(var)s``,
    ``trimmed`` strips each line and joins the lines with a space, and with ``count`` the
    singular before ``{% plural %}`` is the msgid (the catalog entry's ``msgid``)."""
    raw = PLURAL.split(raw)[0]
    if "trimmed" in options.split():
        raw = " ".join(line.strip() for line in raw.strip().splitlines() if line.strip())
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", raw)


def template_msgids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {m.group(2) for m in TRANSLATE.finditer(text)}
    found |= {_block_msgid(m.group(1), m.group(2)) for m in BLOCK.finditer(text)}
    return found


def python_msgids(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            arg = node.args[0]
            if name in GETTEXT_NAMES and isinstance(arg, ast.Constant) and isinstance(
                    arg.value, str):
                found.add(arg.value)
    return found


def app_msgids(app_dir: Path) -> set[str]:
    """All msgids of one app (migrations excluded: their strings are not shown)."""
    found: set[str] = set()
    for path in app_dir.rglob("*.html"):
        found |= template_msgids(path)
    for path in app_dir.rglob("*.txt"):
        found |= template_msgids(path)
    for path in app_dir.rglob("*.py"):
        if "migrations" not in path.parts:
            found |= python_msgids(path)
    return found
