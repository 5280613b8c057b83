"""Generic CSV/TSV/semicolon, Parquet and Excel reader with a column mapping."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innesto.errors import SourceError
from innesto.panel import Panel
from innesto.sources.generic import read_csv, read_excel, read_parquet
from innesto.sources.registry import detect_format, read
from tests.sources.fuzzing import check_mutated, mutated


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _vals(panel: Panel) -> list[float | None]:
    return [None if v is None or math.isnan(v) else v
            for v in panel.to_pandas()["value"].tolist()]


def test_codes_stay_strings_and_cells_are_counted(tmp_path):
    p = _write(tmp_path, "t.csv", "country,hs,year,value\n"
               "ita,0101,2017,10\nita,0102,2017.0,\nfra,0101,2017,12:00 AM\nfra,0102,2017,NA\n")
    panel, report = read_csv(p, region="country", industry="hs", time="year", value="value")
    assert panel.industries == ["0101", "0102"]
    assert panel.times == ["2017"]
    assert _vals(panel) == [10.0, None, None, None]
    assert report.counts == {"corrupt": 1, "missing": 2}
    assert report.examples["corrupt"][0] == {"line": 4, "column": "value", "raw": "12:00 AM"}
    assert report.rows_read == report.rows_kept == 4


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, sep):
    text = sep.join(["geo", "nace_r2", "time", "value"]) + "\n" + \
        sep.join(["ITC11", "C29", "2017", "25000"]) + "\n"
    panel, _ = read_csv(_write(tmp_path, "t.txt", text))
    assert (panel.regions, panel.industries, _vals(panel)) == (["ITC11"], ["C29"], [25000.0])


def test_latin1_italian_with_decimal_comma(tmp_path):
    text = "provincia;ateco;anno;addetti\nForlì-Cesena;29.10;2017;1.234,5\nCittà;10.11;2017;7\n"
    p = _write(tmp_path, "it.csv", text, encoding="latin-1")
    panel, report = read_csv(p, region="provincia", industry="ateco", time="anno",
                             value="addetti", decimal=",")
    assert panel.regions == ["Città", "Forlì-Cesena"]
    assert sorted(_vals(panel)) == [7.0, 1234.5]
    assert report.notes and "utf-8" not in report.notes[0]


def test_optional_time_flag_and_unit(tmp_path):
    p = _write(tmp_path, "t.csv", "r,i,v,f,u\nA,X,1,p,persons\nB,X,2,,persons\n")
    panel, report = read_csv(p, region="r", industry="i", value="v", flag="f", unit="u")
    assert panel.times == [""]
    assert report.counts == {"flag:p": 1}
    assert panel.to_pandas()["unit"].tolist() == ["persons", "persons"]


def test_negative_where_impossible(tmp_path):
    p = _write(tmp_path, "t.csv", "region,industry,value\nA,X,-4\nB,X,4\n")
    panel, report = read_csv(p, nonnegative=True)
    assert _vals(panel) == [None, 4.0]
    assert report.counts == {"negative": 1}


def test_mistyped_column_names_the_columns_and_the_closest(tmp_path):
    p = _write(tmp_path, "t.csv", "provincia,ateco,addetti\nTO,29,1\n")
    with pytest.raises(SourceError) as exc:
        read_csv(p, region="provinca", industry="ateco", value="addetti")
    msg = str(exc.value)
    assert "did you mean 'provincia'" in msg and "'ateco'" in msg and "'addetti'" in msg
    assert exc.value.line == 1 and exc.value.column == "provinca"


def test_missing_column_without_mapping(tmp_path):
    p = _write(tmp_path, "t.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(SourceError, match="the columns are 'a', 'b', 'c'"):
        read_csv(p)


def test_ragged_row_names_the_line(tmp_path):
    p = _write(tmp_path, "t.csv", "region,industry,value\nA,X,1\nB,X,2,9\n")
    with pytest.raises(SourceError) as exc:
        read_csv(p)
    assert exc.value.line == 3


def test_blank_codes_are_dropped_and_counted(tmp_path):
    p = _write(tmp_path, "t.csv", "region,industry,value\n,X,1\nB,X,2\n")
    panel, report = read_csv(p)
    assert panel.n_rows == 1 and report.counts == {"dropped:blank-code": 1}
    assert report.rows_dropped == 1


def test_unknown_option_and_empty_file(tmp_path):
    p = _write(tmp_path, "t.csv", "region,industry,value\nA,X,1\n")
    with pytest.raises(SourceError, match="no option 'sheet'"):
        read_csv(p, sheet=1)
    with pytest.raises(SourceError, match="empty"):
        read_csv(_write(tmp_path, "e.csv", "\n\n"))


def test_parquet_roundtrip_and_numeric_codes(tmp_path):
    written = Panel.from_records([("ITC11", "0101", 2017, 1.5), ("ITC12", "0102", 2017, None)])
    path = written.write_parquet(tmp_path / "p.parquet")
    assert detect_format(path) == "parquet"
    panel, report = read(path)
    assert panel.industries == ["0101", "0102"] and report.counts == {"missing": 1}
    pq.write_table(pa.table({"geo": ["A", "B"], "year": [2017.0, 2018.0],
                             "sector": [10, 20], "value": [1.0, float("nan")]}),
                   tmp_path / "q.parquet")
    panel, report = read_parquet(tmp_path / "q.parquet", industry="sector")
    assert panel.times == ["2017", "2018"] and panel.industries == ["10", "20"]
    assert report.counts == {"missing": 1}
    with pytest.raises(SourceError):
        read_parquet(_write(tmp_path, "bad.parquet", "not parquet"))
    pq.write_table(pa.table({"region": [[1, 2]], "industry": ["a"], "value": [1.0]}),
                   tmp_path / "n.parquet")
    with pytest.raises(SourceError, match="column 'region'"):
        read_parquet(tmp_path / "n.parquet")


def test_excel(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Istat", None, None, None])  # a title row above the header is not allowed
    wb2 = Workbook()
    ws2 = wb2.active
    ws2.append(["provincia", "ateco", "anno", "addetti"])
    ws2.append(["Torino", "0101", 2017, 12])
    ws2.append(["Torino", "29.10", 2017, dt.datetime(2017, 1, 1)])
    ws2.append(["Cuneo", "29.10", 2017.0, None])
    path = tmp_path / "t.xlsx"
    wb2.save(path)
    assert detect_format(path) == "excel"
    panel, report = read_excel(path, region="provincia", industry="ateco", value="addetti")
    assert panel.industries == ["0101", "29.10"] and panel.times == ["2017"]
    assert _vals(panel) == [12.0, None, None]
    assert report.counts == {"corrupt": 1, "missing": 1}
    assert report.examples["corrupt"][0]["line"] == 3
    with pytest.raises(SourceError, match="sheets"):
        read_excel(path, sheet="Foglio9")
    with pytest.raises(SourceError):
        read_excel(_write(tmp_path, "bad.xlsx", "PK not a zip"))


def test_registry_falls_back_to_csv(tmp_path):
    p = _write(tmp_path, "mine.csv", "region,industry,time,value\nA,X,2017,1\n")
    assert detect_format(p) == "csv"
    panel, _ = read(p, region="region", industry="industry", value="value", time="time")
    assert panel.n_rows == 1


_CELL = st.one_of(st.text(alphabet=list('ab01.,;:-"\t \n\r\x00àé'), max_size=6),
                  st.sampled_from(["NA", "12:00 AM", "", "0101", "-3", "1e5"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=0, max_size=8),
       st.sampled_from([",", ";", "\t"]), st.booleans())
def test_fuzz_text(tmp_path, rows, sep, latin):
    """Generated files: a panel whose rows match the report, or innesto's own error naming
    the file (the fuzz toolkit's check)."""
    text = "region" + sep + "industry" + sep + "value\n" + "\n".join(sep.join(r) for r in rows)
    check_mutated(read_csv, tmp_path / "f.csv",
                  text.encode("latin-1" if latin else "utf-8", errors="replace"))


def _binary_bases() -> list[bytes]:
    """A small valid Parquet file and a small valid workbook, to mutate byte by byte."""
    import io

    from openpyxl import Workbook

    buf = io.BytesIO()
    pq.write_table(pa.table({"region": ["A", "B"], "industry": ["0101", "0102"],
                             "value": [1.0, None]}), buf)
    wb = Workbook()
    for row in (["region", "industry", "value"], ["A", "0101", 1], ["B", "0102", "x"]):
        wb.active.append(row)
    book = io.BytesIO()
    wb.save(book)
    return [buf.getvalue(), book.getvalue(), b"region,industry,value\nA,0101,1\n"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | mutated(_binary_bases()))
def test_fuzz_bytes(tmp_path, data):
    """Random and mutated bytes as CSV, Parquet and Excel: a panel or a SourceError naming
    the file, never another exception (the fuzz toolkit's check)."""
    for name, func in (("f.csv", read_csv), ("f.parquet", read_parquet), ("f.xlsx", read_excel)):
        check_mutated(func, tmp_path / name, data)


def test_tsv_format_name(tmp_path):
    p = _write(tmp_path, "t.data", "region\tindustry\tvalue\nA\t0101\t1,5\n")
    panel, report = read(p, format="tsv", decimal=",")
    assert (panel.industries, _vals(panel), report.format) == (["0101"], [1.5], "tsv")


def test_options_given_as_text_like_the_cli(tmp_path):
    p = _write(tmp_path, "t.csv", "title line\nregion,industry,value\nA,X,-4\n")
    panel, report = read(p, format="csv", nonnegative="true", skip="1")
    assert _vals(panel) == [None] and report.counts == {"negative": 1}
    with pytest.raises(SourceError, match="whole number"):
        read(p, format="csv", skip="one")


@pytest.mark.parametrize("text", [
    "region,industry,value\nA,0101,1\nB,0102,\n",
    "region,industry,value\r\nA,0101,1\r\nB,\"01,02\",x\r\n",
    "region;industry;value\nA;0101;1\n\nB;0102;2\n",            # blank line: exact parser
    "region,industry,value\nA,0101,1\nB,0102,2,9\n",             # ragged: error with line 3
    'region,industry,value\nA,"multi\nline",1\n',                 # quoted newline
])
def test_fast_path_agrees_with_exact_parser(tmp_path, monkeypatch, text):
    """Large UTF-8 files go through Arrow's CSV parser; on every file it either gives the same
    cells and line numbers as the exact parser or steps aside for it."""
    from innesto.sources import _tabular

    p = _write(tmp_path, "t.csv", text)

    def run():
        try:
            panel, report = read_csv(p)
            return panel.to_pandas().fillna(-1.0).to_dict("list"), report.to_dict()
        except SourceError as exc:
            return str(exc)

    exact = run()
    monkeypatch.setattr(_tabular, "FAST_PATH_CHARS", 0)
    assert run() == exact
