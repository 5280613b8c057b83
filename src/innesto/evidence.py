"""Finer evidence for a plan sector: NACE divisions in a NUTS 2 table.

Eurostat's regional structural business statistics (``sbs_r_nuts06_r2``) publish
persons employed by NACE division (C29 motor vehicles, C30 other transport equipment) for
every European NUTS 2 region, where the regional accounts give only NACE A10 sections.
:func:`read_divisions` reads such a table and adds each region's business-economy total
(the sum of its sections, by the library's one aggregation); :func:`divisions` gives a
division's location quotient in a region against its country,
:math:`LQ = (E_{ir}/E_r)/(E_{iC}/E_C)`
(:func:`innesto.measures.specialisation.location_quotient`), against Europe, and the
region's rank among Europe's regions.

Examples
--------
>>> from innesto.panel import Panel
>>> p = Panel.from_records([(r, i, 2015, v) for r, i, v in [
...     ("XX11", "C29", 30.0), ("XX11", "TOTAL", 100.0), ("XX12", "C29", 10.0),
...     ("XX12", "TOTAL", 100.0), ("XX", "C29", 40.0), ("XX", "TOTAL", 200.0)]])
>>> d = divisions(p, "C29", "XX11", "XX")
>>> round(d["lq_country"], 6), d["rank_europe"], d["regions_europe"]
(1.5, 1, 2)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from innesto.classifications.aggregate import aggregate
from innesto.errors import InnestoError
from innesto.i18n import msg
from innesto.panel import Panel, concat

TOTAL = "TOTAL"
#: NACE sections of Eurostat's business economy (SBS ``B-N_S95_X_K``): their sum is the
#: total of an SBS table, which publishes no total row.
BUSINESS_ECONOMY = ("B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N", "S95")


class EvidenceError(InnestoError):
    """The evidence asked for cannot be computed from the data at hand."""


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def read_divisions(path: str | Path) -> Panel:
    """An SBS NUTS 2 extract (``sbs_r_nuts06_r2``) with a ``TOTAL`` row per region: the
    sum of the business-economy sections :data:`BUSINESS_ECONOMY` (missing where one of
    them is confidential or missing)."""
    from innesto.sources.eurostat_sbs import read_eurostat_sbs

    panel, _ = read_eurostat_sbs(path)
    sections = [c for c in BUSINESS_ECONOMY if c in set(panel.industries)]
    total = aggregate(panel.filter(industry=sections),
                      grouping={TOTAL: sections}).to_pandas()
    total["industry"] = TOTAL
    return concat([panel, Panel.from_pandas(total[["region", "industry", "time", "value"]],
                                            meta=panel.meta)])


def divisions(panel: Panel, code: str, region: str, country: str) -> dict[str, Any]:
    """A NACE division's weight in a NUTS 2 ``region`` from a :func:`read_divisions` panel.

    Returns persons employed in the region and the country, the location quotient of the
    region against the country (:math:`(E_{ir}/E_r)/(E_{iC}/E_C)`) and against Europe
    (the sum of the NUTS 0 rows where both the division and the total are known; how
    many countries that is is returned), and the region's rank by that European LQ among
    every NUTS 2 region with a value (regions whose total is zero or below the division's
    value, an artefact of the extract, are left out and counted).
    """
    from innesto.measures.specialisation import location_quotient

    df = panel.filter(industry=[code, TOTAL]).to_pandas()
    if region not in set(df["region"]) or country not in set(df["region"]):
        raise EvidenceError(msg("%(region)s or %(country)s not in the table", region=region,
                            country=country))
    wide = df.pivot_table(index="region", columns="industry", values="value", aggfunc="sum")
    wide = wide.reindex(columns=[code, TOTAL]).dropna()
    nuts0 = [r for r in wide.index if len(r) == 2]
    europe = wide.loc[nuts0].sum()
    nat = location_quotient(panel.filter(region=[region, country], industry=[code, TOTAL]),
                            reference_region=country, total_industry=TOTAL)
    lq_country = _num(nat[(nat["region"] == region) & (nat["industry"] == code)]["lq"].iloc[0])
    nuts2 = wide[[len(r) == 4 for r in wide.index]]
    # A region whose sections are published as zeros (or below the division) is not
    # comparable: left out and counted.
    usable = (nuts2[TOTAL] > 0) & (nuts2[code] <= nuts2[TOTAL])
    nuts2 = nuts2[usable]
    share = nuts2[code] / nuts2[TOTAL]
    lq_europe = share / (europe[code] / europe[TOTAL])
    ranked = lq_europe.sort_values(ascending=False)
    return {
        "code": code, "region": region, "country": country, "time": str(panel.times[-1]),
        "employment": _num(wide.loc[region, code]) if region in wide.index else None,
        "employment_country": _num(wide.loc[country, code]) if country in wide.index else None,
        "lq_country": lq_country,
        "lq_europe": _num(lq_europe.get(region)),
        "rank_europe": (list(ranked.index).index(region) + 1) if region in ranked.index else None,
        "regions_europe": int(len(ranked)),
        "regions_left_out": int((~usable).sum()),
        "countries_europe": len(nuts0),
        "top_europe": [(str(r), float(v)) for r, v in ranked.head(5).items()],
    }
