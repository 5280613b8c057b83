"""The crawl's memory of parsed colours (:data:`tests.portal.browser.AXE_COLOR_MEMO_JS`)
changes nothing axe-core's ``color-contrast`` rule finds, on a page of tricky colours and
on a sector page with its data tables open.

What is pinned: every result of the rule (violations, incomplete and passes, each node's
target and the data axe gives for it: colours, contrast ratio, font size and weight,
message key) is equal with and without the memory; the memory was used (strings were
seen again); and on the tricky page axe still finds the planted low-contrast texts, so
the comparison is not between two empty lists. The reference is axe-core itself, run
unchanged on the same document.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.browser import (
    AXE_COLOR_MEMO_JS,
    CHARTS_DRAWN_JS,
    OPEN_DETAILS_JS,
    axe_source,
    axe_violations,
)

pytestmark = pytest.mark.browser

#: Every result of ``color-contrast``, as plain data: per result type, per node, its
#: target and what each check said about it.
CONTRAST_JS = """() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})
  .then(r => Object.fromEntries(['violations', 'incomplete', 'passes'].map(kind => [kind,
    r[kind].flatMap(rule => rule.nodes.map(n => ({
      target: n.target.join(' '), impact: n.impact,
      checks: [...n.any, ...n.all, ...n.none].map(c => ({id: c.id, data: c.data}))})))])))"""

#: Colours written every way CSS allows (hex of 3, 4, 6 and 8 digits, rgb and hsl with
#: and without alpha, angles in deg, rad and turn, names, oklch, lab, color(), transparent
#: layers over a background, opacity, large and bold text); several elements share each
#: string, so the memory is used; three texts are planted below 4.5:1.
TRICKY = """<!doctype html><html lang="en"><head><title>colours</title><style>
body { background: #fdfdfd; color: #222; font: 16px sans-serif; }
.a { color: #767676; } .b { color: #7778; } .c { color: rgb(90 90 90 / 0.9); }
.d { color: hsl(0 0% 30%); } .e { color: hsl(3.14rad 40% 30%); } .f { color: hsl(0.5turn 60% 25%); }
.g { color: navy; } .h { color: oklch(45% 0.1 250); } .i { color: lab(35% 20 -30); }
.j { color: color(display-p3 0.2 0.3 0.4); } .k { background: rgba(0, 0, 80, 0.1); }
.l { background: hsla(120, 50%, 20%, 0.95); color: #f0f0f0; } .m { opacity: 0.8; }
.big { font-size: 24px; } .bold { font-weight: 700; font-size: 19px; }
.low1 { color: #aaaaaa; } .low2 { color: rgb(170 170 255); background: #ffffff; }
.low3 { background: hsl(60 100% 50%); color: hsl(60 100% 40%); }
</style></head><body><main><h1>Colours</h1>
REPEAT
<p class="low1">planted: grey on white</p><p class="low2">planted: pale blue</p>
<p class="low3">planted: yellow on yellow</p></main></body></html>"""
ROWS = "".join(
    f'<div class="k"><p class="{c}">text {c} {n}</p><p class="{c} big">large {c}</p>'
    f'<p class="{c} bold">bold {c}</p><div class="l"><span>{c} on dark</span></div>'
    f'<div class="m"><span class="{c}">faded {c}</span></div></div>'
    for n in range(3) for c in "abcdefghij")


def _with_and_without_memory(page: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    page.evaluate(axe_source())
    plain = page.evaluate(CONTRAST_JS)
    page.evaluate(AXE_COLOR_MEMO_JS)
    remembered = page.evaluate(CONTRAST_JS)
    return plain, remembered, page.evaluate("window.__axeColorMemo")


def test_the_colour_memory_changes_no_result_on_tricky_colours(chromium_page: Any) -> None:
    page = chromium_page
    page.set_content(TRICKY.replace("REPEAT", ROWS))
    plain, remembered, stats = _with_and_without_memory(page)
    assert remembered == plain
    planted = {n["target"] for n in plain["violations"]}
    assert {".low1", ".low2", ".low3"} <= planted, planted
    assert len(plain["passes"]) > 100
    assert stats["hits"] > 10 * stats["misses"] > 0, stats
    # The runner the other browser tests use reports them too (so those tests can fail).
    found = {v["id"]: v for v in axe_violations(page)}
    assert {n["target"][0] for n in found["color-contrast"]["nodes"]} >= {".low1", ".low2",
                                                                         ".low3"}


def test_the_colour_memory_changes_no_result_on_a_sector_page(
        site: str, chromium_page: Any) -> None:
    page = chromium_page
    page.goto(site + "/en/sectors/ict/", wait_until="networkidle")
    page.wait_for_function(CHARTS_DRAWN_JS)
    page.evaluate(OPEN_DETAILS_JS)  # the data tables, as the crawl checks them
    plain, remembered, stats = _with_and_without_memory(page)
    assert remembered == plain
    assert len(plain["passes"]) > 500  # the open tables' cells were checked
    assert stats["hits"] > stats["misses"] > 0, stats
