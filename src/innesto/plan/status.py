"""Indicator status: Open SDG's progress measure and the trajectory band, with the formula.

Open SDG progress measure (Statistics Canada's method, as implemented in sdg-build's
``sdg/ProgressMeasure.py`` and documented in open-sdg ``docs/progress-methodology.md``):

* observed growth :math:`CAGR_o = (y_i / y_0)^{1/(t_i - t_0)} - 1` from the base year
  :math:`t_0` (or the first later year with data) to the latest year :math:`t_i`;
* with a target :math:`y_T` in :math:`t_T`: required growth
  :math:`CAGR_T = (y_T / y_0)^{1/(t_T - t_0)} - 1` and progress value
  :math:`R = s\\,d\\,CAGR_o / |CAGR_T|` (:math:`d = \\pm 1` the desired direction, :math:`s`
  the sign of :math:`y_0`); thresholds 0.95 / 0.6 / 0;
* without a target: progress value :math:`s\\,d\\,CAGR_o`; thresholds 1.5% / 0.5% / 0,
  multiplied by :math:`C = 1 - (y_0 / y_{lim})^{4.44}` near a natural limit;
* status: target achieved (latest value at or past the target), else substantial
  (>= high), moderate (>= med), limited (>= low), deterioration; not available with fewer
  than two years or values of opposite sign. A zero base or target is replaced by 0.001.
  A target equal to the baseline (:math:`CAGR_T = 0`) that is not achieved means the
  value moved away from it: :math:`R \\to -\\infty`, deterioration with score -5.
* score in [-5, 5] (target achieved = 5) so several series can be averaged; the status of a
  mean score: [2.5, 5] substantial, [0, 2.5) moderate, [-2.5, 0) limited, below deterioration.

Trajectory band: the expected value at year :math:`t` on the path from baseline to target
is linear, :math:`y_0 + (y_T - y_0)(t - t_0)/(t_T - t_0)`, or constant-growth,
:math:`y_0 (y_T / y_0)^{(t - t_0)/(t_T - t_0)}` (held at :math:`y_T` after :math:`t_T`); the
value is on track within ``tolerance`` (relative) of it, else ahead or behind.

Examples
--------
The issue's example: baseline 1.1 in 2006, target 1.5 by 2015, 1.25 observed in 2017.

>>> p = opensdg_progress({2006: 1.1, 2017: 1.25}, base_year=2006, direction=1,
...                      target=1.5, target_year=2015)
>>> round(p.cagr_required, 4), round(p.cagr_observed, 4), p.status
(0.0351, 0.0117, 'limited_progress')
>>> print(explain(p).en)
target 1.5 by 2015, baseline 1.1 in 2006, needed +3.5%/year, achieved +1.2%/year (2006-2017): limited progress
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from innesto.plan.i18n import Text, both, fmt_number, fmt_pct, per_lang, tr

Status = Literal[
    "target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
    "deterioration", "not_available",
]

#: Statuses from best to worst (``not_available`` is not ranked).
RANKED: tuple[Status, ...] = (
    "target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
    "deterioration",
)
ON_TRACK: frozenset[str] = frozenset({"target_achieved", "substantial_progress"})

LABELS: dict[str, Text] = {
    "target_achieved": both("target achieved"),
    "substantial_progress": both("substantial progress"),
    "moderate_progress": both("moderate progress"),
    "limited_progress": both("limited progress"),
    "deterioration": both("deterioration"),
    "not_available": both("not available"),
}

THRESHOLDS_TARGET = {"high": 0.95, "med": 0.6, "low": 0.0}
THRESHOLDS_NO_TARGET = {"high": 0.015, "med": 0.005, "low": 0.0}
LIMIT_EXPONENT = 4.44


def growth(current: float, base: float, t1: float, t0: float) -> float:
    """Compound annual growth rate from ``base`` at ``t0`` to ``current`` at ``t1``."""
    return float((current / base) ** (1.0 / (t1 - t0)) - 1.0)


@dataclass(frozen=True)
class Progress:
    """The components of one Open SDG progress calculation (published for transparency)."""

    status: Status
    score: float | None
    progress_value: float | None
    base_year: int | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    target: float | None
    target_year: int | None
    direction: int
    limit: float | None = None
    cagr_observed: float | None = None
    cagr_required: float | None = None
    reason: str | None = None

    @property
    def target_achieved(self) -> bool:
        return self.status == "target_achieved"


def limit_coefficient(base_value: float, limit: float) -> float:
    """Open SDG's threshold scaling factor near a natural limit (1 far away, 0 at it)."""
    b, lim = abs(base_value), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return 1.0 - (b / lim) ** LIMIT_EXPONENT
    return 1.0 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT


def opensdg_progress(
    series: Mapping[int, float],
    *,
    base_year: int,
    direction: int,
    target: float | None = None,
    target_year: int | None = None,
    limit: float | None = None,
) -> Progress:
    """Open SDG's progress status of one yearly series (``{year: value}``, no missing values)."""
    years = sorted(series)
    if target == 0:
        target = 0.001
    if not years:
        return Progress("not_available", None, None, None, None, None, None, target,
                        target_year, direction, limit, reason="no_data")
    current_year = years[-1]
    current = float(series[current_year])
    later = [y for y in years if y >= base_year]
    if not later:
        return Progress("not_available", None, None, base_year, None, current_year, current,
                        target, target_year, direction, limit, reason="base_after_data")
    base_year = later[0]
    base = float(series[base_year])
    achieved = _achieved(current, target, direction)
    sign = -1 if base < 0 else 1
    if base == 0:
        base = 0.001
    cagr_o, cagr_r, value, reason = _progress_value(base, base_year, current, current_year,
                                                     sign * direction, target, target_year)
    thresholds, coeff = _thresholds(target, base, direction, limit)
    status: Status
    score: float | None
    if achieved:
        status, score = "target_achieved", 5.0
    elif reason == "target_equals_base":
        # R = s d CAGR_o / |CAGR_T| with CAGR_T = 0: the target is the baseline, the value
        # has moved away from it (else the target would be achieved), R tends to minus
        # infinity: deterioration at the bottom of the score scale.
        status, score = "deterioration", -5.0
    elif value is None:
        status, score = "not_available", None
    else:
        status = _status_from_value(value, thresholds)
        score = _score(value, target is None, thresholds, coeff)
    return Progress(status, score, value, base_year, base, current_year, current, target,
                    target_year, direction, limit, cagr_o, cagr_r, reason)


def _achieved(current: float, target: float | None, direction: int) -> bool:
    """Whether the latest value is at or past the target in the desired direction."""
    if target is None:
        return False
    return (direction < 0 and current <= target) or (direction > 0 and current >= target)


def _progress_value(base: float, base_year: int, current: float, current_year: int,
                    signed_direction: int, target: float | None, target_year: int | None
                    ) -> tuple[float | None, float | None, float | None, str | None]:
    """``(CAGR_o, CAGR_T, R, reason)``: observed and required growth and the progress
    value, or the reason why there is none."""
    if (base > 0 > current) or (base < 0 < current):
        return None, None, None, "sign_change"
    if current_year - base_year < 1:
        return None, None, None, "one_period"
    cagr_o = growth(current, base, current_year, base_year)
    if target is None:
        return cagr_o, None, signed_direction * cagr_o, None
    assert target_year is not None
    if (base > 0 > target) or (base < 0 < target):
        # (target / base) ** (1 / years) has no real value: the published method's CAGR_T
        # is undefined, as for a series that changes sign.
        return cagr_o, None, None, "target_sign_change"
    cagr_r = growth(target, base, target_year, base_year) if target_year != base_year else 0.0
    if cagr_r == 0:
        return cagr_o, cagr_r, None, "target_equals_base"
    return cagr_o, cagr_r, signed_direction * cagr_o / abs(cagr_r), None


def _thresholds(target: float | None, base: float, direction: int, limit: float | None
                ) -> tuple[dict[str, float], float]:
    if target is not None:
        return dict(THRESHOLDS_TARGET), 1.0
    coeff = 1.0 if limit is None else limit_coefficient(base, limit)
    return {k: v * coeff for k, v in THRESHOLDS_NO_TARGET.items()}, coeff


def _status_from_value(value: float, th: Mapping[str, float]) -> Status:
    if value >= th["high"]:
        return "substantial_progress"
    if value >= th["med"]:
        return "moderate_progress"
    if value >= th["low"]:
        return "limited_progress"
    return "deterioration"


def _score(value: float, no_target: bool, th: Mapping[str, float], coeff: float) -> float:
    """Open SDG's piecewise-linear score (its published slopes, rounded as in sdg-build)."""
    if no_target:
        if value < th["low"]:
            return max(125 * value - 2.5, -5.0)
        if coeff == 0:
            return 5.0
        if value >= th["high"]:
            return min(500 * value / coeff - 5, 5.0)
        if value >= th["med"]:
            return 250 * value / coeff - 1.25
        return 500 * value / coeff - 2.5
    if value >= th["med"]:
        return min(7.1429 * value - 4.2857, 5.0)
    return max(4.1667 * value - 2.5, -5.0)


def status_from_score(score: float | None, target_achieved: bool = False) -> Status:
    """The status of a (mean) score in [-5, 5]."""
    if target_achieved:
        return "target_achieved"
    if score is None:
        return "not_available"
    if score >= 2.5:
        return "substantial_progress"
    if score >= 0:
        return "moderate_progress"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def aggregate(progresses: Sequence[Progress]) -> tuple[float | None, Status]:
    """Open SDG's indicator status over several series: mean score of the assessed ones;
    target achieved only when every assessed series achieved its target."""
    scored = [p for p in progresses if p.score is not None]
    if not scored:
        return None, "not_available"
    mean = sum(p.score or 0.0 for p in scored) / len(scored)
    return mean, status_from_score(mean, all(p.target_achieved for p in scored))


