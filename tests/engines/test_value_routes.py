"""One reading of values on every route: library readers, ``innesto ingest`` and the
relational stage of ``innesto pipeline`` (DuckDB; Spark in the tests marked ``spark``).

Each shared dataset that is a region x industry table is read through the routes and must
give the same values cell by cell and the same counts of missing, confidential and corrupt
cells and of each flag letter. The routes share the grammar of
:mod:`innesto.sources.values` and nothing else: the library parses with Arrow (or per cell
in Python), the engine with SQL regular expressions.

Shared files that are not region x industry tables (classifications, boundaries, the Stata
output, GDP per capita, the product-space edge list) have no value column to compare.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from innesto.cli.app import _register, app
from innesto.engines import relational
from innesto.engines.base import connect
from innesto.engines.flow import _syntax
from innesto.errors import SourceError
from innesto.sources import values as V
from innesto.sources.registry import read
from tests.conftest import require_shared

_register()
runner = CliRunner()

#: (file under shared/data, region, industry, time, value): every long table there.
LONG = [
    ("eurostat-sbs-nuts2-2015/sbs_r_nuts06_r2.csv", "geo", "nace_r2", None, "n2015"),
    ("ecomplexity-stata-ground-truth/trade_data_sample.csv", "origin", "hs92", "year",
     "export_val"),
    ("oec-exports-sections/global_exports.csv", "Country ID", "Section ID", None,
     "Trade Value"),
    ("oec-exports-sections/fixture_exports.csv", "Exporter Country ID", "Section ID", None,
     "Trade Value"),
    ("oec-exports-sections/subnat_exports.csv", "Subnat Geography ID", "Section ID", None,
     "Trade Value"),
    ("us-metro-gdp-2001-2008/gdp-summary.csv", "fips", "indust", "year", "gdp"),
    ("world-trade/ec_trade_1962.csv", "country", "product", None, "value"),
    ("world-trade/world_trade_avg_1998_to_2000.csv", "country", "product", None, "value"),
    ("world-trade/world_trade_1980.csv", "reporter_iso", "product_code", None,
     "export_value_usd"),
    ("world-trade/world_trade_2017.csv", "reporter_iso", "product_code", None,
     "export_value_usd"),
    ("australia-census-2021-industry/sa4_indp4.csv", "sa4", "indp", "year", "count"),
    ("australia-census-2021-industry/sa3_indp4.csv", "sa3", "indp", "year", "count"),
    ("australia-census-2021-industry/lga_indp3.csv", "lga", "indp", "year", "count"),
]
#: Wide tables (one column per sector): read by their reader, then by the engine.
WIDE = ["eurostat-employment-piemonte-nuts3/Eurostats_NUTS3_Empers_piemonte_subset.csv",
        "eurostat-employment-italy/Eurostats_NUTS3_Empers_italy_subset.csv"]
COUNTED = ("missing", "corrupt", "confidential")


def _report_counts(counts: dict[str, int]) -> dict[str, int]:
    """The value-reading part of a report: statuses and flag letters (not drops)."""
    keep = {k: v for k, v in counts.items() if k in COUNTED or k.startswith("flag:")}
    return {k: v for k, v in keep.items() if v}


def _engine_counts(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if k not in ("rows", "no_key") and v}


def _cells(df: pd.DataFrame) -> pd.Series:
    """value by (region, industry, time), duplicates summed (null if all null)."""
    return df.groupby(["region", "industry", "time"])["value"].sum(min_count=1).sort_index()


def _same(a: pd.Series, b: pd.Series) -> None:
    assert a.index.equals(b.index)
    u, v = a.to_numpy(float), b.to_numpy(float)
    assert np.array_equal(np.isnan(u), np.isnan(v))
    assert np.array_equal(u[~np.isnan(u)], v[~np.isnan(v)])  # exactly: one parser


def _engine(path: Path, region: str, industry: str, time: str | None, value: str,
            engine: str = "duckdb", spark: Any = None) -> tuple[pd.Series, dict[str, int]]:
    eng = connect(engine, spark=spark)
    try:
        t, counts = relational.clean(eng.read(path), region=region, industry=industry,
                                     time=time, value=value, source=path,
                                     syntax=_syntax(path))
        df = relational.collect(t).to_pandas()
    finally:
        eng.close()
    return _cells(df), _engine_counts(counts)


BIG = ("world_trade_2017", "sa3_indp4", "lga_indp3", "world_trade_1980")


@pytest.mark.parametrize(("rel", "region", "industry", "time", "value"), [
    pytest.param(*r, id=r[0].split("/")[-1],
                 marks=[pytest.mark.slow] if any(b in r[0] for b in BIG) else [])
    for r in LONG])
def test_long_tables_same_values_and_counts(rel, region, industry, time, value):
    """Identity: the library's reader of the format and the DuckDB stage give the same
    cells and the same counts of missing, confidential, corrupt and flagged values."""
    path = require_shared(*rel.split("/"))
    panel, report = read(path, format="auto" if "sbs" in rel else "csv", region=region,
                         industry=industry, time=time, value=value)
    lib = _cells(panel.to_pandas())
    eng, counts = _engine(path, region, industry, time, value)
    if time is None:  # the SBS reader takes the period (2015) from the column name
        lib, eng = lib.droplevel("time"), eng.droplevel("time")
    _same(lib, eng)
    assert counts == _report_counts(report.counts)


def test_sbs_flagged_values_survive_ingest_and_pipeline(tmp_path):
    """The issue's case: the 386 values flagged ``d`` in the SBS table (e.g. Norway's B05,
    219 persons, line 797 of the file) keep their value on every route; blanks are
    confidential (8,499), `` d`` without a value is missing (119), ``12:00 AM`` corrupt (30).
    The counts were read off the file with awk, independently of the parser."""
    path = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    expected = {"confidential": 8499, "missing": 119, "corrupt": 30, "flag:d": 386}
    res = runner.invoke(app, ["ingest", str(path), "-o", str(tmp_path / "p.parquet"),
                              "--report-json", str(tmp_path / "r.json"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert _report_counts(json.loads((tmp_path / "r.json").read_text())["counts"]) == expected
    out = tmp_path / "out"
    res = runner.invoke(app, ["pipeline", str(path), "-o", str(out), "--region", "geo",
                              "--industry", "nace_r2", "--time", "", "--value", "n2015",
                              "--quiet"])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    for k, v in expected.items():
        assert f"{k} {v}" in flat
    cells = pd.read_parquet(out / "cells.parquet")
    norway = cells[(cells.region == "NO") & (cells.industry == "B05")]
    assert norway.value.tolist() == [219.0]


@pytest.mark.parametrize("rel", WIDE, ids=["piemonte", "italy"])
def test_wide_tables_through_ingest_and_the_engine(rel, tmp_path):
    """Identity: a wide table read by ``innesto ingest`` and the same panel read again by
    the engine (the route ``innesto pipeline`` takes for a format it cannot scan) agree."""
    path = require_shared(*rel.split("/"))
    res = runner.invoke(app, ["ingest", str(path), "-o", str(tmp_path / "p.parquet"),
                              "--report-json", str(tmp_path / "r.json"), "--quiet"])
    assert res.exit_code == 0, res.output
    panel, report = read(path)
    lib = _cells(panel.to_pandas())
    eng, counts = _engine(tmp_path / "p.parquet", "region", "industry", "time", "value")
    _same(lib, eng)
    assert counts.get("missing", 0) == report.counts.get("missing", 0)


settings_engine = settings(max_examples=60, deadline=None)
cell_text = st.text(alphabet=list("0123456789.,+-eE :cdpzA/ \t"), max_size=10)


@settings_engine
@given(raw=st.lists(cell_text, min_size=1, max_size=25),
       syntax=st.sampled_from([V.EUROSTAT_SBS, V.SDMX, V.TABULAR.with_decimal("."),
                               V.TABULAR.with_decimal(",")]))
def test_engine_reads_every_cell_as_the_library(raw, syntax):
    """Property: DuckDB's reading of any cell (value, status, counted flags) is the
    library's."""
    from innesto.engines.values import parse

    eng = connect()
    try:
        t = eng.table(pd.DataFrame({"i": range(len(raw)), "v": raw}))
        p = parse(t, t.v, syntax=syntax)
        out = t.select("i", value=p.value, **p.parts).order_by("i").to_pyarrow().to_pylist()
    finally:
        eng.close()
    lib = V.parse_column(raw, syntax)
    assert [r["value"] for r in out] == lib.values.to_pylist()
    assert [r["_status"] for r in out] == lib.status


