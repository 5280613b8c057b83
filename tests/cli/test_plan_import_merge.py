"""``innesto plan import`` is a three-way merge against the plan the spreadsheet was exported
from: edits made to the plan files after the export are kept (before, the import was an
upsert and put the exported values back over them), the spreadsheet's own changes are
written, the same cell changed on both sides is refused with an ``error:`` naming the row
and the column unless ``--overwrite``; comments and order of the YAML stay; a ``kill -9``
leaves the plan files all old or all new.

The plan is the tiny example saved as a folder, with a comment written by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.plan import load_plan, save_plan
from innesto.plan.examples import tiny_planset
from innesto.plan.model import PlanSet
from innesto.plan.spreadsheet import import_plan, read_export
from tests.killing import kill_at_half_way

_register()
COMMENT = "# the axis as the council approved it"


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["plan", *args])


def _nodes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(ns: list[dict[str, Any]]) -> None:
        for n in ns:
            out[n["id"]] = n
            walk(n.get("children", []))

    walk(data["editions"][0]["nodes"])
    return out


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    save_plan(tiny_planset(), folder)
    ed = folder / "editions" / "2006.yaml"
    ed.write_text(ed.read_text().replace("nodes:\n", f"nodes:\n{COMMENT}\n", 1))
    return folder


def _edit_files(folder: Path, titles: dict[str, str]) -> None:
    """Edit the plan files (as someone does after the export): node titles, a milestone."""
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    nodes = _nodes(data)
    for node, title in titles.items():
        nodes[node]["title"]["en"] = title
    nodes["proj"]["milestones"].append({"id": "review", "title": {"it": "R", "en": "Review"},
                                        "due": "2028-01-01"})
    save_plan(PlanSet.model_validate(data), folder)


def _edit_csv(path: Path, titles: dict[str, str]) -> None:
    """Change node titles (English) in the exported CSV, cell by cell."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    for r in rows:
        if r["table"] == "nodes" and r["node_id"] in titles:
            r["title.en"] = titles[r["node_id"]]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue())


def _titles(folder: Path) -> dict[str, str]:
    return {r.node.id: r.node.title.en or "" for r in load_plan(folder).editions[0].iter_nodes()}


