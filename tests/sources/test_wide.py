"""Wide tables: the Data Commons employment tables in ../shared/data and generic options."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings

from innesto.errors import SourceError
from innesto.sources.registry import detect_format
from innesto.sources.wide import read_wide
from tests.conftest import require_shared
from tests.sources.fuzzing import FUZZ, check_reader, mutated

CODES = ["A", "B-E", "C", "F", "G-I", "G-J", "J", "K", "K-N", "L", "M_N", "O-Q", "O-U", "R-U",
         "TOTAL"]
PIEMONTE = ("eurostat-employment-piemonte-nuts3", "Eurostats_NUTS3_Empers_piemonte_subset.csv")
HEADER = ("Date,GeoId," + ",".join(
    f"Count_Person_Employed_NACE/{c.replace('_', '-')}" for c in CODES[:-1])
    + ",Count_Person_Employed")
DC_SMALL = (HEADER + "\n2017,dcid:nuts/ITC11," + ",".join(str(i * 100.0) for i in range(15))
            + "\n2018,dcid:nuts/ITC1," + "," * 14 + "4000.0\n")


def test_piemonte_table() -> None:
    path = require_shared(*PIEMONTE)
    assert detect_format(path) == "wide"
    panel, report = read_wide(path)
    assert report.rows_read == report.rows_kept == 216
    assert panel.n_rows == 216 * 15 and panel.industries == sorted(CODES)
    assert panel.regions == ["IT", "ITC", "ITC1"] + [f"ITC1{i}" for i in range(1, 9)]
    # 2018 rows of IT, ITC and ITC1 have the total only: 3 rows x 14 empty sectors
    assert report.counts == {"missing": 42} and panel.n_missing == 42
    assert panel.meta.region_classification == "NUTS2016"
    assert panel.meta.attribution == "Source: Eurostat, nama_10r_3empers"
    # ITC11 (Torino) 2017, read independently with the csv module
    with open(path, newline="") as fh:
        row = next(r for r in csv.DictReader(fh)
                   if r["Date"] == "2017" and r["GeoId"] == "dcid:nuts/ITC11")
    got = dict(panel.filter(region="ITC11", time="2017").to_pandas()[["industry", "value"]]
               .itertuples(index=False, name=None))
    assert got["TOTAL"] == float(row["Count_Person_Employed"]) == 1_003_100.0
    assert got["J"] == float(row["Count_Person_Employed_NACE/J"]) == 48_000.0
    assert got["K"] == 34_600.0 and got["M_N"] == 145_100.0 and got["C"] == 184_500.0


def test_small_datacommons_file(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(DC_SMALL)
    panel, report = read_wide(path)
    assert report.counts == {"missing": 14}
    assert panel.filter(region="ITC1", industry="TOTAL").to_pandas()["value"].tolist() == [4000.0]
    assert panel.filter(region="ITC11", industry="M_N").to_pandas()["value"].tolist() == [1000.0]


def test_generic_options(tmp_path: Path) -> None:
    path = tmp_path / "prov.csv"
    path.write_text("anno;codice;nome;Ind_C;Ind_J;Ind_K\n2017;IT-TO;Torino;1 p;2;:\n"
                    "2017;IT-CN;Cuneo;3;x;\n")
    panel, report = read_wide(path, region="codice", time="anno", ignore_columns="nome",
                              industry_pattern=r"Ind_(\w+)", region_pattern=r"IT-(\w+)")
    assert panel.regions == ["CN", "TO"] and panel.industries == ["C", "J", "K"]
    assert report.counts == {"corrupt": 1, "flag:p": 1, "missing": 2}
    assert report.examples["corrupt"] == [{"line": 3, "column": "Ind_J", "raw": "x"}]
    only = read_wide(path, region="codice", time="anno", industry_columns=["Ind_C"])[0]
    assert only.industries == ["Ind_C"]
    with pytest.raises(SourceError, match="no region column 'region'"):
        read_wide(path, region="region")
    with pytest.raises(SourceError, match="takes its sectors from the column names"):
        read_wide(path, region="codice", industry="Ind_C")
    with pytest.raises(SourceError, match="does not match") as err:
        read_wide(path, region="codice", region_pattern=r"FR-(\w+)")
    assert (err.value.line, err.value.column) == (2, "codice")
    with pytest.raises(SourceError, match="name the region column"):
        read_wide(path)


@settings(FUZZ, max_examples=1000)
@given(mutated([DC_SMALL.encode()]))
def test_fuzz_mutated_files(content: bytes) -> None:
    check_reader(read_wide, content, "fuzz.csv")
    check_reader(read_wide, content, "fuzz.csv", region="GeoId", time="Date",
                 industry_pattern=r"Count_Person_Employed_NACE/(.+)")
