"""The relational stage on DuckDB: cleaning counts, levels, classifications, microdata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from innesto.engines import relational
from innesto.engines.base import Engine, connect
from innesto.errors import EngineError


@pytest.fixture
def eng() -> Iterator[Engine]:
    e = connect("duckdb")
    yield e
    e.close()


def test_clean_counts_and_keeps_codes(eng: Engine, tmp_path: Path) -> None:
    """Identity: each set-aside row is counted once under its reason; HS codes keep zeros."""
    csv = tmp_path / "t.csv"
    csv.write_text("geo,code,year,v\nITC11,0101,2017,5\nITC11,0102,2017.0,\n"
                   "ITC12,0101,2017,n/a\n,0101,2017,3\nITC12,0101,2017,2.5\n"
                   "ITC13,0101,2017,12:00 AM\n")
    t, counts = relational.clean(eng.read(csv), region="geo", industry="code", time="year",
                                 value="v")
    # n/a is missing here as in every reader (one value parser); 12:00 AM is corrupt
    assert counts == {"rows": 6, "missing": 2, "corrupt": 1, "no_key": 1}
    df = relational.collect(relational.aggregate(t)).to_pandas()
    assert df.flag.isna().all()  # a tabular blank or n/a carries no flag
    assert df.drop(columns="flag").fillna(-1.0).values.tolist() == [["ITC11", "0101", "2017", 5.0],
                                               ["ITC11", "0102", "2017", -1.0],  # null kept
                                               # n/a + 2.5 on one key: a null
                                               # component makes the sum null (the
                                               # library's sector-sum rule)
                                               ["ITC12", "0101", "2017", -1.0],
                                               ["ITC13", "0101", "2017", -1.0]]


def test_missing_column_names_the_columns(eng: Engine) -> None:
    t = eng.table(pd.DataFrame({"a": ["x"], "b": ["y"]}))
    with pytest.raises(EngineError, match="'geo' not found; the columns are 'a', 'b'"):
        relational.clean(t, region="geo", industry="b", time=None, value="a")


def test_to_level_and_aggregate(eng: Engine) -> None:
    """Identity: NACE classes summed to divisions (C1011 + C1012 = C10)."""
    t = eng.table(pd.DataFrame({"region": ["r", "r", "r"], "industry": ["C1011", "C1012", "C2011"],
                                "time": ["1", "1", "1"], "value": [1.0, 2.0, 4.0]}))
    out = relational.collect(relational.aggregate(relational.to_level(t, "industry", 3)))
    assert out.to_pandas().values.tolist() == [["r", "C10", "1", 3.0], ["r", "C20", "1", 4.0]]
    with pytest.raises(EngineError):
        relational.to_level(t, "industry", 0)


def test_join_classification_with_weights(eng: Engine) -> None:
    """Identity: a code split 60/40 across two targets; an unmapped code is counted."""
    t = eng.table(pd.DataFrame({"region": ["r", "r", "r"], "industry": ["a", "b", "zz"],
                                "time": ["1", "1", "1"], "value": [10.0, 5.0, 1.0]}))
    m = eng.table(pd.DataFrame({"src": ["a", "a", "b"], "dst": ["X", "Y", "X"],
                                "w": [0.6, 0.4, 1.0]}), "mapping")
    recoded, unmapped = relational.join_classification(t, m, source="src", target="dst",
                                                       weight="w")
    out = relational.collect(relational.aggregate(recoded)).to_pandas()
    assert out.values.tolist() == [["r", "X", "1", 11.0], ["r", "Y", "1", 4.0]]
    assert unmapped == 1


def _units() -> pd.DataFrame:
    # firm f1 in Torino has two establishments in C10 (5 + 3 employees) and one in C20 (2);
    # f2 in Torino: C10 (4); f3 in Milano: C20 (7), in 2020 and again in 2021 (8)
    return pd.DataFrame({
        "firm": ["f1", "f1", "f1", "f2", "f3", "f3"],
        "nuts": ["ITC11", "ITC11", "ITC11", "ITC11", "ITC4C", "ITC4C"],
        "ateco": ["C10", "C10", "C20", "C10", "C20", "C20"],
        "year": [2020, 2020, 2020, 2020, 2020, 2021],
        "employees": [5.0, 3.0, 2.0, 4.0, 7.0, 8.0],
    })


def test_microdata_weights_and_units(eng: Engine) -> None:
    """Hand-computed: Torino C10 has 5 + 3 + 4 = 12 employees in 2 firms."""
    t = eng.table(_units())
    kw = {"unit": "firm", "region": "nuts", "industry": "ateco", "time": "year"}
    w = relational.collect(relational.microdata(t, weight="employees", **kw)).to_pandas()
    assert w.values.tolist() == [["ITC11", "C10", "2020", 12.0], ["ITC11", "C20", "2020", 2.0],
                                 ["ITC4C", "C20", "2020", 7.0], ["ITC4C", "C20", "2021", 8.0]]
    u = relational.collect(relational.microdata(t, count="units", **kw)).to_pandas()
    assert u.value.tolist() == [2.0, 1.0, 1.0, 1.0]
    rows = relational.collect(relational.microdata(t, **kw)).to_pandas()
    assert rows.value.tolist() == [3.0, 1.0, 1.0, 1.0]  # one per row without weights
    with pytest.raises(EngineError, match="count must be"):
        relational.microdata(t, count="firms", **kw)


def test_read_errors(eng: Engine, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="file not found"):
        eng.read(tmp_path / "nope.csv")
    with pytest.raises(EngineError, match="unknown engine"):
        connect("polars")
    with pytest.raises(EngineError, match="only apply"):
        connect("duckdb", master="local[1]")
