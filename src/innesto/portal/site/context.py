"""Template context shared by every page: the site's identity (``site``, from the plan's
``site.yaml``) and the featured edition and node for the header."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from innesto.portal.plans.models import Edition, Node
from innesto.portal.site import identity


def featured() -> tuple[Edition | None, Node | None]:
    """The edition and axis the header links to (the seed's "second strategic plan" and
    "industrial transformation"): ``INNESTO_FEATURED_EDITION`` or the edition that defines
    sectors, and its first top-level node that has sectors."""
    want = getattr(settings, "INNESTO_FEATURED_EDITION", "")
    edition = None
    if want:
        edition = Edition.objects.filter(slug=want).first()
    if edition is None:
        edition = (
            Edition.objects.filter(nodes__sectors__isnull=False).order_by("year").distinct().first()
            or Edition.objects.order_by("-year").first()
        )
    if edition is None:
        return None, None
    node = (
        Node.objects.filter(edition=edition, sectors__isnull=False).order_by("position").first()
        or Node.objects.filter(edition=edition, parent=None).order_by("position").first()
    )
    return edition, node


def portal(request: HttpRequest) -> dict[str, Any]:
    edition, node = featured()
    return {"featured_edition": edition, "featured_node": node, "site": identity.view()}
