"""Classification hierarchies (NACE, ATECO, NAICS, ISIC): codes, levels, parents, labels.

Each hierarchy is loaded lazily from the package data (``data/*.csv.gz``, built once by
``scripts/build_classifications.py`` from ``../shared/data/classifications``) or, for ATECO,
from the ``ateco`` package, and cached. Importing this module reads nothing.

Codes are normalised to one canonical spelling per classification, so that the styles found
in official tables all meet: NACE ``C30.3``, ``30.3``, ``303`` and ``C303`` are the group
``30.3``; ``C30`` is the division ``30``; ``3030`` and ``30.30`` the class ``30.30``.

Examples
--------
>>> nace = get("NACE_R2")
>>> nace.normalise("C303"), nace.level("30.3"), nace.parent("30.3"), nace.section("33.16")
('30.3', 'group', '30', 'C')
>>> len(nace.codes("class"))
615
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from innesto.errors import ClassificationError
from innesto.i18n import msg

NAMES: dict[str, str] = {
    "NACE_R2": "NACE Rev. 2 (Eurostat)",
    "NACE_R21": "NACE Rev. 2.1 (Eurostat)",
    "ATECO2007": "ATECO 2007 (Istat; NACE Rev. 2 plus categories and subcategories)",
    "ATECO2025": "ATECO 2025 (Istat; NACE Rev. 2.1 plus categories and subcategories)",
    "NAICS2017": "NAICS 2017 (US Census Bureau)",
    "NAICS2022": "NAICS 2022 (US Census Bureau)",
    "ISIC4": "ISIC Rev. 4 (UN)",
}
ALIASES: dict[str, str] = {
    "NACE": "NACE_R2", "NACE2": "NACE_R2", "NACE_REV2": "NACE_R2", "NACE_R2.1": "NACE_R21",
    "NACE21": "NACE_R21", "ATECO": "ATECO2007", "ATECO_2007": "ATECO2007",
    "ATECO_2025": "ATECO2025", "ISIC": "ISIC4", "ISIC_REV4": "ISIC4",
}
_FILES = {"NACE_R2": "nace_r2.csv.gz", "NACE_R21": "nace_r21.csv.gz",
          "NAICS2017": "naics2017.csv.gz", "NAICS2022": "naics2022.csv.gz",
          "ISIC4": "isic4.csv.gz"}
_LEVELS = {
    "NACE_R2": ("section", "division", "group", "class"),
    "NACE_R21": ("section", "division", "group", "class"),
    "ATECO2007": ("section", "division", "group", "class", "category", "subcategory"),
    "ATECO2025": ("section", "division", "group", "class", "category", "subcategory"),
    "NAICS2017": ("sector", "subsector", "industry_group", "naics_industry", "national_industry"),
    "NAICS2022": ("sector", "subsector", "industry_group", "naics_industry", "national_industry"),
    "ISIC4": ("section", "division", "group", "class"),
}
# Italian labels: NACE Rev.2 codes are ATECO 2007 codes down to the class, Rev.2.1 ATECO 2025.
_ITALIAN = {"NACE_R2": "2007", "NACE_R21": "2025", "ATECO2007": "2007", "ATECO2025": "2025"}
_ENGLISH_OF_ATECO = {"ATECO2007": "NACE_R2", "ATECO2025": "NACE_R21"}

_LETTER_DIGITS = re.compile(r"^([A-Z])(\d[\d.]*)$")


@dataclass(frozen=True)
class Node:
    """One code of a classification."""

    code: str
    level: str
    parent: str | None
    label: str


@dataclass
class Hierarchy:
    """A classification tree with code normalisation and label lookup."""

    name: str
    levels: tuple[str, ...]
    nodes: dict[str, Node]
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for node in self.nodes.values():
            if node.parent is not None:
                self._children.setdefault(node.parent, []).append(node.code)

    # ------------------------------------------------------------------ codes
    def try_normalise(self, code: object) -> str | None:
        """The canonical spelling of ``code``, or ``None`` if it is not in the classification."""
        if code is None:
            return None
        raw = re.sub(r"\s+", "", str(code)).upper()
        if not raw:
            return None
        if raw in self.nodes:
            return raw
        if self.name.startswith("NAICS"):
            return self._naics(raw)
        return self._dotted(raw)

    def normalise(self, code: object) -> str:
        """The canonical spelling of ``code``; raises :class:`ClassificationError` if unknown."""
        out = self.try_normalise(code)
        if out is None:
            raise ClassificationError(msg("%(code)s is not a %(what)s code", code=repr(code),
                                      what=NAMES[self.name]))
        return out

    def _dotted(self, raw: str) -> str | None:
        letter = None
        m = _LETTER_DIGITS.match(raw)
        if m:
            letter, raw = m.group(1), m.group(2)
        digits = raw.replace(".", "")
        if not digits.isdigit():
            return None
        if self.name == "ISIC4":
            cand = digits
        elif len(digits) == 2:
            cand = digits
        elif len(digits) in (3, 4):
            cand = f"{digits[:2]}.{digits[2:]}"
        elif len(digits) in (5, 6):
            cand = f"{digits[:2]}.{digits[2:4]}.{digits[4:]}"
        else:
            return None
        if cand not in self.nodes:
            return None
        if letter is not None and self.section(cand) != letter:
            return None
        return cand

    def _naics(self, raw: str) -> str | None:
        if len(raw) == 2 and raw.isdigit():
            for node in self.codes("sector"):
                if "-" in node:
                    lo, hi = node.split("-")
                    if int(lo) <= int(raw) <= int(hi):
                        return node
        return raw if raw in self.nodes else None

    def __contains__(self, code: object) -> bool:
        return self.try_normalise(code) is not None

    def node(self, code: object) -> Node:
        return self.nodes[self.normalise(code)]

    def codes(self, level: str | None = None) -> list[str]:
        """All codes, or those of one level, in the classification's order."""
        if level is not None:
            self._check_level(level)
        return [c for c, n in self.nodes.items() if level is None or n.level == level]

    def _check_level(self, level: str) -> None:
        if level not in self.levels:
            raise ClassificationError(
                msg("%(name)s has no level %(level)s; its levels are %(items)s", name=self.name,
                level=repr(level), items=', '.join(self.levels))
            )

    # ------------------------------------------------------------------ tree
    def level(self, code: object) -> str:
        return self.node(code).level

    def depth(self, code: object) -> int:
        return self.levels.index(self.level(code))

    def parent(self, code: object) -> str | None:
        return self.node(code).parent

    def children(self, code: object) -> list[str]:
        return list(self._children.get(self.normalise(code), []))

    def ancestors(self, code: object) -> list[str]:
        """``code`` and its ancestors, from itself up to the top level."""
        out = [self.normalise(code)]
        while (p := self.nodes[out[-1]].parent) is not None:
            out.append(p)
        return out

    def ancestor(self, code: object, level: str) -> str | None:
        """The ancestor of ``code`` at ``level`` (itself if at that level; ``None`` if coarser)."""
        self._check_level(level)
        for c in self.ancestors(code):
            if self.nodes[c].level == level:
                return c
        return None

    def section(self, code: str) -> str:
        """The top-level code above ``code`` (a canonical code)."""
        c = code
        while (p := self.nodes[c].parent) is not None:
            c = p
        return c

    def descendants(self, code: object, level: str | None = None) -> list[str]:
        """All codes below ``code`` (only those at ``level`` if given)."""
        out: list[str] = []
        stack = list(reversed(self.children(code)))
        while stack:
            c = stack.pop()
            if level is None or self.nodes[c].level == level:
                out.append(c)
            stack.extend(reversed(self._children.get(c, [])))
        return out

    def label(self, code: object, lang: str = "en") -> str:
        """The code's title in English (``"en"``) or Italian (``"it"``, from ATECO).

        Eurostat's composite codes (``B-E``, ``M_N``, ``TOTAL``) are labelled too.
        """
        from innesto.classifications.composite import composite_label, is_composite

        if self.try_normalise(code) is None and is_composite(code):
            return composite_label(code, lang, self.name)
        canon = self.normalise(code)
        if lang == "en":
            if self.name in _ENGLISH_OF_ATECO:
                en = get(_ENGLISH_OF_ATECO[self.name])
                if canon in en.nodes:
                    return en.nodes[canon].label
                raise ClassificationError(
                    msg("no English label for the ATECO %(level)s %(canon)s; English labels stop "
                    "at the NACE class (use %(what)s)", level=self.nodes[canon].level,
                    canon=repr(canon), what=repr(en.ancestor(canon[:5], 'class')))
                )
            return self.nodes[canon].label
        if lang == "it":
            edition = _ITALIAN.get(self.name)
            if edition is None:
                raise ClassificationError(msg("no Italian labels for %(what)s",
                                          what=NAMES[self.name]))
            return get(f"ATECO{edition}").nodes[canon].label
        raise ClassificationError(msg("unknown language %(lang)s (expected 'en' or 'it')",
                                  lang=repr(lang)))


