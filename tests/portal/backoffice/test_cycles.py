"""Reporting cycles: reminders by e-mail to data owners (on a real SMTP server), and period
locking after approval, enforced in the back office and in the model."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from innesto.portal.backoffice.cycles import PeriodLocked, approve, send_reminders
from innesto.portal.backoffice.models import ReportingCycle, ReportingItem
from innesto.portal.plans.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(objects: dict, role_users: dict) -> ReportingCycle:
    ed = objects["plans.edition"]
    other = Indicator.objects.create(edition=ed, slug="export", title_it="Export",
                                     title_en="Exports")
    c = objects["backoffice.reportingcycle"]  # period 2025, due 2026-03-31
    owner = role_users["data manager"]
    ReportingItem.objects.create(cycle=c, indicator=objects["plans.indicator"], owner=owner)
    ReportingItem.objects.create(cycle=c, indicator=other, owner=owner)
    return c


def test_owners_are_reminded_of_missing_values_once_a_day(cycle: ReportingCycle,
                                                          smtp_server: Any) -> None:
    owner = User.objects.get(username="data_manager")
    assert send_reminders(dt.date(2026, 1, 1)) == 0  # not due within a week yet
    assert send_reminders(dt.date(2026, 3, 28)) == 1
    [mail] = smtp_server.to(owner.email)
    body = mail.get_body(("plain",)).get_content()
    assert "Occupati" in body and "Export" in body and "2026-03-31" in body
    assert send_reminders(dt.date(2026, 3, 28)) == 0  # already reminded today
    # Once a value is in, that indicator is no longer asked for.
    IndicatorValue.objects.create(indicator=Indicator.objects.get(slug="occ"), period="2025",
                                  value=3.0)
    ReportingItem.objects.update(reminded_at=None)
    assert send_reminders(dt.date(2026, 4, 2)) == 1  # overdue still reminds
    last = smtp_server.to(owner.email)[-1].get_body(("plain",)).get_content()
    assert "Export" in last and "Occupati" not in last


def test_an_approved_period_is_locked_everywhere(cycle: ReportingCycle, role_users: dict,
                                                 objects: dict) -> None:
    ind = objects["plans.indicator"]
    value = IndicatorValue.objects.create(indicator=ind, period="2025", value=1.0)
    other_period = objects["plans.indicatorvalue"]  # period 2005, not in the cycle
    approve(cycle, role_users["editor"])
    cycle.refresh_from_db()
    assert cycle.locked and cycle.approved_by == role_users["editor"]
    value.value = 2.0
    # (each attempt in its own atomic block, as a request or command would be)
    with pytest.raises(PeriodLocked, match="occ 2025"), transaction.atomic():
        value.save()
    with pytest.raises(PeriodLocked), transaction.atomic():
        value.delete()
    with pytest.raises(PeriodLocked), transaction.atomic():
        IndicatorValue.objects.create(indicator=ind, period="2025", value=9.0)
    other_period.value = 5.0
    other_period.save()  # other periods stay editable
    client = Client()
    client.force_login(role_users["data manager"])
    url = reverse("admin:plans_indicatorvalue_change", args=[value.pk])
    assert client.post(url, {"period": "2025", "value": "3"}).status_code == 403
    assert client.get(reverse("admin:plans_indicatorvalue_delete",
                              args=[value.pk])).status_code == 403
    assert IndicatorValue.objects.get(pk=value.pk).value == 1.0
