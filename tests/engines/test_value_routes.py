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


#: An SBS extract in the official format, written by hand: every kind of cell once or twice.
#: XX1/C29 a value; XX2/C29 blank (confidential, flag c); XX3/C29 a published zero;
#: XX4/C29 `` d`` (no value, flag d: missing); XX1/C30 ``50 d`` (value 50, flag d);
#: XX4/C30 ``12:00 AM`` (corrupt: null, no flag); ZZ9/C30 blank in a region with no value
#: at all (listed null, with no RCA, M or density); the rest plain values.
SBS_FIXTURE = ("nace_r2;geo;n2015\n"
               "C29;XX1;100\nC29;XX2; \nC29;XX3;0\nC29;XX4; d\nC29;XX5;40\n"
               "C30;XX1;50 d\nC30;XX2;7\nC30;XX3;3\nC30;XX4;12:00 AM\nC30;XX5;9\n"
               "C30;ZZ9; \n"
               "C10;XX1;20\nC10;XX2;30\nC10;XX3;60\nC10;XX4;25\nC10;XX5;1\n")


def _listing_matches_ingest(cells: pd.DataFrame, panel: pd.DataFrame) -> dict[str, int]:
    """Each cell of the ingested panel is in ``cells`` with the same value (null where the
    panel's is null, 0 where it is 0: an unlisted cell is a 0) and the same flag; returns
    the listing's counts of null values and of each flag."""
    assert not cells.duplicated(["region", "industry"]).any()
    m = panel.merge(cells, on=["region", "industry"], how="left", suffixes=("", "_c"),
                    indicator=True)
    listed, null = (m._merge == "both").to_numpy(), m.value.isna().to_numpy()
    assert listed[null].all() and m.value_c[null].isna().all()
    assert m.rca[null].isna().all() and m.m[null].isna().all()
    got = m.value_c.where(listed, 0.0).to_numpy()
    assert np.array_equal(got[~null], m.value.to_numpy()[~null])
    assert m.flag.fillna("").tolist() == m.flag_c.fillna("").tolist()
    flags = cells.flag.dropna()
    return {"null": int(cells.value.isna().sum()),
            **{f"flag:{ch}": int(flags.str.contains(ch).sum()) for ch in sorted(set("".join(flags)))}}


def _pipeline_cells(src: Path, out: Path, *extra: str) -> pd.DataFrame:
    args = ["pipeline", str(src), "-o", str(out), "--quiet", *extra]
    if src.suffix == ".csv":
        args += ["--region", "geo", "--industry", "nace_r2", "--time", "", "--value", "n2015"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return pd.read_parquet(out / "cells.parquet")


def test_cells_keep_blank_and_confidential_cells_null(tmp_path):
    """The issue's case on a hand-written SBS file: ``cells.parquet`` of ``innesto
    pipeline`` (from the CSV and from the ingested panel) lists the blank (confidential),
    the `` d`` and the corrupt cells as null with the panel's flag, never 0.0; the
    published zero stays 0; ``50 d`` keeps 50 and its flag. Every count is by hand from
    :data:`SBS_FIXTURE`."""
    src = tmp_path / "sbs.csv"
    src.write_text(SBS_FIXTURE)
    res = runner.invoke(app, ["ingest", str(src), "-o", str(tmp_path / "p.parquet"), "--quiet"])
    assert res.exit_code == 0, res.output
    panel = pd.read_parquet(tmp_path / "p.parquet")
    lib, _ = read(src)
    pd.testing.assert_frame_equal(lib.to_pandas(), panel)
    expected = {"null": 4, "flag:c": 2, "flag:d": 2}  # XX2/C29, ZZ9/C30; XX4/C29, XX1/C30
    for name, cells in [("csv", _pipeline_cells(src, tmp_path / "a")),
                        ("panel", _pipeline_cells(tmp_path / "p.parquet", tmp_path / "b"))]:
        assert _listing_matches_ingest(cells, panel) == expected, name
        by = cells.set_index(["region", "industry"])
        assert by.loc[("XX1", "C30"), "value"] == 50 and by.loc[("XX1", "C30"), "flag"] == "d"
        assert pd.isna(by.loc[("ZZ9", "C30"), "density"])  # no value at all in ZZ9
        assert not pd.isna(by.loc[("XX2", "C29"), "density"])
    res = runner.invoke(app, ["pipeline", str(src), "-o", str(tmp_path / "c"), "--region",
                              "geo", "--industry", "nace_r2", "--time", "", "--value",
                              "n2015"])
    assert "4 without a value" in " ".join(res.output.split())


def test_sbs_cells_parquet_keeps_nulls_and_flags(tmp_path):
    """The shared SBS table: ``cells.parquet`` lists each of its 8,648 cells without a
    value (8,499 blanks, 119 `` d``, 30 ``12:00 AM``) as null, with the flag the ingested
    panel has (c 8,499, d 386: counted with awk, see the test above), and every other cell
    with the panel's value; from the CSV and from the panel alike."""
    path = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    res = runner.invoke(app, ["ingest", str(path), "-o", str(tmp_path / "p.parquet"), "--quiet"])
    assert res.exit_code == 0, res.output
    panel = pd.read_parquet(tmp_path / "p.parquet")
    expected = {"null": 8648, "flag:c": 8499, "flag:d": 386}
    csv_cells = _pipeline_cells(path, tmp_path / "a")
    assert _listing_matches_ingest(csv_cells, panel) == expected
    from_panel = _pipeline_cells(tmp_path / "p.parquet", tmp_path / "b")
    assert set(from_panel.time) == {"2015"}  # the CSV route has no period column
    pd.testing.assert_frame_equal(from_panel.drop(columns="time"),
                                  csv_cells.drop(columns="time"))


@pytest.mark.spark
@pytest.mark.slow
def test_spark_cells_parquet_equals_duckdb(tmp_path, spark):
    """Identity: on Spark, ``cells.parquet`` of the SBS fixture and of the shared SBS table
    equals DuckDB's, nulls and flags included."""
    from innesto.engines.flow import write_pipeline

    fixture = tmp_path / "sbs.csv"
    fixture.write_text(SBS_FIXTURE)
    shared = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    cols = {"region": "geo", "industry": "nace_r2", "time": None, "value": "n2015"}
    for i, src in enumerate([fixture, shared]):
        out = {}
        for engine in ("duckdb", "spark"):
            write_pipeline(src, tmp_path / f"{engine}{i}", tables=("cells",), engine=engine,
                           spark=spark if engine == "spark" else None, columns=cols)
            out[engine] = pd.read_parquet(tmp_path / f"{engine}{i}" / "cells.parquet")
        pd.testing.assert_frame_equal(out["duckdb"], out["spark"], rtol=1e-9)
        assert out["spark"].value.isna().sum() == (4 if src is fixture else 8648)


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
