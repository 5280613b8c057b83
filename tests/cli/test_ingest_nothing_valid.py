"""Issue 14: an all-corrupt input exited 0 and wrote an empty panel. Now ``innesto
ingest`` says that no value could be read, writes nothing and exits 1."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from innesto.cli.app import _register, app

_register()


def test_an_all_corrupt_file_exits_non_zero_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "nama_10r_3empers.tsv"
    src.write_text("unit,nace_r2,geo\\time\t2019 \t2020 \n"
                   "THS,J,ITC11\t12:00 AM \tn/a \n"
                   "THS,C,ITC11\t#REF! \t?? \n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    res = CliRunner().invoke(app, ["ingest", str(src), "-o", str(out)])
    assert res.exit_code == 1, res.output
    assert "no value could be read" in res.output and not out.exists()
    assert "4 cells" in res.output


def test_a_file_with_one_good_value_is_written(tmp_path: Path) -> None:
    src = tmp_path / "nama_10r_3empers.tsv"
    src.write_text("unit,nace_r2,geo\\time\t2019 \t2020 \n"
                   "THS,J,ITC11\t12.5 \tn/a \n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    res = CliRunner().invoke(app, ["ingest", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists()
