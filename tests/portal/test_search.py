"""Site search in both languages (PostgreSQL full-text search, or the SQLite fallback)."""

from __future__ import annotations

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
