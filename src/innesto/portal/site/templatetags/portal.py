"""Template helpers: optional links, the same page in the other language, numbers."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """The URL of ``name`` or ``""`` when no app provides it (no dead links: the header
    shows the contacts and mailing-list links only once the ``engage`` app is installed)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def other_language_url(context: dict[str, Any], lang: str) -> str:
    """This page's URL in ``lang`` (its translated path), keeping the query string."""
    request = context["request"]
    url = translate_url(request.get_full_path(), lang)
    if url == request.get_full_path() and not url.startswith(f"/{lang}/"):
        return f"/{lang}/"
    return url


@register.filter
def num(value: Any, digits: int = 0) -> str:
    """A localised number (``1.234,5`` in Italian, ``1,234.5`` in English); blank → –."""
    if value is None or value == "":
        return "–"
    try:
        return number_format(round(float(value), digits), digits, force_grouping=True)
    except (TypeError, ValueError):
        return str(value)


@register.filter
def num_auto(value: Any) -> str:
    """A localised number with as many decimals as it needs (``fmt_number``): ``11,9``
    in Italian, ``220,500`` in English; blank → –."""
    from django.utils.translation import get_language

    from innesto.plan.i18n import fmt_number

    if value is None or value == "":
        return "–"
    try:
        return fmt_number(float(value), "en" if (get_language() or "it").startswith("en") else "it")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def long_date(value: Any) -> str:
    """An unambiguous date in the active language: ``1 October 2005``, ``1 ottobre 2005``
    (never ``10/01/2005``); datetimes in the site's time zone; blank → –."""
    from datetime import datetime

    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    if not value:
        return "–"
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = date_format(value, "j F Y")
    return text.lower() if (get_language() or "it").startswith("it") else text


@register.simple_tag
def vega_locale() -> str:
    """The active language's number and time locale for Vega, as JSON for a
    ``<script type="application/json">`` element (``charts.js`` reads it)."""
    import json

    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    from innesto.portal.site.vega import locale

    text = json.dumps(locale(get_language() or "it"), ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c"))  # noqa: S308 - JSON of our own constants
