"""Build the small map of Italy's provinces shipped with the portal.

``python -m innesto.portal.sectors.build_map [SOURCE.geojson]`` keeps the Italian NUTS 3
regions of GISCO's NUTS 2021 1:60 million outlines (default: the copy in
``../shared/data/nuts2021-geometry-60m/``), rounds coordinates to 3 decimals and writes
``data/italy-nuts3-2021-60m.geojson`` atomically. © EuroGeographics for the administrative
boundaries (GISCO terms: attribution required).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from innesto._atomic import atomic_path

ROOT = Path(__file__).resolve().parents[4]
DEFAULT = (ROOT.parent / "shared" / "data" / "nuts2021-geometry-60m"
           / "NUTS_RG_60M_2021_4326_LEVL_3.geojson")
OUT = Path(__file__).resolve().parent / "data" / "italy-nuts3-2021-60m.geojson"
ATTRIBUTION = "© EuroGeographics for the administrative boundaries (GISCO NUTS 2021, 1:60M)"


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), 3)
    return [_round(c) for c in coords]


def build(source: Path, out: Path = OUT) -> int:
    """Write the Italian NUTS 3 outlines of ``source`` to ``out``; return how many."""
    data = json.loads(source.read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = []
    for f in data["features"]:
        p = f["properties"]
        if p.get("CNTR_CODE") != "IT" or int(p.get("LEVL_CODE", 3)) != 3:
            continue
        features.append({
            "type": "Feature",
            "properties": {"NUTS_ID": p["NUTS_ID"], "NUTS_NAME": p.get("NUTS_NAME", "")},
            "geometry": {"type": f["geometry"]["type"],
                         "coordinates": _round(f["geometry"]["coordinates"])},
        })
    features.sort(key=lambda f: str(f["properties"]["NUTS_ID"]))
    doc = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
    return len(features)


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    print(f"{build(src)} provinces -> {OUT}")
