"""The identity of the site being served: organisation, city, logo, colours, contacts, mail
sender and the evidence regions, all from the loaded plan's ``site.yaml``.

Nothing in the portal names a city or a region: templates read ``site`` (the context
processor :func:`innesto.portal.site.context.portal` puts it there), code calls
:func:`current` or :func:`regions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from innesto.plan.i18n import Text
from innesto.plan.site import Regions, Site
from innesto.portal.plans.models import PlanSetDocument
from innesto.portal.site.models import SiteIdentity

#: What a portal with no plan loaded calls itself.
NEUTRAL = Site(organisation=Text(it="innesto", en="innesto"),
               city=Text(it="la città", en="the city"))


def current() -> Site:
    """The site of the most recently loaded plan set; a plan stored without a site (by
    ``load_planset`` alone) is named by its own title and owner; :data:`NEUTRAL` before
    any plan."""
    try:
        row = SiteIdentity.objects.order_by("-loaded_at").first()
        if row is not None:
            return Site.model_validate(row.document)
        doc = PlanSetDocument.objects.order_by("-loaded_at").values_list(
            "document", flat=True).first()
    except DatabaseError:  # tables not created yet (e.g. ``check`` before ``migrate``)
        return NEUTRAL
    if not doc or "title" not in doc:
        return NEUTRAL
    title = Text.model_validate(doc["title"])
    owner = Text.model_validate(doc["owner"]) if doc.get("owner") else title
    return Site(organisation=owner, city=title, title=title)


def store(planset: str, site: Site) -> None:
    """Remember ``site`` as the identity of ``planset`` (called when a plan is loaded)."""
    with transaction.atomic():
        SiteIdentity.objects.update_or_create(planset=planset, defaults={
            "document": site.model_dump(mode="json", exclude_none=True),
            "loaded_at": timezone.now()})


def known(planset: str) -> bool:
    """Whether an identity was stored for ``planset``."""
    return SiteIdentity.objects.filter(planset=planset).exists()


def regions() -> Regions | None:
    """The evidence regions of the site (``None`` when its plan names none)."""
    return current().regions


def mail_sender(site: Site | None = None) -> str:
    """``DEFAULT_FROM_EMAIL`` when set in the environment, else the site's sender, else a
    neutral one: the sender of every message."""
    if getattr(settings, "DEFAULT_FROM_EMAIL_FROM_ENV", False):
        return str(settings.DEFAULT_FROM_EMAIL)
    site = site or current()
    return site.mail_sender or str(settings.DEFAULT_FROM_EMAIL)


def lang() -> str:
    return (get_language() or "it")[:2]


@dataclass(frozen=True)
class View:
    """The site's identity for templates, in the language active when a field is read (a
    mail rendered under ``translation.override`` gets its own language)."""

    site: Site

    def _t(self, text: Text | None) -> str:
        return text.get(lang()) if text is not None else ""

    @property
    def organisation(self) -> str:
        return self._t(self.site.organisation)

    @property
    def city(self) -> str:
        return self._t(self.site.city)

    @property
    def title(self) -> str:
        return self._t(self.site.title) or self.organisation

    @property
    def tagline(self) -> str:
        return self._t(self.site.tagline)

    @property
    def data_credit(self) -> str:
        return self._t(self.site.data_credit)

    @property
    def address(self) -> str:
        return self._t(self.site.contacts.address)

    @property
    def focus(self) -> str:
        r = self.site.regions
        return self._t(r.focus.name) if r else self.city

    @property
    def benchmark(self) -> str:
        r = self.site.regions
        return self._t(r.benchmark.name) if r else ""

    @property
    def logo(self) -> str | None:
        return self.site.logo

    @property
    def colours(self) -> object:
        return self.site.colours

    @property
    def contacts(self) -> object:
        return self.site.contacts


def view(site: Site | None = None) -> View:
    return View(site or current())


def contact(site: Site | None = None) -> tuple[str, str]:
    """(name, address) that receives contact-form questions no office is responsible for:
    ``INNESTO_CONTACT_EMAIL`` when set, else the site's ``contacts.email``."""
    site = site or current()
    name = site.organisation.get(lang())
    return name, str(getattr(settings, "ENGAGE_CONTACT_EMAIL", "") or site.contacts.email or "")
