"""Compare a regional indicator across regions: the numbers behind the compare page.

A *regional indicator* is any measure bound to a region of the evidence panel: a plan
indicator with a ``binding`` (employment, share, location quotient or shift-share of a
sector in a region), or a sector's measure on its dashboard. Comparing it means asking the
same binding for other regions: every value comes from
:func:`innesto.plan.binding.values` with only ``region`` changed (for a ranking,
:func:`~innesto.plan.binding.values_by_region`: the same numbers, every region at once), so
the compare page can never disagree with the indicator's own page. Peers are the regions of the panel at the
focus region's NUTS level in the same country (NUTS codes nest by prefix: two letters for
the country, one more character per level); extra-regio codes (``..ZZ``) are left out.

On the European table (Eurostat SBS 2015, NACE divisions by NUTS 2 region) the measure is
each region's revealed comparative advantage in one division, from
:func:`innesto.measures.relatedness.relatedness_density` (as on the opportunities tab).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from innesto.errors import InnestoError
from innesto.panel import Panel
from innesto.plan.binding import load_dataset, values, values_by_region
from innesto.plan.model import Binding
from innesto.plan.model import Sector as PlanSector
from innesto.portal.sectors import opportunities, places

MEASURES = ("employment", "share", "lq", "shift_share")
T = TypeVar("T")


@dataclass(frozen=True)
class Query:
    """What is compared: a binding (its ``region`` is the focus) and the plan's sectors."""

    binding: Binding
    sectors: tuple[PlanSector, ...] = ()

    def sector_map(self) -> dict[str, PlanSector]:
        return {s.id: s for s in self.sectors}


@lru_cache(maxsize=4)
def panel(dataset: str) -> Panel:
    return load_dataset(dataset)


def _key(kind: str, q: Query, *extra: str) -> str:
    """A cache key for a computed comparison: the binding, the sectors' codes, the
    dataset's file (its values change only with a new data file) and the language (the
    rows carry the regions' names in it)."""
    from django.utils.translation import get_language

    from innesto import datasets

    stamp = (Path(datasets.DATA_DIR) / datasets.ITALY_FILE).stat().st_mtime_ns
    text = json.dumps([kind, q.binding.model_dump(mode="json"),
                       [(s.id, s.data_codes) for s in q.sectors], stamp,
                       (get_language() or "")[:2], *extra])
    return "innesto:compare:" + hashlib.sha256(text.encode()).hexdigest()


def _remembered(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per data file: ranking every region takes a library call each."""
    from django.core.cache import cache

    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, None)
    return cast(T, found)


def peers(p: Panel, focus: str) -> list[str]:
    """The panel's regions at ``focus``'s level in its country (``focus`` included)."""
    return [r for r in p.regions if len(r) == len(focus) and r[:2] == focus[:2]
            and "ZZ" not in r[2:]]


def _times(q: Query, p: Panel, when: str) -> list[str]:
    if q.binding.measure == "shift_share":
        start = q.binding.start or p.times[0]
        return [start, when]
    return [when]


def series(q: Query, region: str) -> dict[str, float]:
    """The indicator's values by period for ``region`` (empty when it has none)."""
    p = panel(q.binding.dataset)
    try:
        return values(q.binding.model_copy(update={"region": region}), p, q.sector_map())
    except InnestoError:
        return {}


def ranking(q: Query) -> tuple[str, list[dict[str, Any]]]:
    """The latest period in which the focus has a value, and every peer's value then,
    highest first: ``region, name, value, rank, focus``."""
    return _remembered(_key("ranking", q), lambda: _ranking(q))


def _ranking(q: Query) -> tuple[str, list[dict[str, Any]]]:
    focus = q.binding.region
    own = series(q, focus)
    if not own:
        return "", []
    when = max(own)
    p = panel(q.binding.dataset)
    sub = p.filter(time=_times(q, p, when))
    rows: list[dict[str, Any]] = []
    regions = peers(p, focus)
    try:  # the sector summed once for every peer: one values() call each, at once
        by_region = values_by_region(q.binding, sub, regions, q.sector_map())
    except InnestoError:
        by_region = {}
    name = places.namer()
    for region in regions:
        v = by_region.get(region, {}).get(when)
        if v is not None:
            rows.append({"region": region, "name": name(region), "value": v,
                         "focus": region == focus})
    rows.sort(key=lambda r: -r["value"])
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return when, rows


def lines(q: Query, regions: list[str]) -> list[dict[str, Any]]:
    """The picked regions' values by period: ``time, region, name, value``."""
    return _remembered(_key("lines", q, *regions), lambda: _lines(q, regions))


def _lines(q: Query, regions: list[str]) -> list[dict[str, Any]]:
    out = []
    name = places.namer()
    for region in regions:
        for t, v in series(q, region).items():
            out.append({"time": t, "region": region, "name": name(region), "value": v})
    return sorted(out, key=lambda r: (r["time"], regions.index(r["region"])))


def choices(q: Query) -> list[tuple[str, str]]:
    """Every region the picker offers: the country, then each NUTS level in code order."""
    p = panel(q.binding.dataset)
    country = q.binding.region[:2]
    regions = [r for r in p.regions if r[:2] == country and "ZZ" not in r[2:]]
    name = places.namer()
    return [(r, name(r)) for r in sorted(regions, key=lambda r: (len(r), r))]


def european_ranking(division: str, focus: str) -> tuple[str, list[dict[str, Any]]]:
    """Every European NUTS 2 region's RCA in ``division`` (SBS 2015), highest first."""
    t = opportunities.table()
    if t.level != "nuts2-divisions":
        return "", []
    dens, _ = opportunities._measures(t.level)
    # A region whose cell the source does not publish has no RCA here (never a zero).
    published = set(t.panel.filter(industry=division).dropna().regions)
    mine = dens[(dens["industry"] == division) & dens["region"].isin(published)]
    region = places.nuts2_of(focus)
    name = places.namer()
    rows: list[dict[str, Any]] = [{"region": str(r["region"]), "name": name(str(r["region"])),
             "value": float(r["rca"]), "focus": str(r["region"]) == region}
            for r in mine.to_dict("records")]
    rows.sort(key=lambda r: -r["value"])
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return t.year, rows
