"""Saving a plan keeps the comments people wrote in its YAML files, and says the same thing.

Each test writes a plan, edits the file by hand as a planning office would (comments,
explicit defaults), changes the plan in code, saves it again and checks two things: the
comments are still there, and the file loads to exactly the changed plan.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from innesto.plan import load_plan, save_plan
from innesto.plan.examples import tiny_planset
from innesto.plan.i18n import Text
from innesto.plan.model import Node, Point
from innesto.plan.yaml_io import dumps, to_data

ROOT = Path(__file__).resolve().parents[2]


def _commented(path: Path) -> None:
    """Hand edits: a header comment, a comment on the indicator's target, an end-of-line
    comment on the objective, and an explicit default (``direction: increase``)."""
    text = path.read_text(encoding="utf-8")
    text = "# Kept by the planning office; figures from the 2006 plan.\n" + text
    text = text.replace("    target:", "    # the plan's own target, p. 42\n    target:", 1)
    text = text.replace("id: obj\n", "id: obj  # objective 1.2\n", 1)
    text = text.replace("    unit:", "    direction: increase\n    unit:", 1)
    path.write_text(text, encoding="utf-8")


def test_single_file_keeps_comments_through_a_change(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    ps = tiny_planset()
    save_plan(ps, f)
    _commented(f)
    edited = load_plan(f)
    plan = edited.editions[0]
    ind = plan.indicators[0].model_copy(update={"target": Point(value=1.8, period="2020")})
    new_node = Node(id="proj2", level="project", title=Text(it="Secondo progetto", en="Second project"))
    obj = plan.nodes[0].children[0]
    obj = obj.model_copy(update={"children": [*obj.children, new_node]})
    axis = plan.nodes[0].model_copy(update={"children": [obj]})
    changed = edited.model_copy(update={"editions": [plan.model_copy(
        update={"indicators": [ind], "nodes": [axis]})]})
    save_plan(changed, f)
    text = f.read_text(encoding="utf-8")
    assert text.startswith("# Kept by the planning office; figures from the 2006 plan.\n")
    assert "# the plan's own target, p. 42" in text
    assert "id: obj  # objective 1.2" in text
    assert "direction: increase" in text  # an explicit default the office wrote stays
    assert "period: '2020'" in text or "period: 2020" in text
    assert load_plan(f) == changed


def test_removed_node_takes_only_its_own_comment(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    save_plan(tiny_planset(), f)
    text = f.read_text(encoding="utf-8").replace(
        "id: proj\n", "id: proj  # to be dropped in 2008\n", 1)
    f.write_text("# header\n" + text, encoding="utf-8")
    ps = load_plan(f)
    plan = ps.editions[0]
    obj = plan.nodes[0].children[0].model_copy(update={"children": []})
    axis = plan.nodes[0].model_copy(update={"children": [obj]})
    changed = ps.model_copy(update={"editions": [plan.model_copy(update={"nodes": [axis]})]})
    save_plan(changed, f)
    after = f.read_text(encoding="utf-8")
    assert after.startswith("# header\n") and "to be dropped" not in after
    assert load_plan(f) == changed


def test_torino_folder_saved_unchanged_keeps_every_header_comment(tmp_path: Path) -> None:
    """The example's files carry header comments; a save (as plan refresh does) keeps them
    all and the folder loads to the same plan. Its inline observations move to values.csv."""
    folder = tmp_path / "torino"
    shutil.copytree(ROOT / "examples" / "torino", folder)
    comments = {f: [ln for ln in f.read_text(encoding="utf-8").splitlines()
                    if ln.startswith("#")]
                for f in [folder / "plan.yaml", *sorted((folder / "editions").glob("*.yaml"))]}
    ps = load_plan(folder)
    save_plan(ps, folder)
    for f, lines in comments.items():
        text = f.read_text(encoding="utf-8")
        assert lines and all(ln in text.splitlines() for ln in lines), f.name
    assert load_plan(folder) == ps


def test_a_file_without_comments_is_written_afresh(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    ps = tiny_planset()
    f.write_text("id: demo\n", encoding="utf-8")  # no comment: nothing to keep
    save_plan(ps, f)
    assert f.read_text(encoding="utf-8") == dumps(to_data(ps))
