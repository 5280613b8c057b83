"""Every public page answers in both languages, with the seed's frame and no dead link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

PAGES = {
    "it": ["/it/", "/it/piano/", "/it/piano/2006/", "/it/piano/2006/axis/",
           "/it/piano/2006/axis/obj/", "/it/piano/2006/indicatori/share/",
           "/it/piano/2006/media/message/", "/it/aiuto/", "/it/accessibilita/",
           "/it/cerca/?q=asse", "/it/settori/"],
    "en": ["/en/", "/en/plan/", "/en/plan/2006/", "/en/plan/2006/axis/",
           "/en/plan/2006/axis/obj/", "/en/plan/2006/indicators/share/",
           "/en/plan/2006/media/message/", "/en/help/", "/en/accessibility/",
           "/en/search/?q=axis", "/en/sectors/"],
}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_page_renders_with_lang_skip_link_and_nav(tiny_plan: Any, client: Client,
                                                        lang: str) -> None:
    for url in PAGES[lang]:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert f'<html lang="{lang}">' in html, url
        assert 'class="skip-link" href="#content"' in html, url
        assert 'id="content"' in html, url
        assert "Content-Security-Policy" in r.headers, url


def test_root_redirects_to_a_language(client: Client, db: None) -> None:
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302 and r["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="it")["Location"] == "/it/"


def test_header_has_the_seed_links_and_switches_to_the_same_page(tiny_plan: Any,
                                                                 client: Client) -> None:
    html = client.get("/it/piano/2006/axis/").content.decode()
    assert 'href="/en/plan/2006/axis/"' in html  # "english version", same page
    assert ">english version<" in html and ">aiuto<" in html
    for label in ("Home", "Il piano strategico", "Il secondo piano strategico"):
        assert f">{label}<" in html
    html_en = client.get("/en/plan/2006/axis/").content.decode()
    assert 'href="/it/piano/2006/axis/"' in html_en and ">italiano<" in html_en
    assert ">The second strategic plan<" in html_en and ">help<" in html_en


def test_contacts_and_mailing_list_appear_only_when_their_app_provides_them(
        tiny_plan: Any, client: Client) -> None:
    from django.urls import NoReverseMatch, reverse

    html = client.get("/en/").content.decode()
    for name, label in (("engage:contact", ">contacts<"), ("engage:subscribe", ">mailing list<")):
        try:
            url = reverse(name)
        except NoReverseMatch:
            assert label not in html
        else:
            assert f'href="{url}"' in html


def test_the_node_page_shows_status_milestones_actors_budget_and_tabs(tiny_plan: Any,
                                                                      client: Client) -> None:
    html = client.get("/en/plan/2006/axis/").content.decode()
    assert "Status:" in html and "limited progress" in html
    obj = client.get("/en/plan/2006/axis/obj/").content.decode()
    assert 'aria-current="page"' in obj  # the current tab or breadcrumb
    proj = client.get("/en/plan/2006/axis/obj/proj/").content.decode()
    assert "Milestones" in proj and "Who is responsible" in proj
    assert "Budget execution" in proj


def test_a_moved_node_redirects_to_its_current_path(tiny_plan: Any, client: Client) -> None:
    r = client.get("/en/plan/2006/old-axis/proj/")
    assert r.status_code == 301 and r["Location"] == "/en/plan/2006/axis/obj/proj/"


def test_no_internal_link_is_dead(tiny_plan: Any, client: Client) -> None:
    seen: set[str] = set()
    todo = ["/it/", "/en/"]
    while todo and len(seen) < 150:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        assert r.status_code < 400, f"{url} -> {r.status_code}"
        if "text/html" not in r.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#]*)', r.content.decode()):
            if href.startswith(("/static/", "/api/docs")) or href in seen:
                continue
            todo.append(href.replace("&amp;", "&"))
    assert len(seen) > 20


def test_media_page_says_the_file_is_unavailable_and_gives_the_transcript(
        tiny_plan: Any, client: Client) -> None:
    html = client.get("/it/piano/2006/media/message/").content.decode()
    assert "il file non è disponibile" in html and "Trascrizione di prova" in html


def test_a_node_page_without_versions_links_no_empty_history(tiny_plan: Any,
                                                             client: Client) -> None:
    """Issue 12 item 9: the link appears once a version is published (test_findable)."""
    html = client.get("/it/piano/2006/axis/obj/").content.decode()
    assert 'href="/it/storico/2006/obj/"' not in html
    assert client.get("/it/storico/2006/obj/").status_code == 200
