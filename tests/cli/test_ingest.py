"""``innesto ingest``: report printed, panel written atomically, nothing left on failure."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click.testing
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.panel import Panel
from tests.conftest import require_shared
from tests.sources.fuzzing import FUZZ, mutated, scratch_dir
from tests.sources.test_eurostat_sbs import SMALL as SBS
from tests.sources.test_eurostat_tsv import OFFICIAL as TSV
from tests.sources.test_sdmx_csv import V2 as SDMX
from tests.sources.test_wide import DC_SMALL as WIDE

_register()
runner = CliRunner()


def test_ingest_tsv_with_reader_option(tmp_path: Path) -> None:
    src = tmp_path / "nama_10r_3empers.tsv"
    src.write_text(TSV + "A,PC_EMP,EMP,J,IT\t2.6 \t2.6 \t: \n")
    out = tmp_path / "p.parquet"
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out)])
    assert res.exit_code == 1 and not out.exists()
    assert "'unit' has several values (PC_EMP, THS)" in res.output
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out), "-O", "unit=THS",
                              "--report-json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    assert "confidential: 1" in res.output and "Source: Eurostat, nama_10r_3empers" in res.output
    panel = Panel.read_parquet(out)
    assert panel.n_rows == 12 and panel.meta.attribution == "Source: Eurostat, nama_10r_3empers"
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["counts"]["confidential"] == 1 and report["format"] == "eurostat-tsv"
    assert report["panel"]["rows"] == 12 and report["panel"]["industry_classification"] == "NACE_R2"


def test_progress_shown_unless_quiet(tmp_path: Path) -> None:
    """The reading step has a progress bar on stderr; -q/--quiet leaves only the report."""
    src = tmp_path / "sdmx.csv"
    src.write_text(SDMX)
    res = runner.invoke(app, ["ingest", str(src), "-o", str(tmp_path / "a.parquet")])
    assert res.exit_code == 0, res.output
    assert "read sdmx.csv" in res.output and "1/1" in res.output
    res = runner.invoke(app, ["ingest", str(src), "-o", str(tmp_path / "b.parquet"), "-q"])
    assert res.exit_code == 0, res.output
    assert "read sdmx.csv" not in res.output and "wrote" in res.output


def test_ingest_piemonte_auto_detects_wide(tmp_path: Path) -> None:
    src = require_shared("eurostat-employment-piemonte-nuts3",
                         "Eurostats_NUTS3_Empers_piemonte_subset.csv")
    out = tmp_path / "piemonte.parquet"
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "216 rows read, 216 kept" in res.output and "missing: 42" in res.output
    assert Panel.read_parquet(out).n_rows == 216 * 15


def test_ingest_real_sbs_extract_prints_counts_and_nuts_note(tmp_path: Path) -> None:
    src = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    out, rep = tmp_path / "sbs.parquet", tmp_path / "sbs.json"
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out), "--report-json", str(rep)])
    assert res.exit_code == 0, res.output
    for line in ("(eurostat-sbs): 46859 rows read, 46859 kept", "confidential: 8499",
                 "corrupt: 30", "flag:d: 386", "missing: 119", "region codes mix NUTS"):
        assert line in res.output
    report = json.loads(rep.read_text())
    assert report["examples"]["corrupt"][0] == {"line": 725, "column": "n2015",
                                                "raw": "12:00 AM"}
    assert Panel.read_parquet(out).n_missing == 8499 + 30 + 119


def test_ingest_generic_wide_with_column_options(tmp_path: Path) -> None:
    src = tmp_path / "prov.csv"
    src.write_text("anno;codice;Manifattura;Servizi\n2017;TO;10;20\n")
    out = tmp_path / "w.parquet"
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out), "--format", "wide",
                              "--region", "codice", "--time", "anno",
                              "-O", "industry_map=Manifattura:C,Servizi:G-U"])
    assert res.exit_code == 0, res.output
    assert Panel.read_parquet(out).industries == ["C", "G-U"]


def test_errors_are_one_line_and_leave_nothing(tmp_path: Path) -> None:
    out = tmp_path / "p.parquet"
    res = runner.invoke(app, ["ingest", str(tmp_path / "nope.tsv"), "-o", str(out)])
    assert res.exit_code == 1 and "file not found" in res.output and not out.exists()
    src = tmp_path / "x.tsv"
    src.write_text(TSV)
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out), "-O", "unit"])
    assert res.exit_code == 1 and "is not KEY=VALUE" in res.output
    res = runner.invoke(app, ["ingest", str(src), "-o", str(out), "--format", "nope"])
    assert res.exit_code == 1 and "unknown format 'nope'" in res.output
    assert list(tmp_path.iterdir()) == [src]


def test_list_formats() -> None:
    res = runner.invoke(app, ["ingest", "--list-formats"])
    assert res.exit_code == 0
    for name in ("eurostat-tsv", "sdmx-csv", "eurostat-sbs", "wide"):
        assert name in res.output


@functools.cache
def _command() -> click.Command:
    """The click command built once (typer rebuilds it on every invoke, which is slow)."""
    return typer.main.get_command(app)


@functools.cache
def _fast_runner() -> click.testing.CliRunner:
    return click.testing.CliRunner()


@settings(FUZZ, max_examples=300)
@given(st.sampled_from([("eurostat-tsv", TSV), ("sdmx-csv", SDMX), ("eurostat-sbs", SBS),
                        ("wide", WIDE)]).flatmap(
    lambda fb: st.tuples(st.just(fb[0]), mutated([fb[1].encode()]))))
def test_fuzz_ingest_leaves_no_output_on_failure(case: tuple[str, bytes]) -> None:
    fmt, content = case
    folder = scratch_dir() / "ingest"
    folder.mkdir(exist_ok=True)
    src, out = folder / "src.txt", folder / "out.parquet"
    out.unlink(missing_ok=True)
    src.write_bytes(content)
    for f in ("auto", fmt):
        res = _fast_runner().invoke(_command(), ["ingest", str(src), "-o", str(out), "--format", f])
        assert res.exit_code in (0, 1), res.output
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        assert out.exists() == (res.exit_code == 0)
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            ["src.txt"] + (["out.parquet"] if res.exit_code == 0 else []))
        out.unlink(missing_ok=True)
