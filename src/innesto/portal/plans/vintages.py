"""Values are bitemporal vintages on every route: a value revised in the back office is a
new row recorded now, and the old row is closed (``superseded_at``) rather than changed;
a value added for a period that already has one closes the previous vintage.

:func:`rechain` is the one place that sets ``superseded_at``: each vintage of a period is
closed when the next one (by ``recorded_at``) was recorded; the newest stays open.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from innesto.portal.plans.models import Indicator, IndicatorValue


def rechain(ind: Indicator, period: str) -> None:
    """Close each vintage of ``period`` when the next one was recorded (the newest stays
    open); saves only the rows that change."""
    rows = list(ind.values.filter(period=period).order_by("recorded_at", "id"))
    for row, nxt in zip(rows, [*rows[1:], None], strict=True):
        closed = nxt.recorded_at if nxt is not None else None
        if row.superseded_at != closed:
            row.superseded_at = closed
            row.save(update_fields=["superseded_at"])


def record(value: IndicatorValue, *, revise: bool) -> IndicatorValue:
    """Save ``value`` as a vintage. With ``revise`` (an existing row whose value changed)
    the stored row is left as it was and ``value`` becomes a new row recorded now."""
    with transaction.atomic():
        old_period = None
        if revise and value.pk is not None:
            old_period = IndicatorValue.objects.get(pk=value.pk).period
            value.pk = None
            value._state.adding = True
            value.recorded_at = timezone.now()
            value.superseded_at = None
        value.save()
        ind = value.indicator
        rechain(ind, value.period)
        if old_period is not None and old_period != value.period:
            rechain(ind, old_period)
    return value