def test_italian_csv_through_pipeline(tmp_path):
    """``40.100`` is forty thousand one hundred in a column that also holds ``1.234,5``."""
    src = tmp_path / "it.csv"
    src.write_text("prov,ateco,anno,addetti\nTO,C,2020,40.100\nTO,G,2020,\"1.234,5\"\n"
                   "CN,C,2020,7\nCN,G,2020,\"0,5\"\n")
    cells, counts = _engine(src, "prov", "ateco", "anno", "addetti")
    assert cells.tolist() == [7.0, 0.5, 40100.0, 1234.5]
    panel, _ = read(src, format="csv", region="prov", industry="ateco", time="anno",
                    value="addetti")
    _same(_cells(panel.to_pandas()), cells)


def test_ambiguous_csv_refused_on_every_route(tmp_path):
    """A column whose only numbers are ``40.100``-like is refused with file, line, column
    and the option to set, by ``innesto ingest`` and ``innesto pipeline`` alike."""
    src = tmp_path / "amb.csv"
    src.write_text("prov,ateco,anno,addetti\nTO,C,2020,7\nTO,G,2020,40.100\n")
    with pytest.raises(SourceError) as err:
        _engine(src, "prov", "ateco", "anno", "addetti")
    assert (err.value.line, err.value.column) == (3, "addetti")
    for cmd in (["ingest", str(src), "-o", str(tmp_path / "p.parquet"), "--region", "prov",
                 "--industry", "ateco", "--time", "anno", "--value", "addetti"],
                ["pipeline", str(src), "-o", str(tmp_path / "o"), "--region", "prov",
                 "--industry", "ateco", "--time", "anno", "--value", "addetti"]):
        res = runner.invoke(app, [*cmd, "--quiet"])
        assert res.exit_code != 0
        line = " ".join(res.output.split())
        assert line.startswith("error:") and "line 3" in line and "'addetti'" in line
        assert "--decimal ," in line and "Traceback" not in res.output
        fixed = runner.invoke(app, [*cmd, "--quiet", "--decimal", ","])
        assert fixed.exit_code == 0, fixed.output


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize(("rel", "region", "industry", "time", "value"),
                         [pytest.param(*r, id=r[0].split("/")[-1]) for r in LONG
                          if not any(b in r[0] for b in BIG)])
def test_spark_reads_as_duckdb(rel, region, industry, time, value, spark):
    """Identity: Spark's relational stage gives DuckDB's cells and counts."""
    path = require_shared(*rel.split("/"))
    duck = _engine(path, region, industry, time, value)
    sprk = _engine(path, region, industry, time, value, engine="spark", spark=spark)
    _same(duck[0], sprk[0])
    assert duck[1] == sprk[1]
