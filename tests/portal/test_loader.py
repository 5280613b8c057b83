"""load_plan stores the plan idempotently, keeps value revisions and answers "as of"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from innesto.portal.plans.models import Edition, Indicator, Media, Node


def test_reloading_keeps_ids_and_urls(tiny_plan: Any) -> None:
    from innesto.portal.plans.loader import load_planset

    before = {n.key: (n.pk, n.path) for n in Node.objects.all()}
    load_planset(tiny_plan)
    after = {n.key: (n.pk, n.path) for n in Node.objects.all()}
    assert before == after
    assert Edition.objects.count() == 1


def test_status_and_explanation_come_from_the_plan_library(tiny_plan: Any) -> None:
    """Regression value: the tiny plan's docstring pins 'limited_progress' for the axis."""
    axis = Node.objects.get(key="axis")
    assert axis.status == "limited_progress"
    assert axis.status_explanation_en and axis.status_explanation_it


def test_a_revised_value_is_kept_as_history_and_as_of_sees_the_old_one(tiny_plan: Any) -> None:
    """Identity: the tiny plan publishes 1.3 for 2017 on 2019-03-01, revised to 1.25 on
    2020-03-01."""
    ind = Indicator.objects.get(slug="share")
    rows = list(ind.values.filter(period="2017").order_by("recorded_at"))
    assert [r.value for r in rows] == [1.3, 1.25]
    assert rows[0].superseded_at == rows[1].recorded_at
    tz = timezone.get_default_timezone()
    mid = timezone.make_aware(datetime(2019, 6, 1), tz)
    assert {v.period: v.value for v in ind.values_as_of(mid)} == {"2010": 1.2, "2017": 1.3}
    assert {v.period: v.value for v in ind.values_as_of()} == {"2010": 1.2, "2017": 1.25}


def test_media_is_modelled_with_a_transcript_and_an_unavailable_file(tiny_plan: Any) -> None:
    m = Media.objects.get(slug="message")
    assert not m.file_available and m.transcript_en == "Test transcript"


def test_load_plan_command_loads_the_torino_example(torino_plan: Any) -> None:
    from innesto.portal.plans.models import Sector

    assert [e.slug for e in torino_plan] == ["2000", "2006", "2015"]
    axis = Node.objects.get(edition__slug="2006", key="industrial-transformation")
    assert "Knowledge Economy" in axis.body_en and "economia della conoscenza" in axis.body_it
    assert {"automotive", "ict", "aerospace", "finance"} <= set(
        Sector.objects.values_list("slug", flat=True))
    assert Media.objects.get(slug="chiamparino-message").filename == "Chiamparino.wav"
