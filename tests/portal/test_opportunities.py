"""The opportunities of a sector: relatedness density on NACE divisions across European
NUTS 2 regions (Eurostat SBS 2015), for the plan's region, never the sector itself.

The density is recomputed here with plain NumPy from the formula of Hidalgo et al. (2007)
(RCA >= 1 presence, proximity = co-occurrence / max ubiquity, zero diagonal, density =
M phi / column sums of phi), sharing no code with innesto.measures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.test import Client

from innesto.portal.plans.models import Sector
from tests.conftest import require_shared


@pytest.fixture
def sectors(db: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Sector]:
    sbs = require_shared("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2.csv")
    monkeypatch.setenv("INNESTO_SBS_FILE", str(sbs))
    from innesto.portal.sectors import opportunities

    opportunities.table.cache_clear()
    opportunities._measures.cache_clear()
    from innesto.plan.site import load_site
    from innesto.portal.site import identity
    from tests.portal.conftest import TORINO  # the Torino site names the focus region

    identity.store("torino", load_site(TORINO))
    make = Sector.objects.create
    return {
        "ict": make(slug="ict", title_it="ICT", title_en="ICT", industries=["J"],
                    nace=["C26", "J58.2", "J61", "J62", "J63.1"]),
        "automotive": make(slug="automotive", title_it="Automotive", title_en="Automotive",
                           industries=["C"], nace=["C29"], position=1),
        "finance": make(slug="finance", title_it="Finanza", title_en="Finance",
                        industries=["K"], nace=["K"], position=2),
    }


def _numpy_density(region: str) -> dict[str, tuple[float, float]]:
    """(rca, density) of ``region`` per NACE division, from the table's cells."""
    from innesto.portal.sectors import opportunities

    df = opportunities.table().panel.to_pandas()
    w = df.pivot_table(index="region", columns="industry", values="value", aggfunc="sum")
    x = w.fillna(0.0).to_numpy()
    with np.errstate(invalid="ignore"):  # regions with no published cell: no RCA
        rca = (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0) / x.sum())
    m = (rca >= 1).astype(float)
    co = m.T @ m
    u = np.diag(co).copy()
    phi = co / np.maximum.outer(u, u)
    np.fill_diagonal(phi, 0.0)
    dens = (m @ phi) / phi.sum(axis=0)
    k = list(w.index).index(region)
    return {c: (float(rca[k, j]), float(dens[k, j])) for j, c in enumerate(w.columns)}


def _data(client: Client, slug: str, lang: str = "en") -> list[dict[str, Any]]:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(lang):
        r = client.get(reverse("sectors:chart", args=[slug, "opportunity", "json"]))
    assert r.status_code == 200
    return list(r.json()["data"])


def test_densities_are_the_formulas_for_the_plans_nuts2_region(sectors: Any,
                                                               client: Client) -> None:
    """The focus ITC11 (a province) is read on the SBS table as its NUTS 2 region ITC1."""
    want = _numpy_density("ITC1")
    rows = _data(client, "automotive")
    assert len(rows) == 10
    for r in rows:
        code = r["industry"].rsplit("(", 1)[1].rstrip(")")
        rca, dens = want[code]
        assert r["density"] == pytest.approx(dens, rel=1e-9)
        assert r["rca"] == pytest.approx(rca, rel=1e-9) and rca < 1
    assert [r["density"] for r in rows] == sorted((r["density"] for r in rows), reverse=True)


def test_never_the_sector_itself_and_each_sector_its_own_list(sectors: Any,
                                                              client: Client) -> None:
    ict = _data(client, "ict")
    auto = _data(client, "automotive")
    own = {"C26", "J58", "J61", "J62", "J63"}
    assert not any(f"({c})" in r["industry"] for r in ict for c in own)
    assert not any("(C29)" in r["industry"] for r in auto)
    assert [r["industry"] for r in ict] != [r["industry"] for r in auto]
    # Names, not only codes, in both languages (NACE titles; Istat's ATECO in Italian).
    assert any(r["industry"].startswith("Manufacture of") for r in auto)
    assert any(r["industry"].startswith("Fabbricazione di") for r in _data(client, "automotive", "it"))


def test_a_sector_outside_the_table_says_so(sectors: Any, client: Client) -> None:
    """Finance (K) is outside the business economy the SBS covers."""
    page = client.get("/en/sectors/finance/").content.decode()
    assert "The table has no data for this sector" in page
    assert "relatedness density" in page and "Hidalgo" in page
    assert len(_data(client, "finance")) == 10


def test_the_opportunities_and_projects_tab_names_them(torino_plan: Any, client: Client,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The axis that holds the plan's sectors lists, under its projects, each sector's
    three nearest candidates, linked to the sector's opportunities chart."""
    monkeypatch.setenv("INNESTO_SBS_FILE", str(require_shared("eurostat-sbs-nuts2-2015",
                                                              "sbs_r_nuts06_r2.csv")))
    html = client.get("/en/plan/2006/industrial-transformation/?tab=project").content.decode()
    assert "Industries the region could move into" in html
    assert "/en/sectors/ict/#chart-opportunity" in html
    top = _data(client, "ict")[0]["industry"]
    assert top in html