def test_file_edits_after_the_export_are_kept_and_a_conflict_is_refused_by_name(
        tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    sheet = tmp_path / "plan.csv"
    assert run("export", str(folder), "--format", "csv", "-o", str(sheet)).exit_code == 0
    _edit_files(folder, {"obj": "Objective, edited in the files",
                         "axis": "Axis, edited in the files"})
    _edit_csv(sheet, {"proj": "Project, edited in the sheet",
                      "axis": "Axis, edited in the sheet"})

    out = run("import", str(sheet), "--into", str(folder))
    assert out.exit_code == 1, out.output
    assert "error: 1 conflict refused" in out.output
    assert "nodes 2006/axis: title.en" in out.output and "--overwrite" in out.output
    assert "CONFLICT nodes 2006/axis: title.en: plan files 'Axis, edited in the files', " \
           "spreadsheet 'Axis, edited in the sheet'" in out.output
    assert "~ nodes 2006/proj: title.en: 'Project' -> 'Project, edited in the sheet'" \
        in out.output
    assert "kept nodes 2006/obj [changed in the plan files since the export: title.en]" \
        in out.output
    assert "kept milestones 2006/proj/review [added to the plan files since the export]" \
        in out.output
    assert "spreadsheet: " in out.output and ", exported 20" in out.output
    assert f"plan files: {folder}, last modified " in out.output
    assert _titles(folder) == {"axis": "Axis, edited in the files",
                               "obj": "Objective, edited in the files",
                               "proj": "Project, edited in the sheet"}
    ps = load_plan(folder)
    assert [m.id for m in ps.editions[0].node("proj").milestones] == ["start", "end", "review"]
    text = (folder / "editions" / "2006.yaml").read_text()
    assert COMMENT in text  # comments and order kept
    assert text.index("id: axis") < text.index("id: obj") < text.index("id: proj")

    out = run("import", str(sheet), "--into", str(folder), "--overwrite")
    assert out.exit_code == 0, out.output
    assert _titles(folder)["axis"] == "Axis, edited in the sheet"
    assert _titles(folder)["obj"] == "Objective, edited in the files"
    assert COMMENT in (folder / "editions" / "2006.yaml").read_text()
    # what the overwrite replaced is kept, and restores by copying it back
    kept = next((folder / ".innesto-history").iterdir())
    assert str(kept) in out.output
    assert "Axis, edited in the files" in (kept / "editions" / "2006.yaml").read_text()
    for f in kept.rglob("*.*"):
        (folder / f.relative_to(kept)).write_bytes(f.read_bytes())
    assert _titles(folder)["axis"] == "Axis, edited in the files"


def test_an_xlsx_export_carries_its_base_in_a_hidden_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = _folder(tmp_path)
    book = tmp_path / "plan.xlsx"
    assert run("export", str(folder), "--format", "xlsx", "-o", str(book)).exit_code == 0
    wb = load_workbook(book)
    assert wb["_base"].sheet_state == "hidden"
    ws = wb["nodes"]
    col = [c.value for c in ws[1]].index("title.en") + 1
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "proj":
            ws.cell(row=row[0].row, column=col, value="Project, from the workbook")
    wb.save(book)
    _edit_files(folder, {"obj": "Objective, edited in the files"})
    assert read_export(book).base is not None
    result = import_plan(book, folder)
    assert not result.conflicts
    assert _titles(folder) == {"axis": "Axis", "obj": "Objective, edited in the files",
                               "proj": "Project, from the workbook"}


def test_a_row_deleted_from_the_sheet_is_removed_unless_the_files_changed_it(
        tmp_path: Path) -> None:
    import csv
    import io

    folder = _folder(tmp_path)
    sheet = tmp_path / "plan.csv"
    assert run("export", str(folder), "--format", "csv", "-o", str(sheet)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text())))
    kept = [r for r in rows if not (r["table"] == "milestones" and r["id"] == "end")]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(kept)
    sheet.write_text(buf.getvalue())
    # the files changed that milestone since the export: the deletion is a conflict
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    _nodes(data)["proj"]["milestones"][1]["due"] = "2031-01-01"
    save_plan(PlanSet.model_validate(data), folder)
    result = import_plan(sheet, folder)
    assert [str(c) for c in result.conflicts] == [
        "CONFLICT milestones 2006/proj/end [removed from the spreadsheet, changed in the plan "
        "files since the export]"]
    assert [m.id for m in load_plan(folder).editions[0].node("proj").milestones] == [
        "start", "end"]
    # unchanged in the files: the deletion is applied
    fresh = _folder(tmp_path / "again")
    result = import_plan(sheet, fresh)
    assert ("milestones", "removed") in {(c.table, c.kind) for c in result.changes}
    assert [m.id for m in load_plan(fresh).editions[0].node("proj").milestones] == ["start"]


# ----------------------------------------------------------------------- kill -9
IMPORT = """
import os, sys, time

real = os.replace
count = [0]

def stall(src, dst):
    count[0] += 1
    if count[0] == int(sys.argv[3]):
        print("half-way", flush=True)
        time.sleep(600)
    real(src, dst)

os.replace = stall
from innesto.cli.app import _register, app
_register()
app(["plan", "import", sys.argv[1], "--into", sys.argv[2]])
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".innesto-")}


@pytest.mark.parametrize("at", [1, 3])
def test_kill_9_during_an_import_leaves_the_files_all_old_or_all_new(
        tmp_path: Path, at: int) -> None:
    """``at`` 1: killed as the journal is committed (before it: the old files);
    3: killed between two renames after the commit (the next read finishes it)."""
    folder = _folder(tmp_path)
    sheet = tmp_path / "plan.csv"
    assert run("export", str(folder), "--format", "csv", "-o", str(sheet)).exit_code == 0
    _edit_csv(sheet, {"proj": "Project, edited in the sheet"})
    data = load_plan(folder).model_dump(mode="json", exclude_none=True)
    data["editions"][0]["indicators"][0]["observations"].append(
        {"period": "2019", "value": 1.4, "published": "2021-01-01"})  # values.csv changes too
    save_plan(PlanSet.model_validate(data), folder)
    _edit_csv(sheet, {"proj": "Project, edited in the sheet"})
    before = _files(folder)
    clean = tmp_path / "clean"
    clean.mkdir()
    for name, content in before.items():
        (clean / name).parent.mkdir(parents=True, exist_ok=True)
        (clean / name).write_bytes(content)
    assert run("import", str(sheet), "--into", str(clean)).exit_code == 0
    after = _files(clean)
    assert after != before

    kill_at_half_way(IMPORT, str(sheet), str(folder), str(at))
    if at == 1:
        assert _files(folder) == before
    else:
        assert (folder / ".innesto-commit.json").exists()  # committed, not finished
        load_plan(folder)  # any read finishes it
        assert _files(folder) == after
