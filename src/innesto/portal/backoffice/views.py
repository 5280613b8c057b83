"""Back-office pages beyond the model admin: translation completeness."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from innesto.portal.backoffice.translations import missing_all
from innesto.portal.plans.models import Edition


def translations(request: HttpRequest) -> HttpResponse:
    """Every missing Italian or English text, per edition, with links to fix it."""
    if not request.user.has_perm("backoffice.view_translations"):
        raise PermissionDenied
    edition = Edition.objects.filter(slug=request.GET.get("edition", "")).first()
    missing = missing_all(edition)
    return TemplateResponse(request, "backoffice/translations.html", {
        **admin.site.each_context(request), "title": _("Translation completeness"),
        "missing": missing, "editions": Edition.objects.all(), "edition": edition,
        "by_language": Counter(m.language for m in missing)})
