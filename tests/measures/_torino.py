"""The Eurostat employment table for Piemonte (nama_10r_3empers) as a Panel, for tests.

Read with pandas directly (the wide-table reader is tested on its own): one row per
region and year, one column per NACE A10 aggregate (``Count_Person_Employed_NACE/J``) plus
``Count_Person_Employed``, the total, which becomes industry ``TOTAL``.

Where ``../shared/data`` is absent, the same Eurostat cells come from the copy that ships
inside the package (``src/innesto/data``, built from the Italy table), read with pandas too,
so that the Torino pins run on every checkout; ``test_packaged_table_equals_shared_file``
checks that the two agree cell for cell.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from innesto.panel import Panel
from tests.conftest import SHARED_DATA, require_shared

PACKAGED = Path(__file__).resolve().parents[2] / "src" / "innesto" / "data" / (
    "eurostat_nama_10r_3empers_italy.parquet")
REGIONS = ["IT", "ITC", "ITC1", *[f"ITC1{k}" for k in range(1, 9)]]

FILE = ("eurostat-employment-piemonte-nuts3", "Eurostats_NUTS3_Empers_piemonte_subset.csv")
A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
"""The ten NACE A10 sections: they partition the total (checked in the tests)."""


def packaged_wide() -> pd.DataFrame:
    """The packaged Parquet copy, pivoted to the published file's shape (Piemonte rows)."""
    long = pd.read_parquet(PACKAGED)
    long = long[long["region"].isin(REGIONS)]
    wide = long.pivot_table(index=["time", "region"], columns="industry", values="value",
                            aggfunc="first").reset_index()
    wide.columns.name = None
    wide = wide.rename(columns={"time": "Date", "region": "GeoId", "M_N": "M-N"})
    wide["Date"] = wide["Date"].astype(int)
    return wide.sort_values(["GeoId", "Date"]).reset_index(drop=True)


def torino_wide() -> pd.DataFrame:
    """The file as published: ``Date, GeoId, <one column per sector>``, GeoId stripped.

    From ``../shared/data`` when present (required under CI), else from the packaged copy."""
    if not SHARED_DATA.joinpath(*FILE).exists() and os.environ.get(
            "INNESTO_REQUIRE_SHARED_DATA") != "1":
        return packaged_wide()
    df = pd.read_csv(require_shared(*FILE))
    df["GeoId"] = df["GeoId"].str.replace("dcid:nuts/", "", regex=False)
    df.columns = [c.replace("Count_Person_Employed_NACE/", "") for c in df.columns]
    return df.rename(columns={"Count_Person_Employed": "TOTAL"})


def torino_panel() -> Panel:
    """All regions (IT, ITC, ITC1, ITC11-ITC18), 14 aggregates + TOTAL, 1995-2018."""
    wide = torino_wide()
    long = wide.melt(id_vars=["Date", "GeoId"], var_name="industry", value_name="value")
    long["time"] = long["Date"].astype(str)
    return Panel.from_pandas(long.rename(columns={"GeoId": "region"})[
        ["region", "industry", "time", "value"]])


def cell(wide: pd.DataFrame, region: str, year: int, column: str) -> float:
    """One number of the published table."""
    row = wide[(wide["GeoId"] == region) & (wide["Date"] == year)]
    assert len(row) == 1
    return float(row[column].iloc[0])
