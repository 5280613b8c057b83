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
>>> from innesto.plan.i18n import bi
>>> ms = [Milestone(id="a", title=bi("A", "A"), due=date(2007, 1, 1), done=date(2006, 12, 1),
...                 status="done"),
...       Milestone(id="b", title=bi("B", "B"), due=date(2009, 1, 1))]
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

from innesto.plan.i18n import Text, fmt_number, fmt_pct, nplural
from innesto.plan.model import BudgetLine, Milestone

DeliveryState = Literal["completed", "on_schedule", "delayed", "not_started", "not_available"]

DELIVERY_LABELS = {
    "completed": Text(it="completato", en="completed"),
    "on_schedule": Text(it="nei tempi", en="on schedule"),
    "delayed": Text(it="in ritardo", en="delayed"),
    "not_started": Text(it="non avviato", en="not started"),
    "not_available": Text(it="non disponibile", en="not available"),
}


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
    ms = [m for m in milestones if m.status != "cancelled"]
    lines = list(budget)
    done = [m for m in ms if m.status == "done" and (m.done is None or m.done <= today)]
    late = [m for m in ms if m not in done and m.due is not None and m.due < today]
    due_or_done = [m for m in ms if m in done or (m.due is not None and m.due <= today)]
    totals: dict[str, Totals] = {}
    for line in lines:
        t = totals.get(line.currency, Totals())
        totals[line.currency] = Totals(_add(t.planned, line.planned),
                                       _add(t.committed, line.committed), _add(t.spent, line.spent))
    main = max(totals, key=lambda c: totals[c].planned or 0.0) if totals else None
    execution = None
    if main and totals[main].planned and totals[main].spent is not None:
        execution = float(totals[main].spent) / float(totals[main].planned)  # type: ignore[arg-type]
    status: DeliveryState
    if not ms and not lines:
        status = "not_available"
    elif ms and len(done) == len(ms):
        status = "completed"
    elif late:
        status = "delayed"
    elif ms and not due_or_done:
        status = "not_started"
    else:
        status = "on_schedule"
    illustrative = any(m.illustrative for m in ms) or any(b.illustrative for b in lines)
    texts = {lang: _explain(lang, ms, done, late, totals, main, execution) for lang in ("it", "en")}
    if illustrative:
        texts = {"it": texts["it"] + " (ATTENZIONE: traguardi o bilancio illustrativi, non da fonti)",
                 "en": texts["en"] + " (CAUTION: illustrative milestones or budget, not sourced)"}
    return Delivery(status, len(ms), len(done), len(late), tuple(m.title for m in late), totals,
                    execution, Text(**texts), illustrative)


def _money(x: float, currency: str, lang: str) -> str:
    if abs(x) >= 1e6:
        return f"{currency} {fmt_number(x / 1e6, lang, digits=1)} M"
    return f"{currency} {fmt_number(x, lang, digits=0)}"


def _explain(lang: str, ms: list[Milestone], done: list[Milestone], late: list[Milestone],
             totals: dict[str, Totals], main: str | None, execution: float | None) -> str:
    it = lang == "it"
    parts = []
    if ms:
        s = nplural(lang, "%(n)d milestone done out of %(total)d",
                    "%(n)d milestones done out of %(total)d", len(done), total=len(ms))
        if late:
            names = "; ".join(f"{m.title.get(lang)}, {'scadenza' if it else 'due'} {m.due}"
                              for m in late[:3])
            s += f", {len(late)} {'in ritardo' if it else 'late'} ({names})"
        parts.append(s)
    else:
        parts.append("nessun traguardo" if it else "no milestones")
    if main is not None:
        t = totals[main]
        words = (("previsti", t.planned), ("impegnati", t.committed), ("spesi", t.spent)) if it else (
            ("planned", t.planned), ("committed", t.committed), ("spent", t.spent))
        money = ", ".join(f"{w} {_money(v, main, lang)}" if it else f"{_money(v, main, lang)} {w}"
                          for w, v in words if v is not None)
        s = ("bilancio: " if it else "budget: ") + money
        if execution is not None:
            s += f" ({fmt_pct(execution, lang, digits=0)} {'del previsto' if it else 'of planned'})"
        parts.append(s)
    return "; ".join(parts)
