"""The numbers behind a sector dashboard, all from the evidence engine.

The panel is ``innesto.datasets.employment_italy()`` (Eurostat nama_10r_3empers, NUTS 2016
regions, NACE A10 aggregates plus ``TOTAL``); the measures are
``innesto.measures.specialisation.location_quotient`` and
``innesto.measures.shift_share.shift_share``. This module only selects rows and sums the
panel codes a plan sector maps to (``Sector.data_codes``); it computes no measure itself.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import pandas as pd

from innesto.panel import Panel

F = TypeVar("F", bound=Callable[..., Any])


def memo(func: F) -> F:
    """Remember a result per sector codes (the panel does not change while the process
    lives) and hand out copies, since callers decorate the rows they get."""
    store: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(func)
    def wrapper(codes: list[str], *args: Any) -> Any:
        key = (tuple(codes), *args)
        if key not in store:
            store[key] = func(list(codes), *args)
        return copy.deepcopy(store[key])

    return wrapper  # type: ignore[return-value]


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)

FOCUS = "ITC11"  # Torino (NUTS 3)
REGION = "ITC1"  # Piemonte (NUTS 2)
COUNTRY = "IT"
TOTAL = "TOTAL"
#: NACE aggregates that partition the total (identities checked in the data's SOURCE.md:
#: G-J = G-I + J, K-N = K + L + M-N, O-U = O-Q + R-U).
PARTITION = ("A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U")
#: The partition's aggregate that holds a finer code.
WITHIN = {"C": "B-E"}


def partition() -> list[str]:
    """The partition in the panel's own spelling (``M-N`` or ``M_N``)."""
    have = set(panel().industries)
    return [c if c in have else c.replace("-", "_") for c in PARTITION]


@dataclass(frozen=True)
class Place:
    code: str
    name: str


PLACES = (Place(FOCUS, "Torino"), Place(REGION, "Piemonte"), Place(COUNTRY, "Italia"))


class EvidenceUnavailable(RuntimeError):
    """The evidence engine's dataset cannot be loaded here."""


@lru_cache(maxsize=1)
def panel() -> Panel:
    """The Italian employment panel (cached for the life of the process)."""
    try:
        from innesto import datasets  # type: ignore[attr-defined]
    except ImportError as exc:  # pragma: no cover - depends on the engine's version
        raise EvidenceUnavailable("innesto.datasets is not available") from exc
    try:
        return datasets.employment_italy()  # type: ignore[no-any-return]
    except Exception as exc:  # the dataset may be absent on this machine
        raise EvidenceUnavailable(str(exc)) from exc


def sector_panel(codes: list[str], *, regions: list[str] | None = None) -> Panel:
    """The panel restricted to ``regions`` with the sector's codes summed into one industry
    ``"SECTOR"`` next to ``TOTAL`` (a single code is kept as it is, renamed)."""
    p = panel()
    if regions is not None:
        p = p.filter(region=regions)
    df = p.filter(industry=[*codes, TOTAL]).to_pandas()[["region", "industry", "time", "value"]]
    sec = df[df["industry"].isin(codes)]
    summed = sec.groupby(["region", "time"], as_index=False)["value"].sum(min_count=len(codes))
    summed["industry"] = "SECTOR"
    tot = df[df["industry"] == TOTAL]
    frames: list[Any] = [summed, tot]
    out: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return Panel.from_pandas(out, meta=p.meta)


@memo
def employment_rows(codes: list[str]) -> list[dict[str, Any]]:
    """Persons employed in the sector, by place and year (Torino, Piemonte, Italy)."""
    sp = sector_panel(codes, regions=[pl.code for pl in PLACES]).to_pandas()
    sp = sp[sp["industry"] == "SECTOR"]
    names = {pl.code: pl.name for pl in PLACES}
    rows = [{"time": str(r["time"]), "place": names[str(r["region"])],
             "region": str(r["region"]), "employment": _num(r["value"])}
            for r in _records(sp)]
    return sorted(rows, key=lambda r: (r["time"], [p.code for p in PLACES].index(r["region"])))


