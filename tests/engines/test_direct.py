"""The direct read of a Parquet panel (Arrow, keys as dictionaries) against the engine route.

Pins: the key rule of :mod:`innesto.engines.keys` evaluated on labels equals the engine's
expressions (:func:`innesto.engines.relational._key` run by DuckDB) on hostile labels;
``write_pipeline`` writes the same files, byte for byte, and the same counts whether the
panel is read directly or through DuckDB; inputs the direct read does not handle go to
the engine route.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from innesto.engines import direct, keys, relational
from innesto.engines.base import connect
from innesto.engines.flow import write_pipeline
from innesto.engines.outputs import TABLES
from innesto.engines.synthetic import synthetic_panel

HOSTILE = [" 2017.0", "2017.00\t", "2017.5", "-3.0", "1e3", "\x0b\x0c", "", " ", "C10 ",
           "\n07.0\r", "2017.0.0", "à 1", None]


@pytest.mark.parametrize("period", [False, True])
def test_label_rule_equals_engine_expressions(period: bool) -> None:
    """Independent evaluator: DuckDB runs relational._key on the same labels."""
    eng = connect()
    try:
        t = eng.table(pa.table({"k": pa.array(HOSTILE, pa.string())}), "labels")
        got = t.select(k=relational._key(t.k, period=period)).to_pyarrow().column("k")
        engine = got.to_pylist()
    finally:
        eng.close()
    assert [keys.clean_label(v, period=period) for v in HOSTILE] == engine
    assert keys.clean_label(2017, period=True) == "2017"


def _messy(tmp_path: Path, *, int_time: bool = False) -> Path:
    """A synthetic panel with blanks around keys, a period written 2000.0, missing and NaN
    values, zeros, duplicate rows, rows without a region or an industry."""
    df = synthetic_panel(70, 30, 3, seed=11).to_pandas()
    df["region"] = df["region"].astype(object)
    df.loc[::7, "region"] = " " + df.loc[::7, "region"].astype(str) + "\t"
    extra = pd.DataFrame({
        "region": ["R00001", "R00002", "", None, "R00003", "R00004", "R00004", "RZ"],
        "industry": ["I0001", "I0002", "I0003", "I0004", None, "I0005", "I0005", "I0001"],
        "time": ["2000.0", "2001", "2000", "2000", "2000", "2002", "2002", "2001"],
        "value": [5.0, np.nan, 1.0, 2.0, 3.0, 4.0, 6.0, 0.0]})
    df = pd.concat([df, extra], ignore_index=True)
    df.loc[3, "value"] = None
    if int_time:
        df["time"] = df["time"].astype(float).astype(int)
    path = tmp_path / "panel.parquet"
    df.to_parquet(path, index=False, row_group_size=1000)
    return path


@pytest.mark.parametrize("int_time", [False, True])
def test_direct_files_equal_engine_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         int_time: bool) -> None:
    """Identity: both routes write the same bytes in every table and count the same."""
    monkeypatch.setattr(direct, "BATCH_ROWS", 500)  # several batches and row groups
    src = _messy(tmp_path, int_time=int_time)
    assert direct.encode(src) is not None
    a = write_pipeline(src, tmp_path / "direct")
    b = write_pipeline(src, tmp_path / "engine", direct=False)
    assert a.counts == b.counts
    assert a.counts["no_key"] == 3 and a.counts["missing"] == 2
    assert a.counts["rows"] == len(pq.read_table(src))
    assert a.periods == b.periods == ["2000", "2001", "2002"]
    for name in TABLES:
        got = (tmp_path / "direct" / f"{name}.parquet").read_bytes()
        assert got == (tmp_path / "engine" / f"{name}.parquet").read_bytes(), name
    assert a.rows == b.rows


def test_dictionary_entries_that_clean_to_one_label(tmp_path: Path) -> None:
    """' a' and 'a' in one dictionary are one region, as on the engine route."""
    t = pa.table({"region": pa.array([" a", "a", "b", "b "]).dictionary_encode(),
                  "industry": ["x", "y", "x", "y"], "time": ["1", "1", "1", "1"],
                  "value": [1.0, 2.0, 3.0, 1.0]})
    pq.write_table(t, tmp_path / "p.parquet")
    enc, counts = direct.encode(tmp_path / "p.parquet")  # type: ignore[misc]
    m = enc.matrix("1")
    assert m.regions.tolist() == ["a", "b"]
    assert m.matrix.toarray().tolist() == [[1.0, 2.0], [3.0, 1.0]]
    assert counts == {"rows": 4, "missing": 0, "corrupt": 0, "no_key": 0}


def test_other_inputs_take_the_engine_route(tmp_path: Path) -> None:
    base = {"region": ["a", "b"], "industry": ["x", "x"], "time": ["1", "1"]}
    cases = {
        "text_value.parquet": pa.table({**base, "value": ["1", "2 p"]}),
        "flagged.parquet": pa.table({**base, "value": [1.0, 2.0], "flag": [None, "p"]}),
        "float_time.parquet": pa.table({**base, "time": [2000.0, 2000.0], "value": [1.0, 2.0]}),
    }
    for name, table in cases.items():
        pq.write_table(table, tmp_path / name)
        assert direct.encode(tmp_path / name) is None, name
    (tmp_path / "p.csv").write_text("region,industry,time,value\na,x,1,1\n")
    assert direct.encode(tmp_path / "p.csv") is None
    assert direct.encode(tmp_path / "missing.parquet") is None
    # an empty flag column is no flag: read directly
    pq.write_table(pa.table({**base, "value": [1.0, 2.0], "flag": [None, ""]}),
                   tmp_path / "empty_flags.parquet")
    assert direct.encode(tmp_path / "empty_flags.parquet") is not None


def test_reader_thread_keeps_order_and_raises_in_place() -> None:
    """The batches read ahead come in order, and a reader's error after them is raised
    where the consumer reaches it."""
    def gen():  # type: ignore[no-untyped-def]
        yield from range(5)
        raise ValueError("broken row group")

    got = []
    with pytest.raises(ValueError, match="broken row group"):
        for item in direct._ahead(gen(), depth=1):  # type: ignore[arg-type]
            got.append(item)
    assert got == [0, 1, 2, 3, 4]
    # a consumer that stops early does not leave the reader blocked
    first = next(iter(direct._ahead(iter(range(100)), depth=1)))  # type: ignore[arg-type]
    assert first == 0