# ---------------------------------------------------------------------- trajectory band
@dataclass(frozen=True)
class TrajectoryCheck:
    status: Literal["ahead", "on_track", "behind", "not_available"]
    year: int | None = None
    expected: float | None = None
    lower: float | None = None
    upper: float | None = None
    kind: str = "linear"
    tolerance: float = 0.05


def expected_value(kind: str, base: float, t0: int, target: float, tt: int, t: int) -> float:
    """The value on the path from ``base`` (``t0``) to ``target`` (``tt``) at year ``t``."""
    f = min(max((t - t0) / (tt - t0), 0.0), 1.0)
    if kind == "cagr" and base > 0 and target > 0:
        return float(base * (target / base) ** f)
    return base + (target - base) * f


def trajectory_check(p: Progress, kind: str = "linear", tolerance: float = 0.05) -> TrajectoryCheck:
    """Where the latest value stands against the band around the planned path."""
    if (p.target is None or p.target_year is None or p.base_value is None
            or p.current_value is None or p.base_year is None or p.current_year is None
            or p.target_year <= p.base_year or p.current_year <= p.base_year):
        return TrajectoryCheck("not_available", kind=kind, tolerance=tolerance)
    exp = expected_value(kind, p.base_value, p.base_year, p.target, p.target_year, p.current_year)
    lo, hi = exp - tolerance * abs(exp), exp + tolerance * abs(exp)
    if lo <= p.current_value <= hi:
        st: Literal["ahead", "on_track", "behind"] = "on_track"
    elif (p.current_value > hi) == (p.direction > 0):
        st = "ahead"
    else:
        st = "behind"
    return TrajectoryCheck(st, p.current_year, exp, lo, hi, kind, tolerance)


TRAJECTORY_LABELS = {
    "ahead": both("ahead"),
    "on_track": both("on track"),
    "behind": both("behind"),
    "not_available": both("not available"),
}
_REASONS = {
    "no_data": both("no data available"),
    "one_period": both("data for one period only"),
    "sign_change": both("the values change sign"),
    "target_sign_change": both("the target has the opposite sign of the baseline"),
    "base_after_data": both("no data from the base year on"),
    "target_equals_base": both("the target equals the baseline and the value moves away from it"),
}


def explain(p: Progress, traj: TrajectoryCheck | None = None) -> Text:
    """A sentence a citizen can read, in Italian and English (the library's catalog)."""
    return per_lang(lambda lang: _explain(p, traj, lang))


def _explain(p: Progress, traj: TrajectoryCheck | None, lang: str) -> str:
    text = ", ".join(_facts(p, lang)) + ": " + LABELS[p.status].get(lang)
    if p.reason and p.status in ("not_available", "deterioration"):
        text += f" ({_REASONS[p.reason].get(lang)})"
    if traj is not None and traj.status != "not_available":
        text += "; " + _on_path(traj, lang)
    return text


def _facts(p: Progress, lang: str) -> list[str]:
    """Target (or direction), baseline, required and observed growth (or latest value)."""
    n = lambda x: fmt_number(x, lang)  # noqa: E731
    rate = lambda x: fmt_pct(x, lang, signed=True)  # noqa: E731
    if p.target is not None:
        parts = [tr(lang, "target %(target)s by %(year)s", target=n(p.target), year=p.target_year)]
    else:
        way = tr(lang, "increase") if p.direction > 0 else tr(lang, "decrease")
        parts = [tr(lang, "no numeric target, desired direction: %(direction)s", direction=way)]
    if p.base_value is not None:
        parts.append(tr(lang, "baseline %(value)s in %(year)s", value=n(p.base_value),
                        year=p.base_year))
    if p.cagr_required is not None:
        parts.append(tr(lang, "needed %(rate)s/year", rate=rate(p.cagr_required)))
    span = f"{p.base_year}-{p.current_year}"
    if p.cagr_observed is not None and p.target is not None:
        parts.append(tr(lang, "achieved %(rate)s/year (%(span)s)", rate=rate(p.cagr_observed),
                        span=span))
    elif p.cagr_observed is not None:
        parts.append(tr(lang, "change %(rate)s/year (%(span)s)", rate=rate(p.cagr_observed),
                        span=span))
    elif p.current_value is not None:
        parts.append(tr(lang, "latest %(value)s in %(year)s", value=n(p.current_value),
                        year=p.current_year))
    return parts


def _on_path(traj: TrajectoryCheck, lang: str) -> str:
    """Where the latest value stands on the planned path."""
    assert traj.expected is not None
    values = {"year": traj.year, "expected": fmt_number(traj.expected, lang),
              "tolerance": fmt_pct(traj.tolerance, lang, digits=0),
              "status": TRAJECTORY_LABELS[traj.status].get(lang)}
    if traj.kind == "linear":
        return tr(lang, "on the linear path the %(year)s value should be %(expected)s "
                  "± %(tolerance)s: %(status)s", **values)
    return tr(lang, "on the constant-growth path the %(year)s value should be %(expected)s "
              "± %(tolerance)s: %(status)s", **values)
