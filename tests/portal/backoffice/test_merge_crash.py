"""A load is one transaction: SIGKILL it half-way through its writes and the database is
byte for byte as before (the Torino plan with every node title changed in the files)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from innesto.plan import load_plan, save_plan
from innesto.plan.model import PlanSet
from tests.portal.engage.instance import Instance

ROOT = Path(__file__).resolve().parents[3]

DUMP = """
import hashlib
from innesto.portal.backoffice.backup import _dump_db
from innesto.portal.plans.models import Node
print(json.dumps([hashlib.sha256(_dump_db()).hexdigest(), Node.objects.count()]))
"""


def _rename(nodes: list[dict[str, Any]]) -> None:
    for n in nodes:
        n["title"]["en"] = "Renamed " + n["id"]
        _rename(n.get("children", []))


def renamed_copy(tmp: Path) -> Path:
    """examples/torino copied, with the English title of every node changed."""
    folder = tmp / "torino"
    shutil.copytree(ROOT / "examples" / "torino", folder)
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    for ed in data["editions"]:
        _rename(ed["nodes"])
    save_plan(PlanSet.model_validate(data), folder)
    return folder


def test_kill_9_in_the_middle_of_a_load_leaves_the_database_as_before(tmp_path: Path) -> None:
    inst = Instance(tmp_path)
    try:
        inst.manage("migrate", "--noinput")
        inst.manage("load_plan", str(ROOT / "examples" / "torino"))
        before = inst.python(DUMP)
        copy = renamed_copy(tmp_path)
        inst.kill_when_stalled("innesto.portal.plans.models.Node", 5,
                               "from innesto.portal.plans.adapter import load_into_database\n"
                               "load_into_database(Path(sys.argv[1]))", str(copy))
        assert inst.python(DUMP) == before
        # and the same load, not killed, does change the titles
        inst.manage("load_plan", str(copy))
        assert inst.python(DUMP) != before
    finally:
        inst.drop()
