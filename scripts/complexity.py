"""Fail when a function or method in src/ has a cyclomatic complexity above 15 (radon).

Run by ``python3 dev.py test``. Functions written before the limit and still above it are
listed in ``LEGACY`` with their complexity at the time: each may only go down (the check
fails if one grows, and asks to remove an entry once it is at 15 or below). New code has
no allowance.

    python scripts/complexity.py [src]
"""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit

LIMIT = 15
#: (file, function) -> complexity when the limit was introduced; to be brought under 15.
LEGACY: dict[tuple[str, str], int] = {
}


def blocks(root: Path) -> list[tuple[str, str, int, int]]:
    """(file, function, line, complexity) of every function and method under ``root``."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        for b in cc_visit(path.read_text(encoding="utf-8")):
            for block in [b, *getattr(b, "methods", []), *getattr(b, "closures", [])]:
                out.append((rel, block.name, block.lineno, block.complexity))
    return out


def problems(found: list[tuple[str, str, int, int]]) -> list[str]:
    """What breaks the limit: new functions above it, and legacy ones that grew."""
    bad = []
    for rel, name, line, cc in found:
        allowed = LEGACY.get((rel, name), LIMIT)
        if cc > allowed:
            what = "grew" if (rel, name) in LEGACY else "is above the limit"
            bad.append(f"{rel}:{line} {name}: complexity {cc} {what} ({allowed} allowed)")
    return bad


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "src")
    found = blocks(root)
    bad = problems(found)
    seen = {(rel, name): cc for rel, name, _, cc in found}
    fixed = [f"{rel} {name}" for (rel, name) in LEGACY if seen.get((rel, name), 0) <= LIMIT
             and (rel, name) in seen]
    for line in bad:
        print(f"error: {line}")
    for item in fixed:
        print(f"note: {item} is now within {LIMIT}: remove it from LEGACY in "
              "scripts/complexity.py")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
