"""A three-node plan built in code, for examples in docstrings and for tests.

It has one axis, one objective and one project, one indicator with a baseline, a target
and two published vintages of the same year (a revision), a milestone and a budget line.
"""

from __future__ import annotations

from datetime import date

from innesto.plan.i18n import Text
from innesto.plan.model import (
    Actor,
    BudgetLine,
    IndicatorLink,
    Level,
    Milestone,
    Node,
    Observation,
    Plan,
    PlanSet,
    Point,
    Role,
)
from innesto.plan.model import Indicator as Ind


def tiny_planset() -> PlanSet:
    """Axis -> objective -> project; the indicator shows limited progress (1.1 -> 1.25)."""
    ind = Ind(
        id="share", name=Text(it="Quota", en="Share"), unit=Text(it="%", en="%"),
        baseline=Point(value=1.1, period="2006"), target=Point(value=1.5, period="2015"),
        observations=[
            Observation(period="2010", value=1.2, published=date(2011, 5, 1)),
            Observation(period="2017", value=1.3, published=date(2019, 3, 1)),
            Observation(period="2017", value=1.25, published=date(2020, 3, 1),
                        revision_note=Text(it="revisione", en="revised")),
        ],
    )
    proj = Node(
        id="proj", level="project", title=Text(it="Progetto", en="Project"),
        actors=[Role(actor="city", role="lead")],
        milestones=[Milestone(id="start", title=Text(it="Avvio", en="Start"), due=date(2007, 1, 1),
                              done=date(2006, 11, 1), status="done"),
                    Milestone(id="end", title=Text(it="Fine", en="End"), due=date(2030, 1, 1))],
        budget=[BudgetLine(funder="city", planned=2e6, committed=1.5e6, spent=1e6)],
    )
    obj = Node(id="obj", level="objective", title=Text(it="Obiettivo", en="Objective"),
               indicators=[IndicatorLink(indicator="share")], children=[proj])
    axis = Node(id="axis", level="axis", title=Text(it="Asse", en="Axis"), children=[obj])
    plan = Plan(
        edition=2006, id="second-plan", title=Text(it="Secondo piano", en="Second plan"),
        levels=[Level(id="axis", name=Text(it="Asse", en="Axis")),
                Level(id="objective", name=Text(it="Obiettivo", en="Objective")),
                Level(id="project", name=Text(it="Progetto", en="Project"))],
        indicators=[ind], nodes=[axis],
    )
    return PlanSet(id="demo", title=Text(it="Piani", en="Plans"),
                   actors=[Actor(id="city", name=Text(it="Città", en="City"))], editions=[plan])
