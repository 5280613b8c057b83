"""Streamed outputs: the files of ``write_pipeline`` equal the in-memory tables exactly.

The in-memory tables (``run_pipeline(...).tables``, what the command wrote before it
streamed) are the reference; the cells are also checked against the period matrices
directly (a cell is listed when it has a stored value or a non-zero density).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from innesto.engines import outputs, pipeline
from innesto.engines.flow import run_pipeline, write_pipeline
from innesto.engines.synthetic import synthetic_panel
from innesto.errors import EngineError
from innesto.panel import Panel


def _source(tmp_path: Path) -> tuple[Path, Panel]:
    """A synthetic panel with a missing value, an explicit zero and a region whose only
    row in 2001 is a zero (present in that period with diversity 0)."""
    df = synthetic_panel(90, 40, 3, seed=5).to_pandas()
    extra = pd.DataFrame({"region": ["R00000", "R00001", "RZERO"],
                          "industry": ["I0039", "I0038", "I0001"],
                          "time": ["2000", "2000", "2001"], "value": [np.nan, 0.0, 0.0]})
    df = pd.concat([df, extra], ignore_index=True)
    path = tmp_path / "panel.parquet"
    df.to_parquet(path, index=False)
    return path, Panel.from_pandas(df)


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


def test_streamed_files_equal_in_memory_tables(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Identity: every table, row for row and bit for bit, with cells in several blocks."""
    monkeypatch.setattr(outputs, "BLOCK_CELLS", 7 * 40)  # 7 regions a block
    src, panel = _source(tmp_path)
    ref = run_pipeline(src).tables
    out = write_pipeline(src, tmp_path / "out", workers=2)
    assert [p.name for p in out.paths] == [f"{n}.parquet" for n in outputs.TABLES]
    assert out.periods == ["2000", "2001", "2002"] and out.counts["rows"] == len(
        panel.table)
    for name in outputs.TABLES:
        got = _read(tmp_path / "out", name)
        pd.testing.assert_frame_equal(got, ref[name], check_exact=True)
        assert out.rows[name] == len(ref[name]) > 0
    assert not list((tmp_path / "out").glob(".innesto-*"))
    regions = _read(tmp_path / "out", "regions")
    assert regions.set_index(["time", "region"]).loc[("2001", "RZERO"), "diversity"] == 0


def test_cells_are_the_matrices_cells(tmp_path: Path) -> None:
    """Independent of the table code: for each period, the listed cells are exactly the
    stored values, the input's missing cell (R00000 x I0039 in 2000: value, RCA and M
    null, never 0) and the non-zero densities, with the matrices' numbers."""
    src, panel = _source(tmp_path)
    write_pipeline(src, tmp_path / "out", tables=("cells",))
    cells = _read(tmp_path / "out", "cells")
    for p in pipeline.run(panel).periods:
        dens, val = p.dense("density"), p.dense("value")
        listed = (val != 0) | (dens != 0) | np.isnan(dens)
        null = np.zeros(val.shape, bool)
        if p.time == "2000":
            null[list(p.regions).index("R00000"), list(p.industries).index("I0039")] = True
        r, c = np.nonzero(listed | null)
        got = cells[cells.time == p.time]
        assert got.region.tolist() == p.regions[r].tolist()
        assert got.industry.tolist() == p.industries[c].tolist()
        assert got.value.isna().to_numpy().tolist() == null[r, c].tolist()
        ok = ~null[r, c]
        assert np.array_equal(got.value.to_numpy()[ok], val[r, c][ok])
        assert np.array_equal(got.rca.to_numpy()[ok], p.dense("rca")[r, c][ok])
        assert got.rca.isna().to_numpy().tolist() == null[r, c].tolist()
        assert np.array_equal(got.m.to_numpy()[ok], p.dense("m")[r, c][ok].astype(np.int8))
        assert np.array_equal(got.density.to_numpy(), dens[r, c], equal_nan=True)


def test_tables_writes_only_what_is_asked(tmp_path: Path) -> None:
    src, _ = _source(tmp_path)
    out = write_pipeline(src, tmp_path / "out", tables=("industries", "regions"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "industries.parquet", "regions.parquet"]
    assert sorted(out.rows) == ["industries", "regions"]
    ref = run_pipeline(src).tables
    pd.testing.assert_frame_equal(_read(tmp_path / "out", "regions"), ref["regions"])
    with pytest.raises(EngineError, match="unknown table.*choose among cells"):
        write_pipeline(src, tmp_path / "bad", tables=("cells", "eci"))
    assert not (tmp_path / "bad").exists()


def test_sparse_density_keeps_values_and_dense_cells(tmp_path: Path) -> None:
    """``density_min``: the dense cells table filtered to a stored value or density >= 0.4."""
    src, _ = _source(tmp_path)
    write_pipeline(src, tmp_path / "out", tables=("cells",), density_min=0.4)
    ref = run_pipeline(src).tables["cells"]
    keep = (ref.value != 0) | (ref.density >= 0.4)
    got = _read(tmp_path / "out", "cells")
    assert 0 < len(got) < len(ref)
    pd.testing.assert_frame_equal(got, ref[keep].reset_index(drop=True), check_exact=True)


def test_nothing_written_on_error(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("region,industry,time,value\n,x,1,2\n")
    with pytest.raises(EngineError, match="no rows left"):
        write_pipeline(f, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.spark
@pytest.mark.slow
def test_spark_streamed_files_equal_spark_tables(tmp_path: Path, spark: object) -> None:
    """Spark: the files written period by period equal Spark's collected tables exactly,
    and the DuckDB files to 1e-9 (the engines' parity)."""
    src, _ = _source(tmp_path)
    ref = run_pipeline(src, engine="spark", spark=spark).tables
    out = write_pipeline(src, tmp_path / "spark", engine="spark", spark=spark)
    write_pipeline(src, tmp_path / "duck")
    assert out.periods == ["2000", "2001", "2002"]
    for name in outputs.TABLES:
        got = _read(tmp_path / "spark", name)
        pd.testing.assert_frame_equal(got, ref[name], check_exact=True, check_dtype=False)
        pd.testing.assert_frame_equal(got, _read(tmp_path / "duck", name), rtol=1e-9,
                                      atol=1e-9)
    write_pipeline(src, tmp_path / "sparse", engine="spark", spark=spark,
                   tables=("cells",), density_min=0.4)
    assert [p.name for p in (tmp_path / "sparse").iterdir()] == ["cells.parquet"]
    sparse = _read(tmp_path / "sparse", "cells")
    cells = _read(tmp_path / "duck", "cells")
    keep = (cells.value != 0) | (cells.density >= 0.4)
    pd.testing.assert_frame_equal(sparse, cells[keep].reset_index(drop=True), rtol=1e-9,
                                  atol=1e-9)


def test_an_error_while_writing_leaves_no_file(tmp_path: Path) -> None:
    """An error after some pieces were written (in the writer thread or the caller's)
    removes every temporary file; an error of the writer thread is raised to the caller."""
    piece = outputs.BUILT["regions"].empty_table()
    with pytest.raises(RuntimeError, match="stop"), outputs.TableSink(tmp_path / "a") as sink:
        sink.write("regions", piece)
        raise RuntimeError("stop")
    assert list((tmp_path / "a").iterdir()) == []

    class Broken:
        def write_table(self, table: object) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            pass

    sink = outputs.TableSink(tmp_path / "b", ["regions"])
    sink._writers["regions"] = Broken()
    with pytest.raises(OSError, match="No space left"), sink:
        sink.write("regions", piece)
    assert list((tmp_path / "b").iterdir()) == []
