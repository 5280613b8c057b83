"""Open SDG tidy CSV, indicator config and the Frictionless Data Package."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import yaml

from innesto.plan.examples import tiny_planset
from innesto.plan.frictionless import opensdg_csv, write_datapackage
from innesto.plan.status import opensdg_progress


def test_opensdg_csv_as_of_a_date() -> None:
    ind = tiny_planset().edition(2006).indicator("share")
    rows = list(csv.DictReader(opensdg_csv(ind, as_of=date(2019, 12, 31)).splitlines()))
    assert [(r["Year"], r["Value"]) for r in rows] == [("2010", "1.2"), ("2017", "1.3")]
    rows = list(csv.DictReader(opensdg_csv(ind).splitlines()))
    assert rows[-1] == {"Year": "2017", "Units": "%", "COMMENT_OBS": "revised", "Value": "1.25"}


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
    series = {int(r["Year"]): float(r["Value"]) for r in rows} | {2006: 1.1}
    p = opensdg_progress(series, base_year=opts["base_year"], direction=1,
                         target=opts["target"], target_year=opts["target_year"])
    assert p.status == "limited_progress"
