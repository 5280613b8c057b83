"""Delivery status: are the milestones met and the money spent? (Separate from outcomes.)

A node's delivery covers its own milestones and budget lines and those of its descendants.
A milestone is *late* when it is not done (or was done only after the report date) and its
due date has passed; budgets are summed per currency. Status: ``completed`` (every
milestone done), ``delayed`` (one is late), ``on_schedule`` (none late), ``not_started``
(none done and none due yet), ``not_available`` (no milestone and no budget).

Examples
--------
>>> from datetime import date
>>> from innesto.plan.model import Milestone, BudgetLine
>>> from innesto.plan.i18n import Text
>>> ms = [Milestone(id="a", title=Text(it="A", en="A"), due=date(2007, 1, 1), done=date(2006, 12, 1),
...                 status="done"),
...       Milestone(id="b", title=Text(it="B", en="B"), due=date(2009, 1, 1))]
>>> d = delivery(ms, [BudgetLine(planned=10e6, spent=6e6)], as_of=date(2010, 1, 1))
>>> d.status, d.late, round(d.execution, 2)
('delayed', 1, 0.6)
>>> print(d.explanation.en)
1 milestone done out of 2, 1 late (B, due 2009-01-01); budget: EUR 10 M planned, EUR 6 M spent (60% of planned)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from innesto.plan.i18n import Text, both, fmt_number, fmt_pct, nplural, per_lang, tr
from innesto.plan.model import BudgetLine, Milestone

DeliveryState = Literal["completed", "on_schedule", "delayed", "not_started", "not_available"]

DELIVERY_LABELS = {
    "completed": both("completed"),
    "on_schedule": both("on schedule"),
    "delayed": both("delayed"),
    "not_started": both("not started"),
    "not_available": both("not available"),
}


#: What a delivery resting on illustrative milestones or budget says (appended).
ILLUSTRATIVE = both("CAUTION: illustrative milestones or budget, not sourced")


@dataclass(frozen=True)
class Totals:
    planned: float | None = None
    committed: float | None = None
    spent: float | None = None


@dataclass(frozen=True)
class Delivery:
    status: DeliveryState
    milestones: int = 0
    done: int = 0
    late: int = 0
    late_titles: tuple[Text, ...] = ()
    budget: dict[str, Totals] = field(default_factory=dict)
    execution: float | None = None
    explanation: Text = field(default_factory=Text)
    illustrative: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status, "label": DELIVERY_LABELS[self.status].model_dump(),
            "milestones": self.milestones, "done": self.done, "late": self.late,
            "budget": {c: t.__dict__ for c, t in self.budget.items()},
            "execution": self.execution, "explanation": self.explanation.model_dump(),
            "illustrative": self.illustrative,
        }


def _add(a: float | None, b: float | None) -> float | None:
    return a if b is None else (b if a is None else a + b)


def delivery(milestones: Iterable[Milestone], budget: Iterable[BudgetLine],
             as_of: date | None = None) -> Delivery:
    """The delivery status of a set of milestones and budget lines on ``as_of`` (today)."""
    today = as_of or date.today()
    ms, done, late = _schedule(milestones, today)
    lines = list(budget)
    totals = _totals(lines)
    main, execution = _execution(totals)
    status = _state(ms, done, late, bool(lines), today)
    illustrative = any(m.illustrative for m in ms) or any(b.illustrative for b in lines)
    text = per_lang(lambda lang: _explain(lang, ms, done, late, totals, main, execution))
    if illustrative:
        text = both("%(text)s (%(caution)s)", text=text, caution=ILLUSTRATIVE)
    return Delivery(status, len(ms), len(done), len(late), tuple(m.title for m in late), totals,
                    execution, text, illustrative)


def _schedule(milestones: Iterable[Milestone], today: date
              ) -> tuple[list[Milestone], list[Milestone], list[Milestone]]:
    """The milestones that count (not cancelled), those done by ``today`` and those late."""
    ms = [m for m in milestones if m.status != "cancelled"]
    done = [m for m in ms if m.status == "done" and (m.done is None or m.done <= today)]
    late = [m for m in ms if m not in done and m.due is not None and m.due < today]
    return ms, done, late


def _totals(lines: list[BudgetLine]) -> dict[str, Totals]:
    """The budget lines summed per currency (a sum of nothing stays ``None``)."""
    totals: dict[str, Totals] = {}
    for line in lines:
        t = totals.get(line.currency, Totals())
        totals[line.currency] = Totals(_add(t.planned, line.planned),
                                       _add(t.committed, line.committed), _add(t.spent, line.spent))
    return totals


def _execution(totals: dict[str, Totals]) -> tuple[str | None, float | None]:
    """The main currency (the largest planned amount) and the share of it spent."""
    if not totals:
        return None, None
    main = max(totals, key=lambda c: totals[c].planned or 0.0)
    planned, spent = totals[main].planned, totals[main].spent
    return main, (float(spent) / float(planned) if planned and spent is not None else None)


def _state(ms: list[Milestone], done: list[Milestone], late: list[Milestone], budgeted: bool,
           today: date) -> DeliveryState:
    if not ms and not budgeted:
        return "not_available"
    if ms and len(done) == len(ms):
        return "completed"
    if late:
        return "delayed"
    due_or_done = [m for m in ms if m in done or (m.due is not None and m.due <= today)]
    if ms and not due_or_done:
        return "not_started"
    return "on_schedule"


def _money(x: float, currency: str, lang: str) -> str:
    if abs(x) >= 1e6:
        return f"{currency} {fmt_number(x / 1e6, lang, digits=1)} M"
    return f"{currency} {fmt_number(x, lang, digits=0)}"


def _explain(lang: str, ms: list[Milestone], done: list[Milestone], late: list[Milestone],
             totals: dict[str, Totals], main: str | None, execution: float | None) -> str:
    parts = [_milestones(lang, ms, done, late)]
    if main is not None:
        parts.append(_budget(lang, totals[main], main, execution))
    return "; ".join(parts)


def _milestones(lang: str, ms: list[Milestone], done: list[Milestone],
                late: list[Milestone]) -> str:
    if not ms:
        return tr(lang, "no milestones")
    s = nplural(lang, "%(n)d milestone done out of %(total)d",
                "%(n)d milestones done out of %(total)d", len(done), total=len(ms))
    if late:
        names = "; ".join(tr(lang, "%(title)s, due %(date)s", title=m.title.get(lang), date=m.due)
                          for m in late[:3])
        s += ", " + nplural(lang, "%(n)d late (%(names)s)", "%(n)d late (%(names)s)",
                            len(late), names=names)
    return s


def _budget(lang: str, t: Totals, currency: str, execution: float | None) -> str:
    amounts = ((t.planned, tr(lang, "%(amount)s planned")),
               (t.committed, tr(lang, "%(amount)s committed")),
               (t.spent, tr(lang, "%(amount)s spent")))
    money = ", ".join(form % {"amount": _money(v, currency, lang)}
                      for v, form in amounts if v is not None)
    s = tr(lang, "budget: %(amounts)s", amounts=money)
    if execution is not None:
        s += " " + tr(lang, "(%(share)s of planned)", share=fmt_pct(execution, lang, digits=0))
    return s
