"""Share and embed: every chart has a permalink, embed code, PNG and SVG images carrying
the source line; only the embed route may be framed by another site."""

from __future__ import annotations

from typing import Any

from django.test import Client

from innesto.portal.plans.models import Sector


def _sector(db: None) -> Sector:
    from innesto.plan.site import load_site
    from innesto.portal.site import identity
    from tests.portal.conftest import TORINO  # the Torino site names the focus region

    identity.store("torino", load_site(TORINO))
    return Sector.objects.create(slug="ict", title_it="ICT", title_en="ICT", industries=["J"])


def test_each_chart_offers_permalink_embed_code_png_and_svg(db: None, client: Client) -> None:
    _sector(db)
    html = client.get("/en/sectors/ict/").content.decode()
    for chart in ("employment", "lq", "map"):
        assert f'value="http://testserver/en/sectors/ict/#chart-{chart}"' in html
        assert (f'&lt;iframe src="http://testserver/en/sectors/ict/chart/{chart}/embed/"'
                in html)
        assert f"/en/sectors/ict/chart/{chart}.png" in html
        assert f"/en/sectors/ict/chart/{chart}.svg" in html


def test_images_carry_the_source_line(db: None, client: Client) -> None:
    _sector(db)
    png = client.get("/en/sectors/ict/chart/lq.png")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get("/en/sectors/ict/chart/lq.svg").content.decode()
    assert "Source: Eurostat, nama_10r_3empers" in svg


def test_only_the_embed_route_may_be_framed(db: None, client: Client) -> None:
    _sector(db)
    page = client.get("/en/sectors/ict/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    embed = client.get("/en/sectors/ict/chart/lq/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors" not in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]  # the rest stays strict
    body = embed.content.decode()
    assert "Source" in body and "Eurostat" in body  # the embed carries its source line
    assert "Share and embed" not in body


def test_compare_charts_embed_with_their_query(torino_plan: Any, client: Client) -> None:
    html = client.get("/en/compare/?indicator=2006/lq-ict&regions=ITC11").content.decode()
    assert "/en/compare/chart/lines/embed/?indicator=2006%2Flq-ict&amp;regions=ITC11" in html
    embed = client.get("/en/compare/chart/lines/embed/?indicator=2006%2Flq-ict&regions=ITC11")
    assert embed.status_code == 200 and "frame-ancestors" not in embed["Content-Security-Policy"]
