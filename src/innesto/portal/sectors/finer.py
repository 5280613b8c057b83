"""A sector's finer evidence: its NACE divisions in the site's NUTS 2 table (Eurostat
regional SBS), computed by :mod:`innesto.evidence`; the portal only reads the settings
(site ``regions.divisions``, the plan sector's ``divisions``) and shows the result.

The table lives in the shared data folder (``INNESTO_SHARED_DATA``, by default
``../shared/data`` beside the checkout); when it is absent the finer series is simply not
shown.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from innesto.evidence import EvidenceError, divisions, read_divisions
from innesto.panel import Panel
from innesto.plan.i18n import Text
from innesto.plan.provenance import Provenance
from innesto.portal.plans.models import PlanSetDocument, Sector
from innesto.portal.site import identity

ROOT = Path(__file__).resolve().parents[4]


def shared_data() -> Path:
    return Path(os.environ.get("INNESTO_SHARED_DATA", ROOT.parent / "shared" / "data"))


@lru_cache(maxsize=2)
def _table(path: str, mtime: float) -> Panel:
    return read_divisions(path)


def sector_divisions(sector: Sector) -> list[str]:
    """The plan sector's ``divisions`` (from the stored plan document)."""
    doc = PlanSetDocument.objects.order_by("-loaded_at").values_list("document", flat=True).first()
    for s in (doc or {}).get("sectors", []):
        if s.get("id") == sector.slug:
            return [str(c) for c in s.get("divisions", [])]
    return []


def rows(sector: Sector) -> list[dict[str, Any]]:
    """One row per division of the sector: the library's :func:`innesto.evidence.divisions`
    with its level, year, place names and provenance; empty when nothing can be shown."""
    regions = identity.regions()
    codes = sector_divisions(sector)
    if regions is None or regions.divisions is None or not codes:
        return []
    d = regions.divisions
    path = shared_data() / d.file
    if not path.is_file():
        return []
    table = _table(str(path), path.stat().st_mtime)
    lang = identity.lang()
    prov = Provenance(source=d.source, dataset=d.dataset, licence=d.licence,
                      unit=Text(it="occupati", en="persons employed"), proxy=sector.proxy,
                      note=Text(it=f"NUTS 2, {d.year}", en=f"NUTS 2, {d.year}"))
    out = []
    for code in codes:
        try:
            r = divisions(table, code, d.region.code, regions.benchmark.code)
        except EvidenceError:
            continue
        out.append({**r, "level": "NUTS 2", "year": d.year,
                    "region_name": d.region.name.get(lang),
                    "country_name": regions.benchmark.name.get(lang), "provenance": prov})
    return out
