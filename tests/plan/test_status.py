"""Open SDG's progress measure, checked against published calculation components.

Published values: Statistics Canada's Open SDG data repository publishes, for every
indicator, the components of the progress calculation that Open SDG (sdg-build
``ProgressMeasure.py``) computed: ``indicator_calculation_components.yml`` in
github.com/sdg-data-canada-odd-donnees/sdg-data-donnees-odd (commit 007ce50). Each case
below copies the inputs (base/current year and value, target, direction, limit) and the
published outputs (progress value, score, status) of one series from that file.
"""

from __future__ import annotations

import pytest

from innesto.plan.status import (
    aggregate,
    expected_value,
    explain,
    growth,
    limit_coefficient,
    opensdg_progress,
    status_from_score,
    trajectory_check,
)

# (label, series, base_year, direction, target, target_year, limit,
#  published progress_value, published score, published status)
PUBLISHED = [
    ("1-2-1", {2015: 14.5, 2023: 10.2}, 2015, -1, 7.25, 2030, None,
     0.9525901792032172, 2.5185563910306596, "substantial_progress"),
    ("1-3-1 children", {2015: 90.0, 2021: 93.2}, 2015, 1, None, 2030, 100,
     0.005839995229728112, 2.815386645395768, "substantial_progress"),
    ("1-3-1 older persons", {2017: 93.4, 2021: 92.7}, 2015, 1, None, 2030, 100,
     -0.0018789507235312808, -2.7348688404414103, "deterioration"),
    ("1-3-1 workers", {2015: 85.07, 2022: 83.42}, 2015, 1, None, 2030, 100,
     -0.0027941402774355195, -2.84926753467944, "deterioration"),
    ("1-4-1 drinking water", {2015: 98.82, 2022: 99.04}, 2015, 1, 100.0, 2030, None,
     0.4013545340426752, -0.8276760630043856, "limited_progress"),
    ("1-4-1 grade 4", {2015: 92.0, 2019: 92.0}, 2015, 1, 100.0, 2030, None,
     0.0, -2.5, "limited_progress"),
    ("1-4-1 HSPA", {2016: 99.47, 2022: 99.57}, 2015, 1, None, 2030, 100,
     0.00016748456325199612, 0.5456262610658811, "moderate_progress"),
    ("1-4-1 sanitation", {2015: 82.6, 2022: 83.9}, 2015, 1, 100.0, 2030, None,
     0.1741314538877581, -1.7744464710858785, "limited_progress"),
    ("1-5-1", {2015: 50.6770883601276, 2020: 35.3786007271678}, 2015, -1, None, 2030, None,
     0.06935124763452605, 5.0, "substantial_progress"),
    ("1-a-1", {2015: 0.0301738416160583, 2023: 0.0273307155637678}, 2015, 1, None, 2030, None,
     -0.01229432402820596, -4.036790503525745, "deterioration"),
    ("10-5-1 non-performing", {2015: 5.31, 2024: 5.27}, 2015, -1, None, 2030, None,
     0.0008398107947529265, -2.0800946026235367, "limited_progress"),
    ("10-5-1 liquid assets", {2015: 45.36, 2024: 53.22}, 2015, 1, None, 2030, None,
     0.017914530382436622, 3.957265191218312, "substantial_progress"),
    ("11-1-1", {2018: 10.0, 2022: 10.4}, 2015, -1, 0.1, 2030, None,
     -0.030916728428577435, -2.6288207323433537, "deterioration"),
    ("11-2-1 low-capacity", {2023: 75.3, 2024: 74.6}, 2015, 1, 100.0, 2030, None,
     -0.22476408603076314, -3.4365245172643806, "deterioration"),
]


@pytest.mark.parametrize("case", PUBLISHED, ids=[c[0] for c in PUBLISHED])
def test_reproduces_published_open_sdg_components(case: tuple) -> None:
    """Published: progress value, score and status of one series (file named above)."""
    _, series, base, d, target, ty, limit, value, score, status = case
    p = opensdg_progress(series, base_year=base, direction=d, target=target, target_year=ty,
                         limit=limit)
    assert p.progress_value == pytest.approx(value, rel=1e-12, abs=1e-15)
    assert p.score == pytest.approx(score, rel=1e-12)
    assert p.status == status


