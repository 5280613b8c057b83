"""Node status: how a node's indicators, children and contributing projects add up.

Each node names its rule (``rollup``):

* ``weighted_mean``: the weighted mean of the contributors' Open SDG scores (-5..5), whose
  status follows the score bands of :func:`~innesto.plan.status.status_from_score`;
* ``worst_of``: the worst status among the contributors;
* ``share_on_track``: the weighted share of contributors on track (target achieved or
  substantial progress), mapped to a score :math:`10\\,share - 5` (so 75% or more is
  substantial, 50% moderate, 25% limited, less deterioration).

Contributors are the node's indicator links, its children and the nodes that declare
``contributes_to`` it, each with its weight. A contributor without a status ("not
available") is left out of the calculation *and counted in the explanation*; a node none of
whose contributors is assessed is itself not available.

Examples
--------
>>> parts = [Part("indicator", "a", Text(en="A"), 1.0, "limited_progress", -1.0),
...          Part("indicator", "b", Text(en="B"), 3.0, "substantial_progress", 3.0),
...          Part("node", "c", Text(en="C"), 1.0, "not_available", None)]
>>> score, status, text = combine(parts, "weighted_mean")
>>> score, status
(2.0, 'moderate_progress')
>>> print(text.en)
weighted mean of 2 parts out of 3 (1 not available): score 2 on a scale from -5 to 5: moderate progress
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from innesto.plan.i18n import Text, both, fmt_number, fmt_pct, nplural, per_lang, tr
from innesto.plan.status import LABELS, ON_TRACK, RANKED, Status, status_from_score


@dataclass(frozen=True)
class Part:
    """One contributor to a node's status."""

    kind: str  # "indicator" or "node"
    id: str
    title: Text
    weight: float
    status: Status
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "weight": self.weight,
                "status": self.status, "score": self.score}


Outcome = tuple[float | None, Status, Text]


def combine(parts: Sequence[Part], rule: str) -> Outcome:
    """The (score, status, explanation) of a node from its parts under ``rule``."""
    live = [p for p in parts if p.weight > 0]
    assessed = [p for p in live if p.status != "not_available"]
    if not assessed:
        if not live:
            return None, "not_available", both("no linked indicator or part: not available")
        text = per_lang(lambda lang: f"{_none(len(live), lang)}: "
                                     f"{LABELS['not_available'].get(lang)}")
        return None, "not_available", text
    return RULES.get(rule, _weighted_mean)(live, assessed)


def _worst_of(live: Sequence[Part], assessed: Sequence[Part]) -> Outcome:
    """The worst status, and the lowest score, of the assessed parts."""
    worst = max(assessed, key=lambda p: RANKED.index(p.status))
    scores = [p.score for p in assessed if p.score is not None]
    missing = len(live) - len(assessed)
    return (min(scores) if scores else None, worst.status,
            per_lang(lambda lang: _worst(assessed, missing, worst, lang)))


def _share_on_track(live: Sequence[Part], assessed: Sequence[Part]) -> Outcome:
    """The weighted share of assessed parts on track, as a score ``10 share - 5``."""
    wsum = sum(p.weight for p in assessed)
    share = sum(p.weight for p in assessed if p.status in ON_TRACK) / wsum
    score = 10.0 * share - 5.0
    status = status_from_score(score, _all_achieved(assessed))
    missing = len(live) - len(assessed)
    return score, status, per_lang(lambda lang: _share(assessed, missing, share, status, lang))


def _weighted_mean(live: Sequence[Part], assessed: Sequence[Part]) -> Outcome:
    """The weighted mean of the assessed parts' scores."""
    scored = [p for p in assessed if p.score is not None]
    wsum = sum(p.weight for p in scored)
    score = sum(p.weight * (p.score or 0.0) for p in scored) / wsum
    status = status_from_score(score, _all_achieved(assessed))
    missing = len(live) - len(assessed)
    return score, status, per_lang(
        lambda lang: _mean(len(live), len(assessed), missing, score, status, lang))


def _all_achieved(assessed: Sequence[Part]) -> bool:
    return all(p.status == "target_achieved" for p in assessed)


#: The roll-up rules a node may name (any other name means ``weighted_mean``).
RULES: dict[str, Callable[[Sequence[Part], Sequence[Part]], Outcome]] = {
    "worst_of": _worst_of, "share_on_track": _share_on_track, "weighted_mean": _weighted_mean,
}


def _none(n: int, lang: str) -> str:
    return nplural(lang, "the only part has no data", "none of the %(n)d parts has data", n)


def _na(missing: int, lang: str) -> str:
    if not missing:
        return ""
    return " (" + nplural(lang, "%(n)d not available", "%(n)d not available", missing) + ")"


def _mean(n: int, k: int, missing: int, score: float, status: Status, lang: str) -> str:
    s = fmt_number(score, lang, digits=1)
    head = nplural(lang, "weighted mean of %(n)d part out of %(total)d",
                   "weighted mean of %(n)d parts out of %(total)d", k, total=n)
    score_text = tr(lang, "score %(score)s on a scale from -5 to 5", score=s)
    return f"{head}{_na(missing, lang)}: {score_text}: {LABELS[status].get(lang)}"


def _worst(assessed: Sequence[Part], missing: int, worst: Part, lang: str) -> str:
    head = nplural(lang, "worst of %(n)d assessed part", "worst of %(n)d assessed parts",
                   len(assessed))
    title = tr(lang, "'%(title)s'", title=worst.title.get(lang))
    return f"{head}{_na(missing, lang)}: {title}, {LABELS[worst.status].get(lang)}"


def _share(assessed: Sequence[Part], missing: int, share: float, status: Status, lang: str) -> str:
    k = sum(1 for p in assessed if p.status in ON_TRACK)
    pct = fmt_pct(share, lang, digits=0)
    head = nplural(lang, "%(n)d assessed part on track out of %(total)d",
                   "%(n)d assessed parts on track out of %(total)d", k, total=len(assessed))
    weighted = tr(lang, "%(share)s weighted", share=pct)
    return f"{head} ({weighted}){_na(missing, lang)}: {LABELS[status].get(lang)}"
