"""Istat territory x ATECO tables, in the I.Stat CSV export and the esploradati SDMX-CSV
layouts (no real file is shipped: the files below follow the official column layouts)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from innesto.classifications import aggregate
from innesto.errors import SourceError
from innesto.sources.istat import read_istat
from innesto.sources.registry import detect_format
from tests.sources.fuzzing import MUTATION_SETTINGS, check_mutated, mutated_lines

ISTAT_CLASSIC = '''"ITTER107","Territorio","TIPO_DATO_ASIA","Tipo dato","ATECO_2007","Ateco 2007","TIME","Seleziona periodo","Value","Flag Codes","Flags"
"ITC11","Torino","EMP","numero addetti","0010","TOTALE","2017","2017","791234.5","",""
"ITC11","Torino","EMP","numero addetti","291","fabbricazione di autoveicoli","2017","2017","25012.4","p","provvisorio"
"ITC11","Torino","EMP","numero addetti","293","fabbricazione di parti ed accessori per autoveicoli","2017","2017","20000","",""
"ITC11","Torino","EMP","numero addetti","303","fabbricazione di aeromobili","2017","2017","6000","",""
"ITC12","Vercelli","EMP","numero addetti","291","fabbricazione di autoveicoli","2017","2017","","",""
'''

ESPLORADATI = """DATAFLOW,FREQ,REF_AREA,DATA_TYPE,ECON_ACTIVITY_NACE_2007,PERS_EMPL_SIZE_CLASS,TIME_PERIOD,OBS_VALUE,OBS_STATUS
IT1:183_277(1.0),A,ITC11: Torino,EMP: numero addetti,0010,TOTAL,2021,801234,
IT1:183_277(1.0),A,ITC11: Torino,EMP: numero addetti,C,TOTAL,2021,170000,
IT1:183_277(1.0),A,ITC11: Torino,EMP: numero addetti,29,TOTAL,2021,24000,p
IT1:183_277(1.0),A,ITC11: Torino,LU: unità locali,29,TOTAL,2021,300,
"""


def test_istat_classic_export(tmp_path):
    p = tmp_path / "DCSP_ASIAUL.csv"
    p.write_text(ISTAT_CLASSIC, encoding="utf-8-sig")
    assert detect_format(p) == "istat"
    panel, report = read_istat(p)
    assert report.counts == {"dropped:total": 1, "flag:p": 1, "missing": 1}
    assert panel.industries == ["291", "293", "303"]
    assert panel.meta.industry_classification == "ATECO2007"
    # Istat codes meet NACE in the classification module: division 29 of Torino
    by_div = aggregate(panel, to_level="division").to_pandas().set_index(["region", "industry"])
    assert by_div.loc[("ITC11", "29"), "value"] == pytest.approx(45012.4)
    assert math.isnan(by_div.loc[("ITC12", "29"), "value"])


def test_esploradati_sdmx_csv_with_labels(tmp_path):
    p = tmp_path / "183_277.csv"
    p.write_text(ESPLORADATI)
    assert detect_format(p) == "istat"
    with pytest.raises(SourceError, match="DATA_TYPE has 2 values"):
        read_istat(p)
    panel, report = read_istat(p, select={"DATA_TYPE": "EMP"})
    assert panel.regions == ["ITC11"] and panel.industries == ["29", "C"]
    assert report.counts == {"dropped:not-selected": 1, "dropped:total": 1, "flag:p": 1}
    panel, _ = read_istat(p, select={"DATA_TYPE": "LU"}, keep_totals=True)
    assert panel.to_pandas()["value"].tolist() == [300.0]
    with pytest.raises(SourceError, match="not in the file"):
        read_istat(p, select={"DATA_TYPE": "XX"})
    with pytest.raises(SourceError, match="no dimension"):
        read_istat(p, select={"SEX": "T"})


def test_semicolon_latin1_export(tmp_path):
    text = ISTAT_CLASSIC.replace('","', '";"').replace("Torino", "Forlì")
    p = tmp_path / "x.csv"
    p.write_bytes(text.encode("latin-1"))
    panel, _ = read_istat(p)
    assert panel.regions == ["ITC11", "ITC12"]


@MUTATION_SETTINGS
@given(mutated_lines(ESPLORADATI))
def test_fuzz(tmp_path, data):
    check_mutated(read_istat, tmp_path / "f.csv", data, select={"DATA_TYPE": "EMP"})


def test_options_given_as_text_like_the_cli(tmp_path):
    """``innesto ingest -O select=DATA_TYPE=EMP -O keep_totals=true`` passes strings."""
    from innesto.sources.registry import read

    p = tmp_path / "183_277.csv"
    p.write_text(ESPLORADATI)
    panel, _ = read(p, select="DATA_TYPE=EMP", keep_totals="true")
    assert panel.industries == ["0010", "29", "C"]
    with pytest.raises(SourceError, match="true or false"):
        read(p, select="DATA_TYPE:EMP", keep_totals="maybe")
