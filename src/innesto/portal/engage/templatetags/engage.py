"""``{% follow_url obj %}``: the subscribe page with the list that follows ``obj`` (an axis,
a sector or an indicator) preselected, for "Follow" links on plan pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from innesto.portal.engage.lists import slug_for
from innesto.portal.plans.models import Indicator, Node, Sector

register = template.Library()


@register.simple_tag
def follow_url(obj: Node | Sector | Indicator) -> str:
    node = obj
    if isinstance(node, Node):
        while node.parent is not None:  # a node is followed through its axis
            node = node.parent
    return reverse("engage:subscribe") + "?" + urlencode({"list": slug_for(node)})