def test_target_already_achieved_scores_five() -> None:
    """Published: 1-4-1 clean fuels (100 -> 100, target 100): target achieved, score 5."""
    p = opensdg_progress({2015: 100.0, 2022: 100.0}, base_year=2015, direction=1,
                         target=100.0, target_year=2030)
    assert (p.status, p.score) == ("target_achieved", 5.0)


def test_one_period_is_not_available() -> None:
    """Published: 10-c-1 (5.5 in 2017 only, target 3): not available, no score."""
    p = opensdg_progress({2017: 5.5}, base_year=2015, direction=-1, target=3.0, target_year=2030)
    assert (p.status, p.score, p.reason) == ("not_available", None, "one_period")


def test_indicator_aggregate_matches_published_means() -> None:
    """Published: indicator 1-3-1 score -0.9229165765750275 (limited progress) is the mean
    of its three assessed series; 1-4-1 (0.0887007453951234, moderate) of its five."""
    rows = {c[0]: c for c in PUBLISHED}

    def run(label: str):  # type: ignore[no-untyped-def]
        _, s, b, d, t, ty, lim, *_ = rows[label]
        return opensdg_progress(s, base_year=b, direction=d, target=t, target_year=ty, limit=lim)

    one = [run(k) for k in ("1-3-1 children", "1-3-1 older persons", "1-3-1 workers")]
    one.append(opensdg_progress({2021: 59.9}, base_year=2015, direction=1, limit=100))
    score, status = aggregate(one)
    assert score == pytest.approx(-0.9229165765750275, rel=1e-12)
    assert status == "limited_progress"
    four = [run(k) for k in ("1-4-1 drinking water", "1-4-1 grade 4", "1-4-1 HSPA",
                             "1-4-1 sanitation")]
    four.append(opensdg_progress({2015: 100.0, 2022: 100.0}, base_year=2015, direction=1,
                                 target=100.0, target_year=2030))
    score, status = aggregate(four)
    assert score == pytest.approx(0.0887007453951234, rel=1e-12)
    assert status == "moderate_progress"


def test_documented_thresholds_and_score_anchors() -> None:
    """Published (open-sdg docs/progress-methodology.md): R >= 95% on track, 60% <= R < 95%
    moderate; score +5 at R = 130% and -5 at R = -60%; without a target, +5 at CAGR 2% and
    -5 at -2%; a mean score of +1 is moderate progress."""
    # target 2 by 2030 from 1 in 2015: required CAGR = 2**(1/15) - 1
    req = growth(2.0, 1.0, 2030, 2015)

    def with_ratio(r: float):  # type: ignore[no-untyped-def]
        cur = (1 + r * req) ** 5
        return opensdg_progress({2015: 1.0, 2020: cur}, base_year=2015, direction=1,
                                target=2.0, target_year=2030)

    assert with_ratio(0.951).status == "substantial_progress"
    assert with_ratio(0.949).status == "moderate_progress"
    assert with_ratio(0.601).status == "moderate_progress"
    assert with_ratio(0.599).status == "limited_progress"
    assert with_ratio(-0.01).status == "deterioration"
    assert with_ratio(1.3).score == pytest.approx(5.0, abs=1e-3)
    assert with_ratio(-0.6).score == pytest.approx(-5.0, abs=1e-3)
    for cagr, score in ((0.02, 5.0), (-0.02, -5.0), (0.0, -2.5), (0.005, 0.0), (0.015, 2.5)):
        p = opensdg_progress({2015: 1.0, 2016: 1.0 + cagr}, base_year=2015, direction=1)
        assert p.score == pytest.approx(score, abs=1e-9)
    assert status_from_score(1.0) == "moderate_progress"


def test_limit_coefficient_cases() -> None:
    """Identity: C = 1 far from the limit, 0 at it, symmetric around it (docs' three cases)."""
    assert limit_coefficient(50, 100) == pytest.approx(1 - 0.5 ** 4.44)
    assert limit_coefficient(100, 100) == 0.0
    assert limit_coefficient(250, 100) == 1.0
    assert limit_coefficient(150, 100) == pytest.approx(limit_coefficient(50, 100))


