"""One staff user per role, and one instance of every model the back office shows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from innesto.portal.backoffice.models import (
    AuditEntry,
    NodeDraft,
    NodeVersion,
    ReportingCycle,
)
from innesto.portal.backoffice.roles import ROLES
from innesto.portal.engage.models import (
    ConsentRecord,
    ConsentText,
    ContactMessage,
    Delivery,
    MailingList,
    Newsletter,
    OfficeContact,
    Subscriber,
    Subscription,
)
from innesto.portal.plans import models as plan


@pytest.fixture
def role_users(db: Any) -> dict[str, User]:
    """A staff user in each role's group, plus ``nobody`` (staff, no group)."""
    users = {}
    for name in [*ROLES, "nobody"]:
        # No password: tests log in with force_login (password hashing is slow on purpose).
        user = User.objects.create(username=name.replace(" ", "_"), is_staff=True,
                                   email=f"{name.replace(' ', '.')}@example.org")
        if name in ROLES:
            user.groups.add(Group.objects.get(name=name))
        users[name] = user
    return users


@pytest.fixture
def objects(db: Any) -> dict[str, Any]:
    """Model label → one saved instance."""
    ed = plan.Edition.objects.create(slug="2006", year=2006, title_it="Piano", title_en="Plan")
    node = plan.Node.objects.create(edition=ed, key="a1", path="a1", kind="axis",
                                    title_it="Asse", title_en="")
    actor = plan.Actor.objects.create(slug="comune", name_it="Comune di Torino")
    indicator = plan.Indicator.objects.create(edition=ed, slug="occ", title_it="Occupati",
                                              title_en="Employed")
    ml = MailingList.objects.get(slug="plan")
    person = Subscriber.objects.create(email="p@example.org")
    sub = Subscription.objects.create(subscriber=person, mailing_list=ml, status="active")
    news = Newsletter.objects.create(mailing_list=ml, subject_it="N", subject_en="N",
                                     body_it="b", body_en="b")
    out = {
        "plans.edition": ed, "plans.node": node, "plans.actor": actor,
        "plans.role": plan.Role.objects.create(node=node, actor=actor, role="lead"),
        "plans.milestone": plan.Milestone.objects.create(node=node, key="m1", title_it="M"),
        "plans.sector": plan.Sector.objects.create(slug="ict", title_it="ICT"),
        "plans.media": plan.Media.objects.create(edition=ed, slug="audio", title_it="Audio"),
        "plans.indicator": indicator,
        "plans.indicatorvalue": plan.IndicatorValue.objects.create(
            indicator=indicator, period="2005", value=1.0),
        "engage.mailinglist": ml, "engage.subscriber": person,
        "engage.consenttext": ConsentText.objects.get(),
        "engage.consentrecord": ConsentRecord.objects.create(
            action="requested", email="p@example.org", lists=["plan"], language="it"),
        "engage.newsletter": news,
        "engage.delivery": Delivery.objects.create(newsletter=news, subscription=sub),
        "engage.contactmessage": ContactMessage.objects.create(
            name="A", email="a@example.org", language="it", topic="general",
            topic_label="General", routed_to_name="Office", routed_to_email="o@example.org",
            subject="S", message="M"),
        "engage.officecontact": OfficeContact.objects.create(actor=actor,
                                                             email="c@example.org"),
        "backoffice.auditentry": AuditEntry.objects.create(
            actor="x", action="updated", model="plans.node", object_id="1", object_repr="x"),
        "auth.group": Group.objects.get(name="editor"),
    }
    out["auth.user"] = User.objects.create(username="someone")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    out["otp_totp.totpdevice"] = TOTPDevice.objects.create(user=out["auth.user"], name="app")
    out["backoffice.nodedraft"] = NodeDraft.objects.create(node=node, title_it="Asse",
                                                           title_en="Axis")
    out["backoffice.nodeversion"] = NodeVersion.objects.create(
        node=node, number=1, published_at=ed.loaded_at, data={"title_it": "Asse"})
    out["backoffice.reportingcycle"] = ReportingCycle.objects.create(
        edition=ed, period="2025", due=datetime.date(2026, 3, 31))
    return out
