"""The monitoring report of the Torino plan: HTML in both languages, and a PDF that renders,
whose text can be extracted, and that is tagged (structure tree, MarkInfo, language)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from innesto.portal.plans.models import Edition, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def _edition_with_indicators() -> Edition:
    ed = (Edition.objects.filter(indicators__isnull=False).order_by("-year").distinct()
          .first())
    assert ed is not None
    return ed


def test_the_html_report_shows_statuses_charts_and_data_tables(torino_plan: Any) -> None:
    ed = _edition_with_indicators()
    ind = Indicator.objects.filter(edition=ed).order_by("slug").first()
    assert ind is not None
    it = Client().get(f"/it/rapporto/{ed.slug}/").content.decode()
    en = Client().get(f"/en/report/{ed.slug}/").content.decode()
    assert '<html lang="it">' in it and '<html lang="en">' in en
    assert "Rapporto di monitoraggio" in it and "Monitoring report" in en
    assert ind.title_it in it and (ind.title_en or ind.title_it) in en
    assert it.count("data:image/svg+xml;base64,") == Indicator.objects.filter(edition=ed).count()
    assert it.count("<table>") == it.count("data:image/svg+xml")  # one data table per chart
    assert "Stato:" in it and "Status:" in en


def test_the_pdf_report_renders_is_extractable_and_tagged(torino_plan: Any) -> None:
    ed = _edition_with_indicators()
    resp = Client().get(f"/en/report/{ed.slug}/report.pdf")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(resp.content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "Monitoring report" in text
    first = Indicator.objects.filter(edition=ed).order_by("slug").first()
    assert first is not None
    assert (first.title_en or first.title_it).split()[0] in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).startswith("en")
    struct = root["/StructTreeRoot"].get_object()
    assert struct["/K"]  # the tree has content
    assert reader.metadata is not None and "Monitoring report" in str(reader.metadata.title)


def test_a_report_as_of_an_earlier_date_leaves_out_later_values(torino_plan: Any) -> None:
    ed = _edition_with_indicators()
    today = Client().get(f"/en/report/{ed.slug}/").content.decode()
    long_ago = Client().get(f"/en/report/{ed.slug}/?date=1990-01-01", follow=True)
    # snapped to the day before the first value was recorded (the same, empty, report)
    first = min(v.recorded_at for v in IndicatorValue.objects.filter(indicator__edition=ed))
    day = timezone.localdate(first) - dt.timedelta(days=1)
    assert long_ago.redirect_chain == [(f"/en/report/{ed.slug}/?date={day}", 302)]
    long_ago = long_ago.content.decode()
    assert f"{day.day} {day:%B %Y}" in long_ago
    assert long_ago.count("(provisional)") <= today.count("(provisional)")
    assert Client().get(f"/en/report/{ed.slug}/?date=yesterday").status_code == 404
