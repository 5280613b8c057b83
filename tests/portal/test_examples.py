"""The key pages of the portal, for every example plan shipped in ``innesto.examples``
(Torino on Eurostat, Worcester on the BEA): each shows its own identity, figures, texts and
regions, and nothing of the other city."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.test import Client

from innesto import examples

EXAMPLES = examples.names()


def _site(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((examples.folder(name) / "site.yaml").read_text("utf-8")))


@pytest.fixture(params=EXAMPLES)
def example(request: pytest.FixtureRequest, db: None) -> str:
    """Each shipped example loaded as ``manage.py load_plan examples/<name>`` does."""
    from innesto.portal.plans.adapter import load_into_database

    load_into_database(examples.folder(request.param))
    return str(request.param)


def _others(name: str) -> list[str]:
    """The focus-region names of the other examples (none may show on this one's pages)."""
    return [_site(o)["regions"]["focus"]["name"]["en"] for o in EXAMPLES if o != name]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_home_and_plan_pages_carry_the_examples_identity(example: str, client: Client,
                                                        lang: str) -> None:
    from innesto.portal.plans.models import Edition

    site = _site(example)
    pages = [f"/{lang}/", f"/{lang}/{'piano' if lang == 'it' else 'plan'}/"]
    pages += [f"/{lang}/{'piano' if lang == 'it' else 'plan'}/{e.slug}/"
              for e in Edition.objects.all()]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode().replace("&#x27;", "'")
        assert f"· {site['organisation'][lang]}</title>" in html, url
        assert f"--accent: {site['colours']['accent']};" in html, url
        for other in _others(example):
            assert other not in html, (url, other)


def test_sector_pages_compare_the_examples_own_regions(example: str, client: Client) -> None:
    from innesto.portal.plans.models import Sector
    from innesto.portal.sectors import evidence

    site = _site(example)
    focus = site["regions"]["focus"]["name"]["en"]
    bench = site["regions"]["benchmark"]["name"]["en"]
    try:
        evidence.panel()
    except evidence.EvidenceUnavailable:
        pytest.skip(f"the {example} example's dataset is not on this machine")
    for s in Sector.objects.all():
        html = client.get(f"/en/sectors/{s.slug}/").content.decode()
        assert f"Location quotient of {s.title_en} against {bench}" in html
        lq = client.get(f"/en/sectors/{s.slug}/chart/lq.json").json()["data"]
        assert {r["place"] for r in lq} >= {focus}
        for other in _others(example):
            assert other not in html


def test_the_measures_api_defaults_to_the_examples_focus(example: str,
                                                         client: Client) -> None:
    from innesto.portal.plans.models import Sector
    from innesto.portal.sectors import evidence

    try:
        evidence.panel()
    except evidence.EvidenceUnavailable:
        pytest.skip(f"the {example} example's dataset is not on this machine")
    sector = Sector.objects.first()
    assert sector is not None
    body = client.get(f"/api/measures/{sector.slug}").json()
    regions = _site(example)["regions"]
    assert body["region"] == regions["focus"]["code"]
    assert body["reference"] == regions["benchmark"]["code"]
    assert body["values"]