def resolve(name: str) -> str:
    """The canonical classification name (``"nace"`` -> ``"NACE_R2"``)."""
    key = name.strip().upper().replace(" ", "_").replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in NAMES:
        raise ClassificationError(
            msg("unknown classification %(name)s; known: %(items)s", name=repr(name),
            items=', '.join(NAMES))
        )
    return key


@cache
def _get(key: str) -> Hierarchy:
    if key.startswith("ATECO"):
        return _ateco(key)
    text = resources.files("innesto.classifications").joinpath("data", _FILES[key]).read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(text).decode("utf-8")))
    nodes = {r["code"]: Node(r["code"], r["level"], r["parent"] or None, r["label"]) for r in rows}
    return Hierarchy(key, _LEVELS[key], nodes)


def _ateco(key: str) -> Hierarchy:
    from ateco._load import load_nodes  # the package's own cached loader of its JSON data

    raw = load_nodes(key[len("ATECO"):])
    nodes = {c: Node(c, n["level"], n.get("parent"), n["title"]) for c, n in raw.items()}
    return Hierarchy(key, _LEVELS[key], nodes)


def get(name: str = "NACE_R2") -> Hierarchy:
    """The hierarchy of classification ``name`` (loaded on first use, then cached)."""
    return _get(resolve(name))


def known_codes(codes: Iterable[object], classification: str = "NACE_R2") -> dict[str, str]:
    """Map each code that the classification knows to its canonical spelling."""
    h = get(classification)
    out = {}
    for c in codes:
        n = h.try_normalise(c)
        if n is not None:
            out[str(c)] = n
    return out
