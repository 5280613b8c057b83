"""Sector dashboards show the evidence engine's numbers, and the API gives the same."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from innesto.portal.plans.models import Sector


@pytest.fixture
def ict(db: None) -> Sector:
    """One sector (NACE J) with the Torino example's site: its regions and dataset."""
    from innesto.plan.site import load_site
    from innesto.portal.site import identity
    from tests.portal.conftest import TORINO

    identity.store("torino", load_site(TORINO))
    return Sector.objects.create(slug="ict", title_it="ICT", title_en="ICT", industries=["J"])


def _engine_lq(region: str, industry: str, year: str) -> float:
    from innesto import datasets
    from innesto.measures.specialisation import location_quotient

    p = datasets.employment_italy().filter(region=[region, "IT"], industry=[industry, "TOTAL"],
                                           time=year)
    lq = location_quotient(p, reference_region="IT", total_industry="TOTAL")
    return float(lq[(lq.region == region) & (lq.industry == industry)]["lq"].iloc[0])


def test_the_dashboard_has_the_four_charts_with_tables_and_downloads(ict: Sector,
                                                                     client: Client) -> None:
    html = client.get("/en/sectors/ict/").content.decode()
    for chart in ("employment", "lq", "shift-share", "opportunity", "map"):
        assert f'id="chart-{chart}"' in html
        assert f"/en/sectors/ict/chart/{chart}.csv" in html
    assert "© EuroGeographics" in html
    # Vega runs with its expression interpreter: the page keeps the strict script policy
    assert "'unsafe-eval'" not in client.get("/en/sectors/ict/")["Content-Security-Policy"]


def test_lq_csv_equals_the_engines_location_quotient(ict: Sector, client: Client) -> None:
    """Identity with innesto.measures.specialisation.location_quotient (Torino, J, 2010)."""
    rows = list(csv.DictReader(io.StringIO(
        client.get("/en/sectors/ict/chart/lq.csv").content.decode())))
    got = {(r["place"], r["time"]): float(r["lq"]) for r in rows if r["lq"]}
    # the places are named in the page's language by the example's site.yaml
    assert got[("Turin", "2010")] == pytest.approx(_engine_lq("ITC11", "J", "2010"), rel=1e-12)
    assert got[("Piedmont", "2010")] == pytest.approx(_engine_lq("ITC1", "J", "2010"), rel=1e-12)


def test_shift_share_components_add_up_and_match_the_engine(ict: Sector, client: Client) -> None:
    """Identity: total = national + industry mix + competitive, as the engine returns it."""
    from innesto import datasets
    from innesto.measures.shift_share import shift_share

    data = client.get("/en/sectors/ict/chart/shift-share.json").json()["data"]
    j = next(r for r in data if r["industry"] == "J")
    assert j["total"] == pytest.approx(j["national"] + j["industry_mix"] + j["competitive"])
    assert j["sector"] == "yes"
    parts = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
    have = set(datasets.employment_italy().industries)
    parts = [c if c in have else c.replace("-", "_") for c in parts]
    p = datasets.employment_italy().filter(region=["ITC11", "IT"],
                                           industry=[*parts, "TOTAL"]).dropna()
    ss = shift_share(p, focus="ITC11", reference_region="IT", start="2000", end="2017",
                     total_industry="TOTAL", industries=parts)
    want = ss.set_index("industry").loc["J"]
    assert j["competitive"] == pytest.approx(float(want["competitive"]))


def test_the_map_covers_italys_provinces_with_attribution(ict: Sector, client: Client) -> None:
    data = client.get("/it/settori/ict/grafico/map.json").json()
    assert len(data["data"]) >= 100
    assert "EuroGeographics" in data["source"]
    torino = next(r for r in data["data"] if r["region"] == "ITC11")
    assert torino["lq"] == pytest.approx(_engine_lq("ITC11", "J", "2017"), rel=1e-12)
    svg = client.get("/it/settori/ict/grafico/map.svg")
    assert svg.status_code == 200 and b"<path" in svg.content


def test_api_measures_for_a_region_and_sector(ict: Sector, client: Client) -> None:
    out = client.get("/api/measures/ict?region=ITC11").json()
    by_year = {v["time"]: v for v in out["values"]}
    assert by_year["2010"]["lq"] == pytest.approx(_engine_lq("ITC11", "J", "2010"), rel=1e-12)
    assert client.get("/api/measures/ict?region=XX99").status_code == 404


def test_employment_index_shares_one_base_year(ict: Sector, client: Client) -> None:
    """Identity: every place's index is 100 in the first year all three have data (2000:
    Torino's series starts there), and blank before it."""
    data = client.get("/en/sectors/ict/chart/employment.json").json()["data"]
    base = [r for r in data if r["time"] == "2000"]
    assert len(base) == 3 and all(r["index"] == pytest.approx(100.0) for r in base)
    assert all(r["index"] is None for r in data if r["time"] < "2000")
