"""Open SDG's published progress method, written for the tests from its documentation
(open-sdg ``docs/progress-methodology.md``, Statistics Canada's method), sharing no code
with :mod:`innesto.plan.status`. It reads only what an Open SDG site reads: the tidy CSV
(``Year``, ``Value``) and the indicator configuration's ``progress_calculation_options``.

Score transformations (the documentation's Figures 1 and 2): without a target the score
runs linearly -5 at CAGR <= -2%, -2.5 at 0, 0 at 0.5% C, 2.5 at 1.5% C, 5 at 2% C and
above; with a target, -5 at R <= -60%, 0 at R = 60%, 5 at R >= 130%. Status bands of a
score: [2.5, 5] substantial, [0, 2.5) moderate, [-2.5, 0) limited, below deterioration.
"""

from __future__ import annotations

import math
from typing import Any


def _interp(x: float, points: list[tuple[float, float]]) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def progress(series: dict[int, float], options: dict[str, Any]) -> tuple[str, float | None]:
    """(status, score) of one series under the published method."""
    years = sorted(series)
    if len(years) < 1:
        return "not_available", None
    direction = 1 if options.get("direction") == "positive" else -1
    base_year = int(options.get("base_year", 2015))
    if base_year not in series:
        later = [y for y in years if y > base_year]
        if not later:
            return "not_available", None
        base_year = later[0]
    y0, t0 = series[base_year] or 0.001, base_year
    ti = years[-1]
    yi = series[ti]
    target = options.get("target")
    if target is not None:
        target = target or 0.001
        done = yi >= target if direction > 0 else yi <= target
        if done:
            return "target_achieved", 5.0
    if ti - t0 < 1 or (y0 > 0) != (yi > 0):
        return "not_available", None
    s = -1 if y0 < 0 else 1
    cagr = (yi / y0) ** (1 / (ti - t0)) - 1
    if target is None:
        c = 1.0
        limit = options.get("limit")
        if limit is not None:
            b, lim = abs(y0), abs(limit)
            c = 1.0 if b >= 2 * lim else (1 - (b / lim) ** 4.44 if b <= lim
                                          else 1 - ((2 * lim - b) / lim) ** 4.44)
        value = s * direction * cagr
        if value >= 0 and c == 0:
            return "substantial_progress", 5.0
        score = _interp(value, [(-0.02, -5.0), (0.0, -2.5), (0.005 * c, 0.0),
                                (0.015 * c, 2.5), (0.02 * c, 5.0)])
        high, med = 0.015 * c, 0.005 * c
    else:
        years_to_target = int(options.get("target_year", 2030)) - t0
        needed = (target / y0) ** (1 / years_to_target) - 1 if years_to_target else 0.0
        value = s * direction * cagr / abs(needed) if needed else -math.inf
        score = _interp(value, [(-0.6, -5.0), (0.6, 0.0), (1.3, 5.0)])
        high, med = 0.95, 0.6
    if value >= high:
        status = "substantial_progress"
    elif value >= med:
        status = "moderate_progress"
    elif value >= 0:
        status = "limited_progress"
    else:
        status = "deterioration"
    return status, score
