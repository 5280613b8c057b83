"""The strategic plan as code: Pydantic model, explained status, formats.

Public API (stable names, used by the CLI and the portal):

* :func:`load_plan` (YAML file or folder -> :class:`PlanSet`), :func:`save_plan`;
* :class:`PlanSet`, :class:`Plan`, :class:`Node`, :class:`Indicator`, :class:`Text`
  (``.it`` / ``.en`` / ``.get(lang)``); ``plan.iter_nodes()`` yields :class:`NodeRef`
  (``.node``, ``.path``, ``.depth``); ``plan.url_path(node_id)`` is the permanent address
  ``"<edition>/<id>/<id>..."``;
* :func:`compute_status` (one edition as of a date -> :class:`PlanStatus` with
  ``.nodes[id]`` and ``.indicators[id]``), :func:`compute_all` (every edition);
* :func:`plan_json_schema`;
* formats: ``innesto.plan.spreadsheet.export_plan`` / ``import_plan`` (XLSX, CSV, JSON),
  ``innesto.plan.frictionless.write_datapackage`` (Open SDG CSV + Data Package);
* bindings: ``innesto.plan.binding.resolve`` / ``refresh`` (values from the evidence engine
  recorded as a vintage); labels: ``STATUS_LABELS``,
  ``innesto.plan.delivery.DELIVERY_LABELS``.
"""

from innesto.plan.evaluate import NodeStatus, PlanStatus, compute_all, compute_status
from innesto.plan.i18n import Text
from innesto.plan.indicators import IndicatorStatus, evaluate_indicator
from innesto.plan.model import (
    Actor,
    Indicator,
    Milestone,
    Node,
    NodeRef,
    Observation,
    Plan,
    PlanSet,
    Sector,
)
from innesto.plan.schema import plan_json_schema
from innesto.plan.status import LABELS as STATUS_LABELS
from innesto.plan.yaml_io import PlanValidationError, load_plan, save_plan

__all__ = [
    "STATUS_LABELS",
    "Actor",
    "Indicator",
    "IndicatorStatus",
    "Milestone",
    "Node",
    "NodeRef",
    "NodeStatus",
    "Observation",
    "Plan",
    "PlanSet",
    "PlanStatus",
    "PlanValidationError",
    "Sector",
    "Text",
    "compute_all",
    "compute_status",
    "evaluate_indicator",
    "load_plan",
    "plan_json_schema",
    "save_plan",
]
