"""The plan model: stable ids, permanent addresses, cross-references, bilingual text."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from innesto.plan.examples import tiny_planset
from innesto.plan.i18n import Text, fmt_number
from innesto.plan.model import Contribution, PlanSet
from innesto.plan.references import reference_problems


def test_iteration_paths_and_urls() -> None:
    plan = tiny_planset().edition(2006)
    refs = list(plan.iter_nodes())
    assert [r.path for r in refs] == [("axis",), ("axis", "obj"), ("axis", "obj", "proj")]
    assert [r.depth for r in refs] == [0, 1, 2]
    assert plan.url_path("proj") == "2006/axis/obj/proj"
    assert plan.node("obj").title.it == "Obiettivo"


def test_ids_survive_a_change_of_text() -> None:
    ps = tiny_planset()
    plan = ps.edition(2006)
    node = plan.node("proj").model_copy(update={"title": Text(it="Nuovo", en="New")})
    assert node.id == "proj"
    assert plan.url_path("proj") == "2006/axis/obj/proj"


def test_reference_problems_are_reported_with_locations() -> None:
    ps = tiny_planset()
    data = ps.model_dump()
    proj = data["editions"][0]["nodes"][0]["children"][0]["children"][0]
    proj["actors"][0]["actor"] = "nobody"
    data["editions"][0]["nodes"][0]["contributes_to"] = [{"node": "proj", "weight": 1.0}]
    with pytest.raises(ValidationError, match="unknown actor 'nobody'"):
        PlanSet.model_validate(data)
    bad = PlanSet.model_validate(data, context={"defer_references": True})
    problems = reference_problems(bad)
    locs = {p.loc for p in problems}
    assert ("editions", 0, "nodes", 0, "children", 0, "children", 0, "actors", 0, "actor") in locs
    assert any("roll-up loop" in p.message for p in problems)


def test_mandatory_languages_are_declared_by_the_plan() -> None:
    data = tiny_planset().model_dump()
    data["editions"][0]["nodes"][0]["title"] = {"it": "Asse"}
    with pytest.raises(ValidationError, match="missing en text"):
        PlanSet.model_validate(data)
    data["languages"] = ["it"]
    assert PlanSet.model_validate(data).edition(2006).node("axis").title.get("en") == "Asse"


def test_many_to_many_contribution_must_name_a_node() -> None:
    data = tiny_planset().model_dump()
    data["editions"][0]["nodes"][0]["children"][0]["contributes_to"] = [
        Contribution(node="ghost").model_dump()]
    with pytest.raises(ValidationError, match="unknown or own node 'ghost'"):
        PlanSet.model_validate(data)


def test_number_formats() -> None:
    assert fmt_number(1234567.0, "it") == "1.234.567"
    assert fmt_number(0.0351, "en") == "0.035"
    assert fmt_number(float("nan"), "it") == "n.d."
