"""The Panel contract: string codes, nulls kept as nulls, sparse matrix per period."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from innesto import Panel, PanelError, PanelMeta


def test_codes_stay_strings_with_leading_zeros() -> None:
    df = pd.DataFrame({"r": ["A"], "i": ["0101"], "t": [2017], "v": [3]})
    p = Panel.from_pandas(df, region="r", industry="i", time="t", value="v")
    assert p.industries == ["0101"]
    assert p.times == ["2017"]


def test_missing_values_stay_missing_never_zero() -> None:
    p = Panel.from_records([("A", "x", "2017", None), ("A", "y", "2017", 2.0)])
    assert p.n_missing == 1
    assert p.to_pandas()["value"].isna().sum() == 1
    # the matrix leaves the missing cell out instead of storing a zero
    assert p.matrix().matrix.nnz == 1


def test_matrix_sums_duplicates_and_sorts_labels() -> None:
    p = Panel.from_records(
        [("B", "y", "1", 1.0), ("A", "x", "1", 2.0), ("A", "x", "1", 3.0), ("B", "x", "2", 9.0)]
    )
    m = p.matrix(time="1")
    assert list(m.regions) == ["A", "B"]
    assert list(m.industries) == ["x", "y"]
    assert m.matrix.toarray().tolist() == [[5.0, 0.0], [0.0, 1.0]]
    with pytest.raises(PanelError, match="periods"):
        p.matrix()


def test_round_trips_through_parquet_polars_and_pandas(tmp_path) -> None:
    meta = PanelMeta("NUTS2016", "NACE_R2", "employment", "Source: Eurostat")
    p = Panel.from_records([("ITC11", "J", "2017", 1.5)], meta=meta)
    path = p.write_parquet(tmp_path / "p.parquet")
    back = Panel.read_parquet(path)
    assert back.meta == meta
    assert back.to_polars().equals(pl.DataFrame(
        {"region": ["ITC11"], "industry": ["J"], "time": ["2017"], "value": [1.5]}
    ))
    assert not list(tmp_path.glob(".innesto-*"))


def test_missing_column_names_the_columns_that_exist() -> None:
    df = pd.DataFrame({"geo": ["A"], "nace": ["x"], "v": [1]})
    with pytest.raises(PanelError, match="'geo', 'nace', 'v'"):
        Panel.from_pandas(df, region="region", industry="nace", value="v")