@memo
def lq_rows(codes: list[str]) -> list[dict[str, Any]]:
    """Location quotient of the sector against Italy, for Torino and Piemonte, by year."""
    from innesto.measures.specialisation import location_quotient

    sp = sector_panel(codes, regions=[pl.code for pl in PLACES])
    lq = location_quotient(sp, reference_region=COUNTRY, total_industry=TOTAL)
    lq = lq[(lq["industry"] == "SECTOR") & (lq["region"].isin([FOCUS, REGION]))]
    names = {pl.code: pl.name for pl in PLACES}
    rows = [{"time": str(r["time"]), "place": names[str(r["region"])],
             "region": str(r["region"]), "lq": _num(r["lq"])} for r in _records(lq)]
    return sorted(rows, key=lambda r: (r["time"], r["region"] != FOCUS))


@memo
def province_lq(codes: list[str], time: str | None = None) -> tuple[str, dict[str, float | None]]:
    """The sector's LQ in every Italian province (NUTS 3) in ``time`` (default: latest)."""
    from innesto.measures.specialisation import location_quotient

    p = panel()
    provinces = [r for r in p.regions if len(r) == 5 and not r.endswith("ZZZ")]
    sp = sector_panel(codes, regions=[*provinces, COUNTRY])
    times = sorted(sp.filter(region=provinces).dropna().times)
    when = time or times[-1]
    lq = location_quotient(sp.filter(time=when), reference_region=COUNTRY, total_industry=TOTAL)
    lq = lq[(lq["industry"] == "SECTOR") & (lq["region"].isin(provinces))]
    return when, {str(r["region"]): _num(r["lq"]) for r in _records(lq)}


@memo
def shift_share_rows(codes: list[str]) -> tuple[str, str, list[dict[str, Any]]]:
    """Classic shift-share of Torino against Italy over the years both have, by industry
    of the A10 partition (the sector's own codes are marked)."""
    from innesto.measures.shift_share import shift_share

    parts = partition()
    p = panel().filter(region=[FOCUS, COUNTRY], industry=[*parts, TOTAL]).dropna()
    times = sorted(set(p.filter(region=FOCUS).times) & set(p.filter(region=COUNTRY).times))
    start, end = times[0], times[-1]
    ss = shift_share(p, focus=FOCUS, reference=COUNTRY, start=start, end=end,
                     method="classic", total_industry=TOTAL, industries=parts)
    marked = {WITHIN.get(c, c) for c in codes} | set(codes)
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
    lqdf = location_quotient(sp, reference_region=reference, total_industry=TOTAL)
    lqs = {str(r["time"]): _num(r["lq"]) for r in _records(
        lqdf[(lqdf["region"] == region) & (lqdf["industry"] == "SECTOR")])}
    return [{"time": str(r["time"]), "employment": _num(r["value"]),
             "lq": lqs.get(str(r["time"]))}
            for r in sorted(_records(emp), key=lambda r: str(r["time"]))]


@memo
def opportunity_rows(codes: list[str]) -> tuple[str, list[dict[str, Any]]]:
    """Torino's opportunity matrix in the latest year: for each industry of the partition,
    relatedness density, complexity (PCI), RCA and the complexity outlook gain, computed by
    ``innesto.measures.opportunity.opportunity_matrix`` over Italy's provinces."""
    from innesto.measures.opportunity import opportunity_matrix

    p = panel()
    provinces = [r for r in p.regions if len(r) == 5 and not r.endswith("ZZZ")]
    parts = partition()
    sub = p.filter(region=provinces, industry=parts).dropna()
    when = sorted(sub.filter(region=FOCUS).times)[-1]
    om = opportunity_matrix(sub.filter(time=when), FOCUS)
    marked = {WITHIN.get(c, c) for c in codes} | set(codes)
    rows = [{"industry": str(r["industry"]), "in_sector": str(r["industry"]) in marked,
             "density": _num(r["density"]), "pci": _num(r["pci"]), "rca": _num(r["rca"]),
             "cog": _num(r["cog"])} for r in _records(om)]
    return when, rows
