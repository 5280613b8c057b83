"""The numbers behind a sector dashboard, all from the evidence engine.

The panel and the regions come from the loaded plan's ``site.yaml`` (its ``regions``
section, :mod:`innesto.plan.site`): for the Italian example ``innesto.datasets.
employment_italy()`` (Eurostat nama_10r_3empers, NUTS 2016 regions, NACE A10 aggregates
plus ``TOTAL``), a province against its country with its region beside it. No region is
named here. The measures are ``innesto.measures.specialisation.location_quotient`` and
``innesto.measures.shift_share.shift_share``; a sector's codes are summed by
``innesto.classifications.sums.sector_sums``. This module only selects rows; it computes
no measure itself.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import pandas as pd

from innesto.classifications.sums import sector_sums
from innesto.panel import Panel
from innesto.plan.site import Regions
from innesto.portal.site import identity
from innesto.portal.site.bounded import BoundedStore

F = TypeVar("F", bound=Callable[..., Any])


def _cap() -> int:
    from django.conf import settings

    return int(getattr(settings, "MEASURE_CACHE_BYTES", 64 << 20))


#: every memoised result of this process, at most ``MEASURE_CACHE_BYTES`` (LRU)
STORE = BoundedStore(_cap)


def memo(func: F) -> F:
    """Remember a result per site regions, language and sector codes (the panel does not
    change while the process lives) and hand out copies, since callers decorate the rows
    they get. Results share one store bounded in bytes (:mod:`innesto.portal.site.bounded`):
    request parameters such as the API's ``region`` cannot grow it past the cap."""

    @functools.wraps(func)
    def wrapper(codes: list[str], *args: Any) -> Any:
        key = (func.__qualname__, site_regions().model_dump_json(), identity.lang(),
               tuple(codes), *args)
        found = STORE.get(key)
        if found is None:
            found = func(list(codes), *args)
            STORE.put(key, found)
        return copy.deepcopy(found)

    return wrapper  # type: ignore[return-value]


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)

def site_regions() -> Regions:
    """The regions of the loaded plan's ``site.yaml`` (the evidence pages need them)."""
    regions = identity.regions()
    if regions is None:
        raise EvidenceUnavailable(
            "the plan names no regions to compare: add a regions section to its site.yaml")
    return regions


def total() -> str:
    return site_regions().total


def partition() -> list[str]:
    """The industries that partition the total, in the panel's own spelling (``M-N`` or
    ``M_N``); every industry but the total when the site names none."""
    r = site_regions()
    have = panel().industries
    if not r.partition:
        return [c for c in have if c != r.total]
    return [c if c in have else c.replace("-", "_") for c in r.partition]


def within() -> dict[str, str]:
    """A finer sector code -> the partition's industry that holds it."""
    return dict(site_regions().within)


@dataclass(frozen=True)
class Place:
    code: str
    name: str


def places() -> list[Place]:
    """Focus, comparison regions and benchmark, named in the active language."""
    lang = identity.lang()
    return [Place(p.code, p.name.get(lang)) for p in site_regions().places]


def focus() -> str:
    return site_regions().focus.code


def benchmark() -> str:
    return site_regions().benchmark.code


def peers() -> list[str]:
    """The panel's regions at the focus's level (same code length; NUTS's ``ZZ``
    extra-regio codes left out): the map's and the opportunity matrix's regions."""
    n = len(focus())
    return [r for r in panel().regions if len(r) == n and not r.endswith("ZZ")
            and not r.endswith("ZZZ")]


class EvidenceUnavailable(RuntimeError):
    """The evidence engine's dataset cannot be loaded here."""


def panel() -> Panel:
    """The panel the site's regions are read from (cached per dataset for the life of
    the process)."""
    return _dataset(site_regions().dataset)


@lru_cache(maxsize=4)
def _dataset(name: str) -> Panel:
    from innesto.errors import InnestoError
    from innesto.plan.binding import load_dataset

    try:
        return load_dataset(name)
    except (InnestoError, OSError) as exc:  # the dataset may be absent on this machine
        raise EvidenceUnavailable(str(exc)) from exc


def source() -> str:
    """The panel's attribution (e.g. ``Eurostat, nama_10r_3empers``), for chart sources."""
    text = panel().meta.attribution or ""
    return text.removeprefix("Source: ")


def sector_panel(codes: list[str], *, regions: list[str] | None = None) -> Panel:
    """The panel restricted to ``regions`` with the sector's codes summed into one industry
    ``"SECTOR"`` next to the total (a single code is kept as it is, renamed)."""
    p = panel()
    tot = total()
    if regions is not None:
        p = p.filter(region=regions)
    # the library's one sector sum: a sum with a missing component is null, not a part
    summed = sector_sums(p.filter(industry=codes), {"SECTOR": codes}).panel.to_pandas()
    df = p.filter(industry=tot).to_pandas()
    cols = ["region", "industry", "time", "value"]
    frames: list[Any] = [summed[cols], df[cols]]
    out: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return Panel.from_pandas(out, meta=p.meta)


