"""Engine parity: every pipeline output on Spark local equals DuckDB's to 1e-9.

Shared data sets kept small for CI time: OEC exports by HS section (one period), the Growth
Lab ecomplexity sample (two periods) and the Piemonte employment table (NUTS 3 x NACE
aggregates, 2000-2017); plus hand-made microdata and co-occurrence, and one million
synthetic microdata rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from innesto.engines import cooccurrence, relational
from innesto.engines.base import connect
from innesto.engines.flow import MicrodataSpec, run_pipeline
from tests.conftest import require_shared

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert sorted(a) == sorted(b)
    for name in a:
        x, y = a[name], b[name]
        assert list(x.columns) == list(y.columns), name
        assert x.shape == y.shape, name
        assert len(x) > 0, name
        for col in x.columns:
            if x[col].dtype.kind in "fiu":
                u, v = x[col].to_numpy(float), y[col].to_numpy(float)
                assert np.array_equal(np.isnan(u), np.isnan(v)), (name, col)
                ok = ~np.isnan(u)
                assert np.allclose(u[ok], v[ok], rtol=1e-9, atol=1e-9), (name, col)
            else:
                assert x[col].astype(str).tolist() == y[col].astype(str).tolist(), (name, col)


def _both(source: Any, spark: Any, **kw: Any) -> None:
    duck = run_pipeline(source, engine="duckdb", **kw)
    sprk = run_pipeline(source, engine="spark", spark=spark, **kw)
    assert duck.counts == sprk.counts
    assert_same_tables(duck.tables, sprk.tables)


def test_oec_sections(spark: Any) -> None:
    path = require_shared("oec-exports-sections", "global_exports.csv")
    _both(path, spark, columns={"region": "Country ID", "industry": "Section ID",
                                "time": None, "value": "Trade Value"})


def test_ecomplexity_sample(spark: Any) -> None:
    path = require_shared("ecomplexity-stata-ground-truth", "trade_data_sample.csv")
    _both(path, spark, columns={"region": "origin", "industry": "hs92", "time": "year",
                                "value": "export_val"})


def test_piemonte_employment(spark: Any, tmp_path: Path) -> None:
    """The wide Eurostat table melted to long (in tmp) and read as Parquet by both engines."""
    path = require_shared("eurostat-employment-piemonte-nuts3",
                          "Eurostats_NUTS3_Empers_piemonte_subset.csv")
    wide = pd.read_csv(path)
    long = wide.melt(id_vars=["Date", "GeoId"], var_name="sector", value_name="persons")
    long = long[long.sector.str.contains("NACE")]
    long["sector"] = long.sector.str.replace("Count_Person_Employed_NACE/", "")
    long["GeoId"] = long.GeoId.str.replace("dcid:nuts/", "")
    long = long[long.GeoId.str.len() == 5]  # the provinces
    file = tmp_path / "piemonte.parquet"
    long.astype({"Date": str}).to_parquet(file, index=False)
    _both(file, spark, columns={"region": "GeoId", "industry": "sector", "time": "Date",
                                "value": "persons"}, path="sparse")


def test_microdata_and_cooccurrence(spark: Any, tmp_path: Path) -> None:
    """Hand-made establishment microdata: the same panel, pipeline and co-occurrence."""
    rng = np.random.default_rng(7)
    n = 600
    df = pd.DataFrame({
        "firm": rng.integers(0, 150, n).astype(str),
        "nuts": rng.choice(["ITC11", "ITC12", "ITC13", "ITC4C", "ITH35"], n),
        "ateco": rng.choice(["C10", "C20", "C25", "C28", "C29", "J62", "M72"], n),
        "year": rng.choice(["2020", "2021"], n),
        "employees": rng.integers(1, 50, n).astype(float),
    })
    file = tmp_path / "units.parquet"
    df.to_parquet(file, index=False)
    spec = MicrodataSpec(unit="firm", region="nuts", industry="ateco", time="year",
                         weight="employees")
    _both(file, spark, micro=spec)
    frames = []
    for eng in (connect("duckdb"), connect("spark", spark=spark)):
        t = eng.read(file)
        frames.append(cooccurrence.relatedness(t, unit="firm", item="ateco", time="year")
                      .to_pyarrow().to_pandas())
        p = relational.collect(relational.microdata(t, unit="firm", region="nuts",
                                                    industry="ateco", time="year",
                                                    count="units"))
        frames.append(p.to_pandas())
        eng.close()
    pd.testing.assert_frame_equal(frames[0], frames[2], check_dtype=False)
    pd.testing.assert_frame_equal(frames[1], frames[3], check_dtype=False)


def test_one_million_microdata_rows(spark: Any, tmp_path: Path) -> None:
    """The issue's size: 1e6 synthetic establishment rows (400 regions, 150 industries,
    5 years), from Parquet to density on both engines: every output equal to 1e-9."""
    from innesto.engines.synthetic import write_microdata

    file = write_microdata(tmp_path / "micro.parquet", 1_000_000, n_regions=400,
                           n_industries=150, n_years=5, seed=3)
    spec = MicrodataSpec(unit="unit", region="region", industry="industry", time="year",
                         weight="weight")
    _both(file, spark, micro=spec)


def test_connect_reuses_a_running_session_and_close_leaves_it_running(spark: Any) -> None:
    """A session already running in the process (a notebook's, this test run's) is the one
    ``connect("spark")`` uses, whatever ``master`` says; closing the engine must not stop
    it (it stopped it before, killing the caller's session)."""
    eng = connect("spark", master="local[1]")
    assert eng.spark is spark
    eng.close()
    assert spark.range(3).count() == 3  # still running
