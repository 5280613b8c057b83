"""Site search in both languages (PostgreSQL full-text search, or the SQLite fallback)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.utils import translation

from innesto.portal.plans.search import search_plan


def test_search_finds_plan_content_in_the_active_language(tiny_plan: Any) -> None:
    with translation.override("it"):
        it_titles = [h.title for h in search_plan("messaggio")]
    with translation.override("en"):
        en_titles = [h.title for h in search_plan("transcript")]
    assert it_titles == ["Messaggio"] and en_titles == ["Message"]


def test_search_page_lists_results_with_links(tiny_plan: Any, client: Client) -> None:
    html = client.get("/en/search/?q=message").content.decode()
    assert 'href="/en/plan/2006/media/message/"' in html and "1 result" in html
    assert "0 results" in client.get("/en/search/?q=zzzzqqq").content.decode()


def test_words_match_whole_or_as_a_prefix_never_inside_a_word(torino_plan: Any) -> None:
    """Issue 12 item 9: "ICT" finds ICT pages but not "district" (Torino Wireless district,
    aerospace district in the Torino plan); a prefix finds the longer word."""
    with translation.override("en"):
        ict = search_plan("ICT")
        titles = " | ".join(h.title + " " + h.snippet for h in ict)
        assert ict and all(re.search(r"(?i)\bict", h.title + " " + h.snippet) for h in ict), titles
        district = search_plan("district")
        assert district  # the word itself is there
        assert {h.url for h in district} - {h.url for h in ict}  # so "ICT" did not match it
        assert search_plan("aerosp")  # a prefix of "aerospace"
        assert not search_plan("erospace")  # the inside of a word


def test_each_result_says_its_edition(torino_plan: Any, client: Client) -> None:
    html = client.get("/en/search/?q=ICT").content.decode()
    assert "edition 2006 · " in html
    it = client.get("/it/cerca/?q=ICT").content.decode()
    assert "edizione 2006 · " in it
