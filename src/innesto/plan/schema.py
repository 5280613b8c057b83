"""The published JSON Schema of a plan file (``innesto plan schema``).

Examples
--------
>>> s = plan_json_schema()
>>> s["title"], "editions" in s["properties"]
('PlanSet', True)
"""

from __future__ import annotations

from typing import Any

from innesto.plan.model import Plan, PlanSet

SCHEMA_ID = "urn:innesto:plan-schema:1"


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of a plan set file (a single-edition file follows ``$defs.Plan``)."""
    schema = PlanSet.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema.setdefault("$defs", {})["Plan"] = Plan.model_json_schema(
        mode="validation", ref_template="#/$defs/{model}")
    schema["$defs"]["Plan"].pop("$defs", None)
    schema["description"] = (
        "A strategic plan set (innesto): actors, sectors and plan editions with a tree of "
        "named levels, indicators, budgets and milestones. Text fields are {it, en}.")
    return schema
