"""Findable (issue 12 item 9): branded bilingual error pages, the monitoring report linked
from its edition, and a version-history link only where a page has versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.parametrize(("url", "lang", "words"), [
    ("/it/piano/2006/non-esiste/", "it", "Pagina non trovata"),
    ("/en/plan/2006/no-such-page/", "en", "Page not found"),
    ("/en/no-such-page/", "en", "Page not found"),
])
def test_404_is_the_sites_own_page_in_the_language_of_the_address(
        tiny_plan: Any, client: Client, url: str, lang: str, words: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html and f"<h1>{words}</h1>" in html
    assert 'class="site-header"' in html and 'class="skip-link"' in html  # the site's frame


@pytest.mark.parametrize(("prefix", "lang", "words"), [
    ("/it/", "it", "Si è verificato un errore"), ("/en/", "en", "Something went wrong")])
def test_500_is_the_sites_own_page_and_never_a_traceback(
        tiny_plan: Any, settings: Any, prefix: str, lang: str, words: str) -> None:
    from django.urls import path

    from innesto.portal import urls as root

    def boom(request: Any) -> Any:
        raise RuntimeError("secret detail")

    settings.ROOT_URLCONF = type("Conf", (), {
        "urlpatterns": [path(prefix.strip("/") + "/boom/", boom), *root.urlpatterns],
        "handler404": root.handler404, "handler500": root.handler500})
    r = Client(raise_request_exception=False).get(prefix + "boom/")
    html = r.content.decode()
    assert r.status_code == 500 and f"<h1>{words}</h1>" in html
    assert f'<html lang="{lang}">' in html and "secret detail" not in html
    assert "Traceback" not in html


def test_500_page_falls_back_to_plain_bilingual_text_when_the_frame_fails(
        tiny_plan: Any, rf: Any, monkeypatch: Any) -> None:
    from innesto.portal.site import views

    def broken(*a: Any, **k: Any) -> str:
        raise RuntimeError("database is down")

    monkeypatch.setattr("django.template.loader.render_to_string", broken)
    r = views.server_error(rf.get("/en/x/"))
    html = r.content.decode()
    assert r.status_code == 500 and "<h1>Something went wrong</h1>" in html
    assert '<html lang="en">' in html


def test_the_edition_links_its_monitoring_report_and_pdf(tiny_plan: Any, client: Client) -> None:
    html = client.get("/en/plan/2006/").content.decode()
    assert 'href="/en/report/2006/"' in html and 'href="/en/report/2006/report.pdf"' in html
    html_it = client.get("/it/piano/2006/").content.decode()
    assert "Rapporto di monitoraggio" in html_it


def test_version_history_is_linked_only_where_a_page_has_versions(
        tiny_plan: Any, client: Client) -> None:
    from django.utils import timezone

    from innesto.portal.backoffice.models import NodeVersion
    from innesto.portal.plans.models import Node

    assert "Version history of this page" not in client.get("/en/plan/2006/axis/").content.decode()
    node = Node.objects.get(edition__slug="2006", key="axis")
    NodeVersion.objects.create(node=node, number=1, published_at=timezone.now(),
                               data={"title_en": "Axis"})
    html = client.get("/en/plan/2006/axis/").content.decode()
    assert "Version history of this page" in html
