"""Sector pages of the Torino plan: honest proxies, finer NACE divisions measured by the
library, a source line beside every figure, and two proxied sectors that are not two
identical dashboards."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from tests.conftest import require_shared


def test_every_figure_has_a_source_line_and_proxies_are_named(torino_plan: Any,
                                                             client: Client) -> None:
    html = client.get("/en/sectors/ict/").content.decode()
    figures = html.count('<figure class="chart"')
    assert figures >= 4
    assert html.count('class="source-line"') >= figures
    assert "upper bound" not in html
    assert "Proxy: these codes do not match the sector's own (C26, J58.2, J61, J62, J63.1)" in html
    assert "NACE J, NUTS 3: a proxy for the sector" in html
    it = client.get("/it/settori/ict/").content.decode()
    assert "Approssimazione: questi codici non coincidono" in it


def test_automotive_and_aerospace_are_measured_by_their_own_divisions(
        torino_plan: Any, client: Client) -> None:
    """The finer table shows C29 for automotive and C30 for aerospace, with the library's
    location quotients (:func:`innesto.evidence.divisions` on the shared SBS table)."""
    from innesto.evidence import divisions, read_divisions

    table = read_divisions(require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv"))
    pages = {}
    for slug, code in (("automotive", "C29"), ("aerospace", "C30")):
        html = client.get(f"/en/sectors/{slug}/").content.decode()
        assert f'data-division="{code}"' in html, slug
        assert "Piedmont, NUTS 2, 2015" in html
        shown = float(re.search(r'data-lq="([0-9.eE+-]+)"', html).group(1))  # type: ignore[union-attr]
        assert shown == divisions(table, code, "ITC1", "IT")["lq_country"]
        assert "The same provincial series measure" in html
        pages[slug] = html
    assert 'data-division="C30"' not in pages["automotive"]
    assert 'data-division="C29"' not in pages["aerospace"]