def test_zero_base_is_replaced_and_sign_change_is_not_available() -> None:
    """Published rule: a zero base becomes 0.001; opposite signs cannot be assessed."""
    p = opensdg_progress({2015: 0.0, 2020: 1.0}, base_year=2015, direction=1)
    assert p.base_value == 0.001 and p.status == "substantial_progress"
    p = opensdg_progress({2015: -1.0, 2020: 1.0}, base_year=2015, direction=1)
    assert (p.status, p.reason) == ("not_available", "sign_change")


def test_target_of_the_opposite_sign_is_not_available() -> None:
    """(2.0 / -1.0) ** (1 / 9) has no real value, so the required growth CAGR_T of the
    published method is undefined: not available with its reason, never a crash (this
    raised TypeError on a complex number before)."""
    p = opensdg_progress({2006: -1.0, 2010: -0.5}, base_year=2006, direction=1,
                         target=2.0, target_year=2015)
    assert (p.status, p.reason, p.score) == ("not_available", "target_sign_change", None)
    assert "opposite sign" in explain(p).en and "segno opposto" in explain(p).it


def test_issue_example_explained_in_both_languages() -> None:
    """Hand-computed: (1.5/1.1)^(1/9) - 1 = 3.51%/year needed; (1.25/1.1)^(1/11) - 1 =
    1.17%/year achieved; R = 0.333 < 0.6: limited progress."""
    p = opensdg_progress({2006: 1.1, 2017: 1.25}, base_year=2006, direction=1, target=1.5,
                         target_year=2015)
    assert p.progress_value == pytest.approx(0.011695 / 0.035064, rel=1e-3)
    text = explain(p)
    assert text.en.startswith("target 1.5 by 2015, baseline 1.1 in 2006, needed +3.5%/year, "
                              "achieved +1.2%/year")
    assert text.it.startswith("obiettivo 1,5 entro il 2015, valore di partenza 1,1 nel 2006, "
                              "necessario +3,5% l'anno, ottenuto +1,2% l'anno")
    assert text.en.endswith("limited progress") and text.it.endswith("progressi limitati")


def test_trajectory_band() -> None:
    """Hand-computed: linear path 100 (2010) -> 200 (2020) expects 150 in 2015; CAGR path
    expects 100 * 2**0.5 = 141.42; 5% band."""
    assert expected_value("linear", 100, 2010, 200, 2020, 2015) == 150
    assert expected_value("cagr", 100, 2010, 200, 2020, 2015) == pytest.approx(141.421356)
    assert expected_value("linear", 100, 2010, 200, 2020, 2030) == 200  # held at the target
    base = dict(base_year=2010, direction=1, target=200.0, target_year=2020)
    assert trajectory_check(opensdg_progress({2010: 100, 2015: 145}, **base)).status == "on_track"
    assert trajectory_check(opensdg_progress({2010: 100, 2015: 160}, **base)).status == "ahead"
    assert trajectory_check(opensdg_progress({2010: 100, 2015: 140}, **base)).status == "behind"
    assert trajectory_check(opensdg_progress({2010: 100, 2015: 140}, **base), "cagr").status == "on_track"
    down = dict(base_year=2010, direction=-1, target=50.0, target_year=2020)
    assert trajectory_check(opensdg_progress({2010: 100, 2015: 60}, **down)).status == "ahead"
    assert trajectory_check(opensdg_progress({2010: 100, 2015: 10}, base_year=2010,
                                             direction=1)).status == "not_available"


def test_target_equal_to_baseline_rates_moving_away() -> None:
    """Open SDG's ratio R = s d CAGR_o / |CAGR_T| with CAGR_T = 0 (target = baseline):
    a value that moved away from the target has R -> -inf, deterioration, score -5; one
    that stayed at or went past it has achieved the target (score 5)."""
    away = opensdg_progress({2006: 100.0, 2017: 90.0}, base_year=2006, direction=1,
                            target=100.0, target_year=2015)
    assert (away.status, away.score) == ("deterioration", -5.0)
    assert "moves away" in explain(away).en and "allontana" in explain(away).it
    kept = opensdg_progress({2006: 100.0, 2017: 100.0}, base_year=2006, direction=1,
                            target=100.0, target_year=2015)
    assert (kept.status, kept.score) == ("target_achieved", 5.0)
