"""Every kind of chart the example site draws is a valid Vega-Lite spec.

The portal builds its specs with Altair without Altair's own validation
(:func:`innesto.portal.site.vega._plain`: it was most of a cold page's chart CPU), so this
test is where they are validated. What is pinned: the specs embedded in a sector page
(employment lines, location quotients, shift-share bars, the regional map), an
indicator page (observed values, planned path, tolerance band) and the compare page, and
the compare ranking's Vega-Lite download, each validated with jsonschema against the
Vega-Lite schema Altair ships (``altair/vegalite/v6/schema/vega-lite-schema.json``, the
published schema, not code of ``src/``). A spec with a misspelt mark is rejected by the
same validator, so the check can fail.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SPEC_SCRIPT = re.compile(r'<script type="application/json" id="(spec-[^"]+)">(.*?)</script>',
                         re.S)
PAGES = {
    "/en/sectors/ict/": {"employment", "lq", "shift-share", "map"},
    "/en/plan/2006/indicators/ss-manufacturing/": None,
    "/en/compare/?indicator=2006/lq-ict": None,
}


@cache
def validator() -> Any:
    import altair
    import jsonschema

    path = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    schema = json.loads(path.read_text())
    return jsonschema.validators.validator_for(schema)(schema)


def problems(spec: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator().iter_errors(spec)]


@pytest.mark.parametrize("url", list(PAGES))
def test_the_charts_of_a_page_are_valid_vega_lite(torino_plan: Any, client: Any,
                                                  url: str) -> None:
    specs = dict(SPEC_SCRIPT.findall(client.get(url).content.decode()))
    assert specs, f"no chart on {url}"
    wanted = PAGES[url]
    if wanted is not None:  # the chart kinds named above are all there
        assert {k.removeprefix("spec-") for k in specs} >= wanted, sorted(specs)
    for slug, text in specs.items():
        spec = json.loads(text)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
        assert problems(spec) == [], (url, slug)


def test_the_compare_ranking_download_is_valid_vega_lite(torino_plan: Any, client: Any) -> None:
    spec = client.get("/en/compare/chart/ranking.vl.json?indicator=2006/lq-ict").json()
    assert problems(spec) == []


def test_an_invalid_spec_is_rejected() -> None:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "data": {"values": [{"a": 1}]}, "mark": "lien",
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    assert problems(spec) != []
    spec["mark"] = "line"
    assert problems(spec) == []
