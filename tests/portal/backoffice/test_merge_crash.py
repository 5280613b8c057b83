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
        inst.migrate()
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


REFRESH = """
import os, sys, time

def stall(src, dst):
    print("half-way", flush=True)
    time.sleep(600)

os.replace = stall  # the moment a refreshed file would be renamed into place
from innesto.cli.app import _register, app
_register()
app(["plan", "refresh", sys.argv[1], "--published", "2026-11-30"])
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".innesto-")}


def test_kill_9_in_the_middle_of_a_refresh_leaves_the_plan_files_as_before(
        tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.killing import env, kill_at_half_way
    from tests.portal.backoffice.test_merge_routes import _plan_data

    folder = tmp_path / "plan"
    save_plan(PlanSet.model_validate(_plan_data()), folder)
    before = _files(folder)
    kill_at_half_way(REFRESH, str(folder))  # the diff lines come first
    assert _files(folder) == before
    # and the same refresh, not killed, does add the bound indicator's values
    done = subprocess.run([sys.executable, "-m", "innesto.cli.app", "plan", "refresh", str(folder),
                           "--published", "2026-11-30"], env=env(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _files(folder) != before
