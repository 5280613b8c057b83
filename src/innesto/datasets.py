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
