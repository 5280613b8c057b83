"""Which office receives a contact-form question: the actor responsible for the chosen
axis, sector or project (from the plan's actors registry), else the association's office.

Topic keys are ``general``, ``node:<id>`` and ``sector:<id>``. For a node the lead actor of
the node itself, then of its ancestors, is used; "lead" is recognised in the role's text
(``lead``, ``coordinator``); a node with no lead falls back to any actor with
an office contact, then to the site's contact (``INNESTO_CONTACT_EMAIL`` or ``site.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from innesto.portal.engage.models import OfficeContact
from innesto.portal.plans.models import Edition, Node, Role, Sector
from innesto.portal.site import identity

LEAD_ROLES = ("lead", "coordinator", "owner")


@dataclass(frozen=True)
class Route:
    key: str
    label: str
    name: str
    email: str


def default_route(key: str = "general", label: str | None = None) -> Route:
    name, email = identity.contact()
    return Route(key, label or _("General question"), name, email)


def _edition() -> Edition | None:
    return Edition.objects.order_by("-year").first()


def topics() -> list[tuple[str, str]]:
    """(key, label) choices in the active language: general, then the nodes of every
    edition (newest first, each label led by its edition's year), then the sectors."""
    choices = [("general", str(_("General question")))]
    nodes = Node.objects.select_related("edition").order_by("-edition__year", "position")
    for node in nodes:
        depth = node.path.count("/")  # the path holds the ids from the root: no query
        choices.append((f"node:{node.pk}",
                        f"{node.edition.year} " + "— " * (depth + 1) + node.title))
    for sector in Sector.objects.all():
        choices.append((f"sector:{sector.pk}", _("Sector: %(name)s") % {"name": sector.title}))
    return choices


def _office_for(node: Node | None) -> OfficeContact | None:
    while node is not None:
        roles = list(Role.objects.filter(node=node, actor__office_contact__isnull=False)
                     .select_related("actor__office_contact"))
        leads = [r for r in roles if r.role.lower() in LEAD_ROLES]
        for role in leads or roles:
            return role.actor.office_contact
        node = node.parent
    return None


def _plain(label: str) -> str:
    """A topic's label without the indentation dashes: ``2006 Axis title``."""
    return " ".join(w for w in label.split() if w != "—")


def route(key: str) -> Route:
    """The recipient for a topic key (unknown keys go to the association's office)."""
    label = dict(topics()).get(key)
    if label is None:
        return default_route()
    kind, _sep, raw = key.partition(":")
    node: Node | None = None
    if kind == "node":
        node = Node.objects.filter(pk=raw).first()
    elif kind == "sector":
        edition = _edition()
        sector = Sector.objects.filter(pk=raw).first()
        node = sector.nodes.filter(edition=edition).order_by("position").first() \
            if sector else None
    office = _office_for(node)
    if office is None:
        return default_route(key, _plain(label))
    name = f"{office.actor.name} – {office.office}" if office.office else office.actor.name
    return Route(key, _plain(label), name, office.email)


__all__ = ["Route", "default_route", "route", "topics"]
