"""The report as of a date shows the statuses known that day (the library's), each
indicator's source line and its values' own notes, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_report_as_of_a_date_shows_that_days_statuses(tiny_plan: Any) -> None:
    """tiny plan: before 2011-05-01 only the baseline is known, so the indicator is not
    assessed (the stored, latest status is limited progress)."""
    from innesto.portal.plans.presenters import status_label

    early = Client().get("/en/report/2006/?date=2011-01-01", follow=True).content.decode()
    late = Client().get("/en/report/2006/?date=2021-01-01", follow=True).content.decode()
    with translation.override("en"):
        na, limited = status_label("not_available"), status_label("limited_progress")
    assert f"Status: {na}" in early and limited not in early
    assert f"Status: {limited}" in late


def test_report_carries_source_lines_notes_and_illustrative_marks(torino_plan: Any) -> None:
    en = Client().get("/en/report/2006/").content.decode()
    it = Client().get("/it/rapporto/2006/").content.decode()
    assert "Source: Eurostat, nama_10r_3empers · persons · licence: CC BY 4.0" in en
    assert "Fonte: Eurostat, nama_10r_3empers · persone · licenza: CC BY 4.0" in it
    assert "Two sources disagree: 124,000 or 120,000." in en
    assert "Due fonti discordano" in it
    # share-ict rests on an illustrative target: said in both languages.
    assert "rests on illustrative figures" in en and "si basa su dati illustrativi" in it
