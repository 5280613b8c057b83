"""``innesto plan``: the commands the acceptance checks use, on the Torino example."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.plan import load_plan
from tests.conftest import ROOT

TORINO = str(ROOT / "examples" / "torino")
runner = CliRunner()
_register()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["plan", *args])


def test_validate_torino() -> None:
    result = run("validate", TORINO)
    assert result.exit_code == 0, result.output
    assert "valid plan set 'torino': 3 editions (2000, 2006, 2015)" in result.output


def test_validate_checks_sector_codes(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text("id: x\ntitle: {it: P, en: P}\nsectors:\n  - id: auto\n"
                 "    name: {it: Auto, en: Auto}\n    nace: [C29, C99.9]\n")
    result = run("validate", str(f))
    assert result.exit_code == 1
    assert f"{f}, line 6, field 'sectors.0.nace.1': 'C99.9' is not a NACE Rev. 2" in result.output


def test_validate_lists_optional_translations_missing(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text("id: x\ntitle: {it: Piano}\nlanguages: [it]\n")
    result = run("validate", str(f))
    assert result.exit_code == 0, result.output
    assert "1 text lacks an optional translation, e.g. title (en)" in result.output


def test_validate_reports_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("edition: 2006\nid: x\ntitle: {it: X}\n")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}, line 3, field 'editions.0.title.en'" in result.output


def test_status_tree_with_explanations() -> None:
    result = run("status", TORINO, "--edition", "2006")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Industrial transformation [Axis] /2006/industrial-transformation" in out
    assert "target 8.5 by 2015, baseline 4.25 in 2006, needed +8.0%/year, achieved +1.1%/year" in out
    assert "[illustrative]" in out and "delivery: on schedule" in out
    it = run("status", TORINO, "--edition", "2006", "--lang", "it").output
    assert "Trasformazione industriale [Asse]" in it and "progressi limitati" in it


def test_status_json_and_as_of() -> None:
    result = run("status", TORINO, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [e["edition"] for e in data["editions"]] == [2000, 2006, 2015]
    second = data["editions"][1]
    share = next(i for i in second["indicators"] if i["id"] == "share-ict")
    assert share["status"] == "limited_progress"
    assert share["components"]["base_year"] == 2006
    early = json.loads(run("status", TORINO, "--json", "--as-of", "2010-01-01").output)
    assert [e["edition"] for e in early["editions"]] == [2000, 2006]
    share = next(i for i in early["editions"][1]["indicators"] if i["id"] == "share-ict")
    assert share["status"] == "not_available"  # the Eurostat values were recorded later
    assert run("status", TORINO, "--as-of", "someday").exit_code == 1


def test_schema_is_valid_json_schema_and_accepts_torino() -> None:
    result = run("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    exported = json.loads(run("export", TORINO, "--format", "json").output)
    jsonschema.validate(exported, schema)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_import_round_trip(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"torino.{fmt}"
    result = run("export", TORINO, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    target = tmp_path / "copy"
    result = run("import", str(out), "--into", str(target))
    assert result.exit_code == 0, result.output
    assert load_plan(target) == load_plan(TORINO)


def test_export_to_stdout_and_xlsx_needs_output() -> None:
    result = run("export", TORINO, "--format", "csv")
    assert result.exit_code == 0
    assert result.output.startswith("table,")
    assert run("export", TORINO, "--format", "xlsx").exit_code == 1
    assert run("export", TORINO, "--format", "pdf").exit_code == 1


def test_import_dry_run_shows_diff_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "plan"
    assert run("import", str(_exported(tmp_path)), "--into", str(target)).exit_code == 0
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    edited = tmp_path / "edited.csv"
    text = _exported(tmp_path).read_text()
    edited.write_text(text.replace("Reconversion of Mirafiori", "Mirafiori reconversion"))
    result = run("import", str(edited), "--into", str(target), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "~ nodes 2006/mirafiori-reconversion: title.en: 'Reconversion of Mirafiori' -> " \
           "'Mirafiori reconversion'" in result.output
    assert "dry run: 0 added, 1 changed" in result.output
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before


def test_bad_row_is_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    target = tmp_path / "plan"
    assert run("import", str(_exported(tmp_path)), "--into", str(target)).exit_code == 0
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    lines = _exported(tmp_path).read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("budget,") and "67000000" in line)
    lines[i] = lines[i].replace("67000000", "lots")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = run("import", str(bad), "--into", str(target))
    assert result.exit_code == 1
    assert "nothing imported" in result.output and "table 'budget', row" in result.output
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before


def test_datapackage(tmp_path: Path) -> None:
    result = run("datapackage", TORINO, "-o", str(tmp_path / "dp"))
    assert result.exit_code == 0, result.output
    pkg = json.loads((tmp_path / "dp" / "datapackage.json").read_text())
    assert pkg["profile"] == "tabular-data-package"
    first = (tmp_path / "dp" / "data" / "indicator_2006-share-ict.csv").read_text().splitlines()
    assert first[0] == "Year,Value"
    conf = yaml.safe_load((tmp_path / "dp" / "indicator-config" / "2006-share-ict.yml").read_text())
    assert conf["progress_calculation_options"] == [
        {"direction": "positive", "base_year": 2006, "target": 8.5, "target_year": 2015}]


def _exported(tmp_path: Path) -> Path:
    out = tmp_path / "torino.csv"
    if not out.exists():
        assert run("export", TORINO, "--format", "csv", "-o", str(out)).exit_code == 0
    return out


def test_refresh_records_nothing_new_for_torino_and_a_vintage_otherwise(tmp_path: Path) -> None:
    """The shipped values are the bindings' on innesto.datasets: a refresh adds nothing.
    After a value is removed, the refresh records it again as a new vintage."""
    from innesto.plan import save_plan

    copy = tmp_path / "torino"
    save_plan(load_plan(TORINO), copy)
    result = run("refresh", str(copy), "--published", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert "0 values to record; nothing written" in result.output
    values = copy / "values.csv"
    lines = values.read_text().splitlines()
    values.write_text("\n".join(line for line in lines if ",share-ict,2017," not in line) + "\n")
    result = run("refresh", str(copy), "--published", "2027-01-01", "--edition", "2006")
    assert "2006/share-ict: 1 new or revised value" in result.output
    ps = load_plan(copy)
    new = [o for o in ps.edition(2006).indicator("share-ict").observations if o.period == "2017"]
    assert [o.published.isoformat() for o in new] == ["2027-01-01"]


def test_refresh_dates_new_values_by_the_panels_release(tmp_path: Path) -> None:
    """``--panel``: values recorded from a panel carry its release date (what
    ``innesto fetch eurostat`` reads from Eurostat's table of contents), not the day of the
    refresh, so a report as of the day before does not show them and one as of that day does."""
    from dataclasses import replace as dc_replace

    from innesto.datasets import employment_italy
    from innesto.panel import Panel
    from innesto.plan import save_plan
    from innesto.plan.bitemporal import as_of

    copy = tmp_path / "torino"
    save_plan(load_plan(TORINO), copy)
    values = copy / "values.csv"
    lines = values.read_text().splitlines()
    values.write_text("\n".join(line for line in lines if ",share-ict,2017," not in line) + "\n")
    shipped = employment_italy()
    Panel(shipped.table, dc_replace(shipped.meta, released="2024-04-16")).write_parquet(
        tmp_path / "p.parquet")
    result = run("refresh", str(copy), "--edition", "2006", "--panel", str(tmp_path / "p.parquet"))
    assert result.exit_code == 0, result.output
    assert "released on 2024-04-16" in result.output
    obs = load_plan(copy).edition(2006).indicator("share-ict").observations
    new = [o for o in obs if o.period == "2017"]
    assert [o.published.isoformat() for o in new] == ["2024-04-16"]
    from datetime import date

    assert "2017" not in as_of(obs, date(2024, 4, 15))
    assert "2017" in as_of(obs, date(2024, 4, 16))
