"""Open SDG tidy CSV, indicator config and the Frictionless Data Package."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import yaml

from innesto.plan.examples import tiny_planset
from innesto.plan.frictionless import indicator_config, opensdg_csv, write_datapackage
from innesto.plan.status import opensdg_progress


def test_opensdg_csv_as_of_a_date_carries_the_baseline_the_status_uses() -> None:
    """The tiny plan's baseline 1.1 in 2006 has no observation: the export adds it."""
    ind = tiny_planset().edition(2006).indicator("share")
    rows = list(csv.DictReader(opensdg_csv(ind, as_of=date(2019, 12, 31)).splitlines()))
    assert [(r["Year"], r["Value"]) for r in rows] == [
        ("2006", "1.1"), ("2010", "1.2"), ("2017", "1.3")]
    rows = list(csv.DictReader(opensdg_csv(ind).splitlines()))
    assert rows[-1] == {"Year": "2017", "Value": "1.25"}


def test_opensdg_csv_is_a_total_line_and_comments_go_to_the_footnote() -> None:
    """sdg-build's progress code keeps only rows whose columns between Year and Value are
    all empty (the total line): the CSV has no column there; the unit and each year's
    comment (the baseline, the tiny plan's 2017 revision) are in the configuration."""
    ps = tiny_planset()
    plan = ps.edition(2006)
    ind = plan.indicator("share")
    assert opensdg_csv(ind).splitlines()[0] == "Year,Value"
    conf = indicator_config(plan, ind)
    assert conf["computation_units"] == "%"
    assert conf["data_footnote"] == "2006: baseline; 2017: revised"


def test_package_describes_every_file_it_writes(tmp_path: Path) -> None:
    files = write_datapackage(tiny_planset(), tmp_path)
    pkg = json.loads((tmp_path / "datapackage.json").read_text())
    assert {tmp_path / r["path"] for r in pkg["resources"]} <= set(files)
    for res in pkg["resources"]:
        header = (tmp_path / res["path"]).read_text().splitlines()[0].split(",")
        assert header == [f["name"] for f in res["schema"]["fields"]]
    assert pkg["resources"][-1]["schema"]["primaryKey"] == ["edition", "indicator", "period",
                                                            "published"]
    assert len((tmp_path / "values.csv").read_text().splitlines()) == 4


def test_indicator_config_gives_open_sdg_the_same_inputs(tmp_path: Path) -> None:
    """Identity: Open SDG run with the written progress options and data gets innesto's status."""
    write_datapackage(tiny_planset(), tmp_path)
    conf = yaml.safe_load((tmp_path / "indicator-config" / "2006-share.yml").read_text())
    opts = conf["progress_calculation_options"][0]
    assert opts == {"direction": "positive", "base_year": 2006, "target": 1.5, "target_year": 2015}
    rows = list(csv.DictReader((tmp_path / "data" / "indicator_2006-share.csv").open()))
    series = {int(r["Year"]): float(r["Value"]) for r in rows}
    p = opensdg_progress(series, base_year=opts["base_year"], direction=1,
                         target=opts["target"], target_year=opts["target_year"])
    assert p.status == "limited_progress"


def test_values_csv_keeps_provenance_notes_and_each_sources_licence(tmp_path: Path) -> None:
    """The Torino plan: the disputed Mirafiori 2010 value keeps its note and grade, press
    figures keep their rights statement (never CC BY 4.0), Eurostat values theirs."""
    from innesto.plan import load_plan

    ps = load_plan(Path(__file__).resolve().parents[2] / "examples" / "torino")
    write_datapackage(ps, tmp_path)
    rows = list(csv.DictReader((tmp_path / "values.csv").open(encoding="utf-8")))
    mira = {r["period"]: r for r in rows if r["indicator"] == "mirafiori-output"}
    assert mira["2010"]["confidence"] == "disputed"
    assert mira["2010"]["note"] == "Two sources disagree: 124,000 or 120,000."
    assert mira["2010"]["unit"] == "cars per year"
    assert "not relicensed" in mira["2010"]["licence"]
    emp = next(r for r in rows if r["indicator"] == "emp-total")
    assert (emp["source"], emp["dataset"], emp["licence"]) == ("Eurostat", "nama_10r_3empers",
                                                               "CC BY 4.0")
    assert emp["unit"] == "persons" and emp["retrieved"]
    pkg = json.loads((tmp_path / "datapackage.json").read_text())
    assert "licenses" not in pkg
    res = {r["name"]: r for r in pkg["resources"]}
    assert [s["licence"] for s in res["indicator_2006-mirafiori-output"]["sources"]] == [
        "© the publisher; quoted for reference, not relicensed"]
