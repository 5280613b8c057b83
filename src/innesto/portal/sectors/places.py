"""Which region the evidence pages are about, and what regions are called.

The focus region comes from the loaded plan, never from code: the site's configuration
(``innesto.portal.site.identity.regions()``, when the portal has it), else the plan set's
``evidence.focus``, else the region most of the plan's bound indicators are measured in
(``binding.region``). Region names come from GISCO's NUTS 2021 outlines: the Italian
provinces shipped with the portal, and every European NUTS 0 and 2 region when the shared
data folder is there; a code without a name is shown as its code.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from innesto.plan.site import Regions
from innesto.portal.plans.models import Indicator, PlanSetDocument

HERE = Path(__file__).resolve().parent
SHIPPED_OUTLINES = HERE / "data" / "italy-nuts3-2021-60m.geojson"


def shared_data() -> Path:
    """``INNESTO_SHARED_DATA`` or ``../shared/data`` beside the checkout."""
    default = HERE.parents[3].parent / "shared" / "data"
    return Path(os.environ.get("INNESTO_SHARED_DATA", default))


def site_regions() -> Regions | None:
    """The evidence regions of the site's configuration (``None`` when it names none)."""
    from innesto.portal.site import identity

    return identity.regions()


def _site_focus() -> str | None:
    regions = site_regions()
    return str(regions.focus.code) if regions is not None else None


def benchmark(focus: str) -> str:
    """The region location quotients are measured against: the site's benchmark, else the
    focus region's country (the first two characters of a NUTS code)."""
    regions = site_regions()
    return regions.benchmark.code if regions is not None else focus[:2]


def defaults(focus: str) -> list[str]:
    """The regions a comparison starts from: the site's focus, comparison and benchmark
    regions, else the focus, its NUTS 2 region and its country."""
    regions = site_regions()
    if regions is not None and regions.focus.code == focus:
        return regions.codes
    return list(dict.fromkeys([focus, nuts2_of(focus), focus[:2]]))


def focus_region() -> str | None:
    """The plan's focus region code (``None`` when no plan names one)."""
    code = _site_focus()
    if code:
        return code
    doc = PlanSetDocument.objects.order_by("-loaded_at").values_list("document", flat=True).first()
    evidence = (doc or {}).get("evidence") or {}
    if evidence.get("focus"):
        return str(evidence["focus"])
    counts = Counter(str(d["binding"]["region"]) for d in
                     Indicator.objects.values_list("document", flat=True)
                     if isinstance(d, dict) and (d.get("binding") or {}).get("region"))
    return counts.most_common(1)[0][0] if counts else None


def nuts2_of(code: str) -> str:
    """The NUTS 2 region holding a NUTS 2 or 3 code (NUTS codes nest by prefix)."""
    return code[:4]


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """NUTS code -> name, from the shipped outlines and the shared NUTS 0/2 outlines."""
    files = [SHIPPED_OUTLINES]
    folder = shared_data() / "nuts2021-geometry-60m"
    files += [folder / f"NUTS_RG_60M_2021_4326_LEVL_{lv}.geojson" for lv in (0, 2)]
    out: dict[str, str] = {}
    for f in files:
        if f.is_file() and f.stat().st_size < 50_000_000:
            for feat in json.loads(f.read_text(encoding="utf-8"))["features"]:
                p = feat["properties"]
                out.setdefault(str(p["NUTS_ID"]), str(p.get("NUTS_NAME") or p["NUTS_ID"]))
    return out


def name(code: str) -> str:
    """``Name (CODE)``: the site's own name for its regions in the page's language, else
    the NUTS name; the code alone when no name is known."""
    return namer()(code)


def namer() -> Callable[[str], str]:
    """:func:`name` with the site's regions and the page's language read once, for naming
    many regions (a ranking names every province, or every European NUTS 2 region)."""
    from django.utils.translation import get_language

    regions = site_regions()
    lang = (get_language() or "it")[:2]
    mine = {p.code: p.name.get(lang) for p in regions.places} if regions is not None else {}
    known = names()

    def one(code: str) -> str:
        text = mine.get(code)
        if text:
            return f"{text} ({code})"
        n = known.get(code)
        return f"{n} ({code})" if n and n != code else code

    return one
