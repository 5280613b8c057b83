"""The example plans shipped inside the package (so that ``innesto demo`` works from a
wheel in an empty folder). Each sub-folder is a plan folder: ``plan.yaml``,
``editions/``, ``values.csv``, ``site.yaml`` and, optionally, ``media.yaml`` and
``pages.yaml``; a checkout also reaches them as ``examples/<name>``.

Examples
--------
>>> "torino" in names()
True
>>> resolve("torino") == folder("torino")
True
"""

from __future__ import annotations

from pathlib import Path

import yaml

from innesto.errors import PlanError
from innesto.i18n import msg

HERE = Path(__file__).resolve().parent
#: The example ``innesto demo`` loads when no ``--plan`` is given.
DEFAULT = "torino"


def names() -> list[str]:
    """The shipped examples, by folder name."""
    return sorted(p.name for p in HERE.iterdir() if (p / "plan.yaml").is_file())


def folder(name: str) -> Path:
    """The folder of the shipped example ``name``."""
    path = HERE / name
    if not (path / "plan.yaml").is_file():
        raise PlanError(msg("no example plan %(name)s; the examples are: %(items)s",
                        name=repr(name), items=', '.join(names())))
    return path


def resolve(plan: str | Path) -> Path:
    """``plan`` as given when it exists, else the shipped example of that name (so that
    ``--plan examples/<name>`` and ``--plan <name>`` work outside a checkout too)."""
    path = Path(plan)
    if path.exists():
        return path
    name = path.name if path.parent.name in {"", "examples"} else ""
    if name and (HERE / name / "plan.yaml").is_file():
        return HERE / name
    raise PlanError(msg("%(plan)s: no such plan file or folder (the shipped examples are: "
                        "%(examples)s)", plan=plan, examples=", ".join(names())))


def for_planset(planset_id: str) -> Path | None:
    """The shipped example whose plan set has id ``planset_id`` (None when none has)."""
    for name in names():
        head = (HERE / name / "plan.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(head) or {}
        if isinstance(data, dict) and data.get("id") == planset_id:
            return HERE / name
    return None
