"""Example data shipped with innesto: Eurostat's regional employment for Italy.

The table is Eurostat's ``nama_10r_3empers`` (persons employed by NUTS region and NACE
Rev. 2 sector aggregate), for every Italian NUTS 0-3 region, 1995-2018 (NUTS 3 from 2000;
2018 has the total only), in NUTS 2016 codes. Sectors are Eurostat's ``nace_r2`` codes
``A``, ``B-E``, ``C``, ``F``, ``G-I``, ``G-J``, ``J``, ``K``, ``K-N``, ``L``, ``M_N``,
``O-Q``, ``O-U``, ``R-U`` and ``TOTAL``; values are persons (Eurostat's thousands x 1000).
Cells Eurostat does not publish are null (never zero).

Source: Eurostat, nama_10r_3empers (CC BY 4.0). Built by ``scripts/build_demo_data.py``
from ``../shared/data/eurostat-employment-italy`` with :func:`innesto.sources.wide.read_wide`.

Examples
--------
>>> p = employment_piemonte()
>>> p.regions[:4], p.meta.attribution
(['IT', 'ITC', 'ITC1', 'ITC11'], 'Source: Eurostat, nama_10r_3empers')
>>> p.filter(region="ITC11", industry="TOTAL", time=2017).to_pandas()["value"].tolist()
[1003100.0]
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from innesto.i18n import msg
from innesto.panel import Panel

DATA_DIR = Path(__file__).resolve().parent / "data"
ITALY_FILE = "eurostat_nama_10r_3empers_italy.parquet"
#: Eurostat's reuse policy for its statistics.
LICENCE = "CC BY 4.0"
#: Italy, North-West, Piemonte and its eight provinces (Torino is ITC11).
PIEMONTE_REGIONS: tuple[str, ...] = (
    "IT", "ITC", "ITC1", *(f"ITC1{i}" for i in range(1, 9))
)


@cache
def _italy_table() -> pa.Table:
    return pq.read_table(DATA_DIR / ITALY_FILE)


def employment_italy() -> Panel:
    """Persons employed by Italian NUTS 0-3 region x NACE Rev. 2 aggregate x year.

    140 regions, 15 sector codes (incl. ``TOTAL``), 1995-2018; the attribution line is in
    ``panel.meta.attribution``.
    """
    p = Panel.from_arrow(_italy_table())
    return replace(p, meta=replace(p.meta, dataset="nama_10r_3empers", licence=LICENCE))


def employment_piemonte() -> Panel:
    """The same table for IT, ITC, ITC1 (Piemonte) and its provinces ITC11 (Torino) to ITC18."""
    return employment_italy().filter(region=list(PIEMONTE_REGIONS))


# ---------------------------------------------------------------- US metropolitan GDP
#: The BEA table of GDP by metropolitan area, in the project's shared data (never copied
#: into the package: it is read where it is, ``INNESTO_SHARED_DATA`` or ``../shared/data``).
US_METRO_TABLE = ("us-metro-gdp-2001-2008", "gdp-summary.csv")
#: The benchmark region of :func:`us_metro_gdp`: every metropolitan area's published cells.
US_METROS = "USM"
#: The BEA lines of the summary table that do not overlap (line 100 is trade, 34 + 35; line
#: 104, education and health, is left out for its parts 66 and 67; line 77, other services,
#: is not in the table): their sum is the ``TOTAL`` of :func:`us_metro_gdp`.
US_PARTITION: tuple[str, ...] = ("3", "6", "10", "11", "12", "36", "45", "50", "55", "58",
                                 "62", "63", "66", "67", "71", "74", "78", "100")


def shared_data() -> Path:
    """``$INNESTO_SHARED_DATA``, else ``shared/data`` beside the checkout."""
    import os

    return Path(os.environ.get("INNESTO_SHARED_DATA")
                or Path(__file__).resolve().parents[2].parent / "shared" / "data")


@cache
def us_metro_gdp() -> Panel:
    """GDP by US metropolitan area (5-digit FIPS) x BEA line x year, 2001-2008, millions of
    current USD, read from the shared data (``us-metro-gdp-2001-2008``) when it is there.

    ``TOTAL`` is the sum of the 18 lines of :data:`US_PARTITION`, only where every one is
    published (BEA's suppressed cells are missing from the table, so a partial sum would
    not be a total); region ``USM`` is the sum over every metropolitan area of each line's
    published cells, and its ``TOTAL`` the sum of those. Raises :class:`SourceError` naming
    the folder when the table is absent.
    """
    import pandas as pd

    from innesto.errors import SourceError
    from innesto.panel import PanelMeta
    from innesto.sources.bea import ATTRIBUTION, read_bea

    path = shared_data().joinpath(*US_METRO_TABLE)
    if not path.is_file():
        raise SourceError(msg("the BEA table of GDP by metropolitan area is not on this machine; "
                          "set INNESTO_SHARED_DATA to the folder that holds %(what)s/",
                          what=US_METRO_TABLE[0]), path=path)
    panel, _ = read_bea(path)
    df = panel.to_pandas()[["region", "industry", "time", "value"]]
    df = df[df["industry"].isin(US_PARTITION) & df["value"].notna()]
    by_place = df.groupby(["region", "time"])["value"]
    complete = by_place.count() == len(US_PARTITION)
    totals = by_place.sum()[complete].reset_index()
    totals["industry"] = "TOTAL"
    bench = df.groupby(["industry", "time"], as_index=False)["value"].sum()
    bench["region"] = US_METROS
    bench_total = bench.groupby("time", as_index=False)["value"].sum()
    bench_total["region"], bench_total["industry"] = US_METROS, "TOTAL"
    out = pd.concat([df, totals, bench, bench_total], ignore_index=True)
    meta = PanelMeta("US_FIPS", "BEA_LINE", "gdp",
                     ATTRIBUTION + " (millions of current USD; public domain)")
    return Panel.from_pandas(out[["region", "industry", "time", "value"]], meta=meta)