@memo
def employment_rows(codes: list[str]) -> list[dict[str, Any]]:
    """The sector's values (e.g. persons employed), by place and year (focus, comparison
    regions, benchmark); the key stays ``employment`` whatever the quantity."""
    where = places()
    sp = sector_panel(codes, regions=[pl.code for pl in where]).to_pandas()
    sp = sp[sp["industry"] == "SECTOR"]
    names = {pl.code: pl.name for pl in where}
    rows = [{"time": str(r["time"]), "place": names[str(r["region"])],
             "region": str(r["region"]), "employment": _num(r["value"])}
            for r in _records(sp)]
    order = [p.code for p in where]
    return sorted(rows, key=lambda r: (r["time"], order.index(r["region"])))


@memo
def lq_rows(codes: list[str]) -> list[dict[str, Any]]:
    """Location quotient of the sector against the benchmark, for the focus and the
    comparison regions, by year."""
    from innesto.measures.specialisation import location_quotient

    where = places()
    sp = sector_panel(codes, regions=[pl.code for pl in where])
    lq = location_quotient(sp, reference_region=benchmark(), total_industry=total())
    shown = [pl.code for pl in where[:-1]]
    lq = lq[(lq["industry"] == "SECTOR") & (lq["region"].isin(shown))]
    names = {pl.code: pl.name for pl in where}
    rows = [{"time": str(r["time"]), "place": names[str(r["region"])],
             "region": str(r["region"]), "lq": _num(r["lq"])} for r in _records(lq)]
    return sorted(rows, key=lambda r: (r["time"], shown.index(r["region"])))


@memo
def province_lq(codes: list[str], time: str | None = None) -> tuple[str, dict[str, float | None]]:
    """The sector's LQ in every peer region (e.g. every Italian province) in ``time``
    (default: latest)."""
    from innesto.measures.specialisation import location_quotient

    provinces = peers()
    sp = sector_panel(codes, regions=[*provinces, benchmark()])
    times = sorted(sp.filter(region=provinces).dropna().times)
    when = time or times[-1]
    lq = location_quotient(sp.filter(time=when), reference_region=benchmark(),
                           total_industry=total())
    lq = lq[(lq["industry"] == "SECTOR") & (lq["region"].isin(provinces))]
    return when, {str(r["region"]): _num(r["lq"]) for r in _records(lq)}


@memo
def shift_share_rows(codes: list[str]) -> tuple[str, str, list[dict[str, Any]]]:
    """Classic shift-share of the focus against the benchmark over the years both have, by
    industry of the partition (the sector's own codes are marked)."""
    from innesto.measures.shift_share import shift_share

    parts = partition()
    here, there, tot = focus(), benchmark(), total()
    p = panel().filter(region=[here, there], industry=[*parts, tot]).dropna()
    times = sorted(set(p.filter(region=here).times) & set(p.filter(region=there).times))
    start, end = times[0], times[-1]
    ss = shift_share(p, focus=here, reference_region=there, start=start, end=end,
                     method="classic", total_industry=tot, industries=parts)
    marked = {within().get(c, c) for c in codes} | set(codes)
    rows = []
    for r in _records(ss):
        rows.append({
            "industry": str(r["industry"]), "in_sector": str(r["industry"]) in marked,
            **{k: _num(r[k]) for k in ("value_start", "value_end", "total", "national",
                                       "industry_mix", "competitive")},
        })
    return start, end, rows


@memo
def region_measures(codes: list[str], region: str, reference: str) -> list[dict[str, Any]]:
    """Employment and LQ (against ``reference``) of the sector in ``region``, by year."""
    from innesto.measures.specialisation import location_quotient

    if region not in panel().regions or reference not in panel().regions:
        raise KeyError(region)
    sp = sector_panel(codes, regions=sorted({region, reference}))
    df = sp.to_pandas()
    emp = df[(df["region"] == region) & (df["industry"] == "SECTOR")]
    lqdf = location_quotient(sp, reference_region=reference, total_industry=total())
    lqs = {str(r["time"]): _num(r["lq"]) for r in _records(
        lqdf[(lqdf["region"] == region) & (lqdf["industry"] == "SECTOR")])}
    return [{"time": str(r["time"]), "employment": _num(r["value"]),
             "lq": lqs.get(str(r["time"]))}
            for r in sorted(_records(emp), key=lambda r: str(r["time"]))]


@memo
def opportunity_rows(codes: list[str]) -> tuple[str, list[dict[str, Any]]]:
    """The focus's opportunity matrix in the latest year: for each industry of the
    partition, relatedness density, complexity (PCI), RCA and the complexity outlook gain,
    computed by ``innesto.measures.opportunity.opportunity_matrix`` over the peers."""
    from innesto.measures.opportunity import opportunity_matrix

    parts = partition()
    sub = panel().filter(region=peers(), industry=parts).dropna()
    when = sorted(sub.filter(region=focus()).times)[-1]
    om = opportunity_matrix(sub.filter(time=when), focus())
    marked = {within().get(c, c) for c in codes} | set(codes)
    rows = [{"industry": str(r["industry"]), "in_sector": str(r["industry"]) in marked,
             "density": _num(r["density"]), "pci": _num(r["pci"]), "rca": _num(r["rca"]),
             "cog": _num(r["cog"])} for r in _records(om)]
    return when, rows
