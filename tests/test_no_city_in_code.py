"""No city's name or region code in the code or the templates: they come from the plan
(``site.yaml``). Scans src/ but migrations, locale catalogs and the example data: every
template whole, and every Python string that is not a docstring (docstrings document
examples, and tests pin them)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from innesto import examples

SRC = Path(__file__).resolve().parents[1] / "src" / "innesto"
SKIP_DIRS = {"migrations", "locale", "examples", "data", "__pycache__", "static"}
#: innesto.datasets loads the example data (the Eurostat table of Italy's regions).
SKIP_FILES = {"datasets.py"}


def words() -> set[str]:
    """Each example's city, organisation and region names, and its region codes (codes of
    four characters or more: ``IT`` or ``USM`` alone would match ordinary words)."""
    out: set[str] = set()
    for name in examples.names():
        site = yaml.safe_load((examples.folder(name) / "site.yaml").read_text("utf-8"))
        out |= {v for v in site["city"].values()}
        for place in [site["regions"]["focus"], *site["regions"].get("comparison", [])]:
            out |= set(place["name"].values())
            out.add(str(place["code"]))
    out |= {"Torino Internazionale", "torinointernazionale"}
    return {w for w in out if len(w) >= 4}


def files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*") if p.is_file()
                  and not SKIP_DIRS & set(p.relative_to(SRC).parts[:-1])
                  and p.relative_to(SRC).as_posix() not in SKIP_FILES
                  and p.suffix in {".py", ".html", ".txt"})


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of what users could see from ``path``."""
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return list(enumerate(source.splitlines(), 1))
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


def test_the_scan_sees_the_portal_and_the_cli() -> None:
    names = {p.name for p in files()}
    assert {"base.html", "evidence.py", "demo.py", "conf.py"} <= names
    assert "Torino" in words() and "ITC11" in words() and "Worcester" in words()


def test_no_example_city_or_region_in_code_or_templates() -> None:
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(words()))) + r")(?![\w])",
                         re.IGNORECASE)
    found = [f"{p.relative_to(SRC)}:{line}: {m.group(0)}"
             for p in files() for line, text in texts(p) for m in pattern.finditer(text)]
    assert found == []
