"""Cached pages never outlive an edit of plan content."""

from __future__ import annotations

from typing import Any

from django.test import Client

from innesto.portal.plans.models import Node


def test_an_edit_is_visible_at_once_although_pages_are_cached(tiny_plan: Any, client: Client,
                                                              settings: Any) -> None:
    settings.CACHE_SECONDS = 300
    url = "/en/plan/2006/axis/"
    first = client.get(url).content.decode()
    # A write behind the models' back (no signal) is not seen: the page is cached.
    Node.objects.filter(key="axis").update(title_en="Silent change")
    assert client.get(url).content.decode() == first
    node = Node.objects.get(key="axis")
    node.title_en = "Edited axis title"
    node.save()
    assert "Edited axis title" in client.get(url).content.decode()
