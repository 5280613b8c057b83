"""The Eurostat employment table for Piemonte (nama_10r_3empers) as a Panel, for tests.

Read with pandas directly (the wide-table reader is tested on its own): one row per
region and year, one column per NACE A10 aggregate (``Count_Person_Employed_NACE/J``) plus
``Count_Person_Employed``, the total, which becomes industry ``TOTAL``.
"""

from __future__ import annotations

import pandas as pd

from innesto.panel import Panel
from tests.conftest import require_shared

FILE = ("eurostat-employment-piemonte-nuts3", "Eurostats_NUTS3_Empers_piemonte_subset.csv")
A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
"""The ten NACE A10 sections: they partition the total (checked in the tests)."""


def torino_wide() -> pd.DataFrame:
    """The file as published: ``Date, GeoId, <one column per sector>``, GeoId stripped."""
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
