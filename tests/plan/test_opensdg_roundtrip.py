"""Open SDG round trip: the Data Package export of the Torino plan carries everything the
status used (the baseline included), so Open SDG's published progress method, run on the
exported files alone (``tests/plan/opensdg_method.py``, independent of innesto's code),
gives innesto's status and score for every indicator of every edition."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from innesto.plan import load_plan
from innesto.plan.evaluate import compute_status
from innesto.plan.frictionless import write_datapackage
from tests.plan.opensdg_method import progress

TORINO = Path(__file__).resolve().parents[2] / "examples" / "torino"


def total_line(rows: list[dict[str, str]]) -> dict[int, float]:
    """sdg-build's rule (``data_progress_measure``, read on 2026-12-06 at 6d3d128): progress
    is measured on the rows whose every column between ``Year`` and ``Value`` is empty."""
    if not rows:
        return {}
    names = list(rows[0])
    between = names[names.index("Year") + 1:names.index("Value")]
    return {int(r["Year"]): float(r["Value"]) for r in rows
            if r["Value"] != "" and all(r[c] == "" for c in between)}


def test_the_total_line_rule_drops_rows_with_a_disaggregation() -> None:
    """A filled column between Year and Value (a unit, a comment) hides the row."""
    rows = [{"Year": "2006", "Units": "", "Value": "1"}, {"Year": "2010", "Units": "%",
                                                         "Value": "2"}]
    assert total_line(rows) == {2006: 1.0}


def test_every_torino_indicator_gets_innestos_status_from_the_export(tmp_path: Path) -> None:
    ps = load_plan(TORINO)
    write_datapackage(ps, tmp_path)
    checked = 0
    for plan in ps.editions:
        st = compute_status(ps, edition=plan.edition)
        for ind in plan.indicators:
            stem = f"{plan.edition}-{ind.id}"
            conf = yaml.safe_load((tmp_path / "indicator-config" / f"{stem}.yml").read_text())
            with (tmp_path / "data" / f"indicator_{stem}.csv").open(encoding="utf-8") as f:
                series = total_line(list(csv.DictReader(f)))
            status, score = progress(series, conf["progress_calculation_options"][0])
            mine = st.indicators[ind.id]
            assert status == mine.status, stem
            if score is None or mine.score is None:
                assert score is mine.score, stem
            else:
                assert score == pytest.approx(mine.score, abs=1e-3), stem
            checked += 1
    assert checked == sum(len(p.indicators) for p in ps.editions) >= 15


def test_a_target_equal_to_the_baseline_round_trips(tmp_path: Path) -> None:
    """The published ratio with CAGR_T = 0: moving away from the target is deterioration."""
    assert progress({2006: 100.0, 2017: 90.0}, {"direction": "positive", "base_year": 2006,
                                                "target": 100.0, "target_year": 2015}) == (
        "deterioration", -5.0)
