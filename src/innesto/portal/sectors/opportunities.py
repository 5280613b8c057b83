"""Where the plan's region could diversify, around each sector: relatedness density on the
finest table available.

The table is Eurostat's regional structural business statistics (``sbs_r_nuts06_r2``,
2015, persons employed) restricted to NACE divisions (``C29``) across every European NUTS 2
region, when the shared data folder holds it (``INNESTO_SBS_FILE`` names another copy);
otherwise the shipped provincial table with its ten broad sections. Every number comes from
the library: :func:`innesto.measures.relatedness.relatedness_density` (the region's RCA,
whether it is specialised, and its density around each industry) and
:func:`innesto.measures.relatedness.proximity` (how often two industries are specialised
in the same regions). This module only selects and sorts their rows.

For a sector the candidates are the industries the region is **not** specialised in
(RCA < 1), other than the sector's own codes, that are closest to the sector (highest
proximity to any of its codes); they are listed by the region's density around them.
When the table lacks the sector's codes (finance is outside the business economy), the
candidates are the region's highest-density industries overall, and the page says so.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from innesto.panel import Panel
from innesto.portal.sectors import places

SBS_RELATIVE = Path("eurostat-sbs-nuts2-2015") / "sbs_r_nuts06_r2.csv"
SBS_SOURCE = "Eurostat, sbs_r_nuts06_r2 (2015)"
SHIPPED_SOURCE = "Eurostat, nama_10r_3empers (CC BY 4.0)"
DIVISION = re.compile(r"[A-Z]\d\d")
#: How many candidates a sector shows.
TOP = 10


@dataclass
class Table:
    """The panel relatedness is computed on, and what a reader must know about it."""

    panel: Panel
    level: str  # "nuts2-divisions" or "provinces-sections"
    source: str
    year: str
    regions: int
    industries: int
    skipped: dict[str, int] = field(default_factory=dict)  # cells the reader set aside


def sbs_file() -> Path:
    return Path(os.environ.get("INNESTO_SBS_FILE") or places.shared_data() / SBS_RELATIVE)


@lru_cache(maxsize=1)
def table() -> Table:
    """The finest table available (read once per process)."""
    path = sbs_file()
    if path.is_file():
        from innesto.sources.eurostat_sbs import read_eurostat_sbs

        panel, report = read_eurostat_sbs(path)
        regions = [r for r in panel.regions if len(r) == 4]
        divisions = [i for i in panel.industries if DIVISION.fullmatch(i)]
        sub = panel.filter(region=regions, industry=divisions)
        return Table(sub, "nuts2-divisions", SBS_SOURCE, sub.times[-1], len(regions),
                     len(divisions), dict(report.counts))
    from innesto.portal.sectors import evidence

    p = evidence.panel()
    provinces = [r for r in p.regions if len(r) == 5 and not r.endswith("ZZZ")]
    sub = p.filter(region=provinces, industry=evidence.partition()).dropna()
    when = sub.times[-1]
    sub = sub.filter(time=when)
    return Table(sub, "provinces-sections", SHIPPED_SOURCE, when, len(provinces),
                 len(sub.industries))


@lru_cache(maxsize=4)
def _measures(level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from innesto.measures.relatedness import proximity, relatedness_density

    t = table()
    return relatedness_density(t.panel), proximity(t.panel)


def anchors(codes: list[str], industries: list[str]) -> list[str]:
    """The table's codes that measure a sector: its NACE codes cut to divisions
    (``J58.2`` -> ``J58``) or whole sections (``K`` -> every ``K..`` division present)."""
    have = set(industries)
    out: list[str] = []
    for code in codes:
        code = code.strip().upper()
        cands = [code[:3]] if DIVISION.match(code) else [c for c in industries
                                                         if c.startswith(code)]
        out += [c for c in cands if c in have and c not in out]
    return out


def region_in(t: Table, focus: str) -> str:
    """The table's region for the plan's focus region (its NUTS 2 region on the SBS table)."""
    return places.nuts2_of(focus) if t.level == "nuts2-divisions" else focus


def candidates(nace: list[str], data_codes: list[str], focus: str) -> dict[str, Any]:
    """The industries the focus region could move into around a sector.

    Returns ``region``, ``anchors`` (the sector's codes in the table; empty when absent),
    and ``rows``: up to :data:`TOP` dicts ``code, rca, density, proximity`` sorted by
    density, never one of the anchors and never an industry the region is specialised in.
    """
    t = table()
    region = region_in(t, focus)
    dens, prox = _measures(t.level)
    mine = dens[dens["region"] == region].set_index("industry")
    if mine.empty:
        raise KeyError(f"region {region} is not in the table")
    # On the divisions table the sector's NACE codes; on the coarse one its data codes.
    codes = anchors(nace if t.level == "nuts2-divisions" else data_codes,
                    list(t.panel.industries))
    pool = mine[(mine["m"] == 0) & ~mine.index.isin(codes) & mine["density"].notna()].copy()
    if codes:
        near = prox[prox["industry_i"].isin(codes)].groupby("industry_j")["proximity"].max()
        pool["proximity"] = near.reindex(pool.index).fillna(0.0)
        pool = pool.sort_values(["proximity", "density"], ascending=False).head(TOP)
    else:
        pool["proximity"] = None
    pool = pool.sort_values("density", ascending=False).head(TOP)
    rows = [{"code": str(code), "rca": float(r["rca"]), "density": float(r["density"]),
             "proximity": None if r["proximity"] is None else float(r["proximity"])}
            for code, r in pool.iterrows()]
    return {"region": region, "anchors": codes, "rows": rows}
