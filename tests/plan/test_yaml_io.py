"""YAML plans: errors name the file, line and field; save and load round-trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from innesto.plan.examples import tiny_planset
from innesto.plan.yaml_io import PlanValidationError, load_plan, save_plan

PLAN = """\
id: demo
title: {it: Piani, en: Plans}
actors:
  - id: city
    name: {it: Città, en: City}
editions:
  - edition: 2006
    id: second
    title: {it: Secondo, en: Second}
    levels:
      - {id: axis, name: {it: Asse, en: Axis}}
    nodes:
      - id: a
        level: axis
        title: {it: Asse A, en: Axis A}
"""


def test_minimal_plan_loads(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN)
    ps = load_plan(f)
    assert ps.edition(2006).node("a").title.en == "Axis A"
    assert ps.edition(2006).url_path("a") == "2006/a"


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("level: axis", "level: axes", 14, "editions.0.nodes.0.level", "unknown level 'axes'"),
        ("title: {it: Asse A, en: Axis A}", "title: {it: Asse A}", 15,
         "editions.0.nodes.0.title.en", "missing en text"),
        ("    id: second\n", "    id: second\n    horizon: soon\n", 9,
         "editions.0.horizon", "integer"),
        ("      - id: a\n", "      - id: a\n        colour: red\n", 14,
         "editions.0.nodes.0.colour", "unknown field"),
        ("      - id: a\n", "      - id: A!\n", 13, "editions.0.nodes.0.id", "pattern"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path: Path, old: str, new: str, line: int,
                                         field: str, words: str) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN.replace(old, new))
    with pytest.raises(PlanValidationError) as info:
        load_plan(f)
    prob = info.value.problems[0]
    assert (prob["file"], prob["line"], prob["field"]) == (str(f), line, field)
    assert words in prob["message"]
    assert f"{f}, line {line}, field '{field}'" in str(info.value)


def test_yaml_syntax_and_duplicate_keys_are_located(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN.replace("id: demo\n", "id: demo\nid: again\n"))
    with pytest.raises(PlanValidationError, match=r"line 2.*duplicate key 'id'"):
        load_plan(f)
    f.write_text(PLAN.replace("title: {it: Piani, en: Plans}", "title: {it: Piani, en: Plans"))
    with pytest.raises(PlanValidationError, match=r"line \d+: YAML syntax"):
        load_plan(f)


def test_single_edition_file_is_wrapped(tmp_path: Path) -> None:
    f = tmp_path / "one.yaml"
    f.write_text("edition: 2015\nid: third\ntitle: {it: Terzo, en: Third}\n")
    ps = load_plan(f)
    assert [p.edition for p in ps.editions] == [2015]


def test_errors_in_a_folder_name_the_edition_file_and_values_csv(tmp_path: Path) -> None:
    save_plan(tiny_planset(), tmp_path / "p")
    ed = tmp_path / "p" / "editions" / "2006.yaml"
    ed.write_text(ed.read_text().replace("level: objective", "level: objectiv"))
    with pytest.raises(PlanValidationError) as info:
        load_plan(tmp_path / "p")
    assert info.value.problems[0]["file"] == str(ed)
    save_plan(tiny_planset(), tmp_path / "p")
    values = tmp_path / "p" / "values.csv"
    lines = values.read_text().splitlines()
    lines[1] = lines[1].replace("2011-05-01", "someday")
    values.write_text("\n".join(lines) + "\n")
    with pytest.raises(PlanValidationError) as info:
        load_plan(tmp_path / "p")
    prob = info.value.problems[0]
    assert (prob["file"], prob["line"]) == (str(values), 2)
    assert prob["field"].endswith("observations.0.published")


@pytest.mark.parametrize("target", ["plan.yaml", "folder"])
def test_save_then_load_is_identical(tmp_path: Path, target: str) -> None:
    ps = tiny_planset()
    out = tmp_path / target
    save_plan(ps, out)
    assert load_plan(out) == ps
    save_plan(ps, out)  # a second save leaves no temporary files behind
    assert not list(tmp_path.rglob(".innesto-*"))


def test_plain_string_where_a_bilingual_text_is_expected(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN.replace("title: {it: Asse A, en: Axis A}", "title: Asse A"))
    with pytest.raises(PlanValidationError, match=r"line 15, field 'editions.0.nodes.0.title': "
                                                  r"expected a bilingual text"):
        load_plan(f)


def test_an_edition_file_in_a_folder_is_read_with_its_folder(tmp_path: Path) -> None:
    save_plan(tiny_planset(), tmp_path / "p")
    ps = load_plan(tmp_path / "p" / "editions" / "2006.yaml")
    assert [p.edition for p in ps.editions] == [2006]
    assert ps.actor("city").name.en == "City"
    assert len(ps.edition(2006).indicator("share").observations) == 3
