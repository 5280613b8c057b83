"""SDMX-CSV 1.0 and 2.0 reader on files in Eurostat's layout, written by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import SourceError
from innesto.sources.registry import detect_format
from innesto.sources.sdmx_csv import read_sdmx_csv
from tests.sources.fuzzing import FUZZ, check_reader, check_round_trip, mutated

# SDMX 2.1 API, format=SDMX-CSV (SDMX-CSV 1.0)
V1 = """DATAFLOW,LAST UPDATE,freq,unit,wstatus,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
ESTAT:NAMA_10R_3EMPERS(1.0),25/01/24 23:00:00,A,THS,EMP,J,ITC11,2016,46.1,
ESTAT:NAMA_10R_3EMPERS(1.0),25/01/24 23:00:00,A,THS,EMP,J,ITC11,2017,48.0,p
ESTAT:NAMA_10R_3EMPERS(1.0),25/01/24 23:00:00,A,THS,EMP,K,ITC11,2017,,c
ESTAT:NAMA_10R_3EMPERS(1.0),25/01/24 23:00:00,A,THS,EMP,K,ITC11,2018,,
"""

# SDMX 3.0 API, format=csvdata&formatVersion=2.0 (SDMX-CSV 2.0)
V2 = """STRUCTURE,STRUCTURE_ID,freq,unit,wstatus,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,J,ITC11,2016,46.1,,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,J,ITC11,2017,48.0,p,
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,K,ITC11,2017,,,C
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,THS,EMP,K,ITC11,2018,,,
"""

# SDMX-CSV 2.0 with the optional ACTION column and labels=both
V2_LABELS = """STRUCTURE,STRUCTURE_ID,ACTION,freq:Time frequency,unit:Unit of measure,nace_r2:NACE,geo:Geopolitical entity,TIME_PERIOD:Time,OBS_VALUE:Observation value,OBS_FLAG:Flag
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),I,A:Annual,THS:Thousand persons,J:Information and communication,"ITC11:Torino",2017,48.0,p
dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),D,A:Annual,THS:Thousand persons,K:Financial,ITC11:Torino,2017,34.6,
"""


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "version"), [(V1, "1.0"), (V2, "2.0")])
def test_both_versions_give_the_same_panel(tmp_path: Path, text: str, version: str) -> None:
    path = write(tmp_path, text)
    assert detect_format(path) == "sdmx-csv"
    panel, report = read_sdmx_csv(path)
    assert report.format == f"sdmx-csv {version}"
    assert report.counts == {"confidential": 1, "missing": 1, "flag:p": 1}
    assert report.examples["confidential"][0]["line"] == 4
    df = panel.to_pandas().set_index(["region", "industry", "time"])
    assert df.loc[("ITC11", "J", "2017"), "value"] == 48.0
    assert df.loc[("ITC11", "K", "2017"), "flag"] == "c"
    assert set(df["unit"]) == {"THS"}
    assert panel.meta.attribution == "Source: Eurostat, nama_10r_3empers"


def test_labels_and_delete_action(tmp_path: Path) -> None:
    panel, report = read_sdmx_csv(write(tmp_path, V2_LABELS))
    assert panel.to_pandas()[["region", "industry", "time", "value"]].values.tolist() == [
        ["ITC11", "J", "2017", 48.0]
    ]
    assert report.counts == {"dropped:action D (deletion)": 1, "flag:p": 1}


def test_several_units_and_filters(tmp_path: Path) -> None:
    text = V2 + "dataflow,ESTAT:NAMA_10R_3EMPERS(1.0),A,PC,EMP,J,ITC11,2016,4.6,,\n"
    with pytest.raises(SourceError, match=r"'unit' has several values \(PC, THS\)"):
        read_sdmx_csv(write(tmp_path, text))
    panel, _ = read_sdmx_csv(write(tmp_path, text), unit="PC")
    assert panel.n_rows == 1


def test_corrupt_value_and_structure_errors(tmp_path: Path) -> None:
    text = V1.replace(",46.1,", ",12:00 AM,")
    _, report = read_sdmx_csv(write(tmp_path, text))
    assert report.examples["corrupt"] == [{"line": 2, "column": "OBS_VALUE", "raw": "12:00 AM"}]
    with pytest.raises(SourceError) as err:
        read_sdmx_csv(write(tmp_path, V1 + "ESTAT:X,1,A\n"))
    assert err.value.line == 6
    with pytest.raises(SourceError, match="not an SDMX-CSV header"):
        read_sdmx_csv(write(tmp_path, "DATAFLOW,geo,value\nx,IT,1\n"))
    with pytest.raises(SourceError, match="SDMX-CSV's value column is OBS_VALUE"):
        read_sdmx_csv(write(tmp_path, V1), value="n2015")


# (OBS_VALUE, OBS_FLAG, CONF_STATUS) -> (value, reason)
OBS = st.sampled_from([
    (("41.2", "", "F"), (41.2, None)), (("1.5E3", "p", ""), (1500.0, None)),
    (("", "", ""), (None, "missing")), (("", "c", ""), (None, "confidential")),
    (("", "", "C"), (None, "confidential")), (("NaN", "", "F"), (None, "missing")),
    (("12:00 AM", "", ""), (None, "corrupt")), (("-0", "e", "F"), (0.0, None)),
])


@st.composite
def sdmx_files(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str, tuple]]]:  # type: ignore[type-arg]
    keys = draw(st.lists(st.tuples(st.sampled_from(["IT", "ITC11", "DE40", "FRA1"]),
                                   st.sampled_from(["C", "J", "TOTAL"]),
                                   st.sampled_from(["2015", "2016", "2017-Q1"])),
                         min_size=1, max_size=12, unique=True))
    v2 = draw(st.booleans())
    head = ("STRUCTURE,STRUCTURE_ID,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS"
            if v2 else "DATAFLOW,LAST UPDATE,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG")
    lines, obs = [head], []
    for region, industry, time in keys:
        (value, flag, conf), expected = draw(OBS)
        if not v2 and conf == "C":
            flag = "c"
        lead = "dataflow,ESTAT:X(1.0)" if v2 else "ESTAT:X(1.0),01/01/24 23:00:00"
        tail = f",{conf}" if v2 else ""
        lines.append(f"{lead},A,{industry},{region},{time},{value},{flag}{tail}")
        obs.append((region, industry, time, expected))
    return "\n".join(lines) + "\n", obs


@settings(FUZZ, max_examples=200)
@given(sdmx_files())
def test_generated_files_round_trip(generated: tuple[str, list]) -> None:  # type: ignore[type-arg]
    text, obs = generated
    check_round_trip(read_sdmx_csv, text, "gen.csv",
                     [(r, i, t, value, reason) for r, i, t, (value, reason) in obs])


@settings(FUZZ, max_examples=1200)
@given(mutated([V1.encode(), V2.encode(), V2_LABELS.encode()]))
def test_fuzz_mutated_files(content: bytes) -> None:
    check_reader(read_sdmx_csv, content, "fuzz.csv")
    check_reader(read_sdmx_csv, content, "fuzz.csv", geo="ITC11", unit="THS")
