"""Row and cell budgets (``INNESTO_MAX_ROWS``, ``INNESTO_MAX_CELLS``, sources/limits.py) on
every text reader: a file over budget is refused with an error naming the setting, the file
and the first line over it, and the reader stops there instead of parsing the whole file
(its peak memory, traced, stays a small multiple of the file's bytes; parsing every row into
cells takes more than ten times them)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from innesto.errors import SourceError
from innesto.sources.registry import read

# format -> (file name, header, one data row from its number, reader options)
FORMATS: dict[str, tuple[str, str, Callable[[int], str], dict[str, str]]] = {
    "csv": ("t.csv", "region,industry,time,value", lambda i: f"R{i},C,2017,{i}", {}),
    "tsv": ("t.txt", "region\tindustry\ttime\tvalue", lambda i: f"R{i}\tC\t2017\t{i}", {}),
    "sdmx-csv": ("s.csv", "DATAFLOW,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE",
                 lambda i: f"ESTAT:X(1.0),A,C,R{i},2017,{i}", {}),
    "eurostat-tsv": ("e.tsv", "nace_r2,geo\\TIME_PERIOD\t2017 ", lambda i: f"C,R{i}\t{i} ", {}),
    "eurostat-sbs": ("b.csv", "nace_r2;geo;n2015", lambda i: f"C;R{i};{i}", {}),
    "wide": ("w.csv", "region;C;F", lambda i: f"R{i};1;2", {"region": "region"}),
    "istat": ("i.csv", "ITTER107,ATECO_2007,TIME,Value", lambda i: f"R{i},C,2017,1", {}),
    "trade": ("x.csv", "year,exporter,product,export_value", lambda i: f"2017,R{i},0101,1", {}),
    "abs-census": ("a.csv", "sa3,indp,count,year", lambda i: f"R{i},0100,1,2021", {}),
    "bea": ("g.csv", "fips,year,indust,gdp", lambda i: f"{i + 1},2001,3,1", {}),
}


def _write(tmp_path: Path, fmt: str, n: int) -> tuple[Path, dict[str, str]]:
    name, header, row, options = FORMATS[fmt]
    path = tmp_path / name
    path.write_text(header + "\n" + "".join(row(i) + "\n" for i in range(n)))
    return path, options


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_file_within_budget_is_read(tmp_path: Path, fmt: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_MAX_ROWS", "100")
    path, options = _write(tmp_path, fmt, 100)
    panel, _ = read(path, format=fmt, **options)
    assert panel.n_rows >= 100


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_too_many_rows_are_refused_at_the_first_row_over(
        tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_MAX_ROWS", "100")
    path, options = _write(tmp_path, fmt, 1000)
    with pytest.raises(SourceError, match="more than 100 rows") as err:
        read(path, format=fmt, **options)
    assert "INNESTO_MAX_ROWS" in str(err.value)
    # header on line 1, data row 101 on line 102: the reader stopped there
    assert (err.value.path, err.value.line) == (str(path), 102)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_too_many_cells_are_refused(tmp_path: Path, fmt: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_MAX_CELLS", "250")
    path, options = _write(tmp_path, fmt, 1000)
    with pytest.raises(SourceError, match="INNESTO_MAX_CELLS") as err:
        read(path, format=fmt, **options)
    assert err.value.line is not None and err.value.line < 200


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_file_over_budget_is_not_parsed_whole(tmp_path: Path, fmt: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNESTO_MAX_ROWS", "100")
    path, options = _write(tmp_path, fmt, 100_000)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="INNESTO_MAX_ROWS"):
            read(path, format=fmt, **options)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # the file's bytes and its text are in memory (bounded by INNESTO_MAX_FILE_BYTES); its
    # 100,000 rows as Python cells would take 19 to 33 times its size (measured)
    assert peak < 3 * size, (peak, size)


def test_a_geojson_over_budget_is_refused(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """GeoJSON (the NUTS boundaries): a feature is a row, each property a cell."""
    import json

    from innesto.sources.gisco import check_geojson

    path = tmp_path / "nuts.geojson"
    features = [{"type": "Feature", "properties": {"NUTS_ID": f"R{i}", "LEVL_CODE": 3},
                 "geometry": None} for i in range(1000)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    check_geojson(path, "test")
    monkeypatch.setenv("INNESTO_MAX_ROWS", "100")
    with pytest.raises(SourceError, match="more than 100 rows") as err:
        check_geojson(path, "test")
    assert err.value.path == str(path) and "INNESTO_MAX_ROWS" in str(err.value)
    monkeypatch.setenv("INNESTO_MAX_ROWS", "10000")
    monkeypatch.setenv("INNESTO_MAX_CELLS", "250")
    with pytest.raises(SourceError, match="INNESTO_MAX_CELLS"):
        check_geojson(path, "test")


def test_a_parquet_file_over_budget_is_refused_from_its_footer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet declares its rows and columns in its footer: a file over budget is refused
    before its data is read, naming the first row over."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"region": [f"R{i}" for i in range(1000)],
                             "industry": ["C"] * 1000, "value": [1.0] * 1000}), path)
    assert read(path, format="parquet")[0].n_rows == 1000
    monkeypatch.setenv("INNESTO_MAX_ROWS", "100")
    with pytest.raises(SourceError, match="more than 100 rows") as err:
        read(path, format="parquet")
    assert (err.value.path, err.value.line) == (str(path), 101)
    monkeypatch.setenv("INNESTO_MAX_ROWS", "10000")
    monkeypatch.setenv("INNESTO_MAX_CELLS", "250")
    with pytest.raises(SourceError, match="INNESTO_MAX_CELLS") as err:
        read(path, format="parquet")
    assert err.value.line == 84  # 83 rows of 3 cells fit in 250
