"""Statuses as of a date, from the library: the stored plan document is the plan as the
database holds it (:mod:`innesto.portal.plans.truth`: the files as loaded with every
back-office change written over them, every vintage with its release date), so
``innesto.plan.evaluate.compute_status`` gives the status a report of that day would have
shown (values and statuses both; the portal computes nothing of its own).

``parse_day`` is the one check of an ``as_of`` date the API and the pages share: an ISO
date (``YYYY-MM-DD``), not before 1900 and not in the future.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from django.utils import timezone

from innesto.plan.evaluate import NodeStatus, PlanStatus, compute_status
from innesto.plan.model import PlanSet
from innesto.portal.plans.models import PlanSetDocument

EARLIEST = date(1900, 1, 1)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadDate(ValueError):
    """An ``as_of`` that is not an ISO date between 1900-01-01 and today."""


def parse_day(raw: str) -> date:
    """``raw`` as a date, or :class:`BadDate` saying what is expected."""
    text = raw.strip()
    if not _ISO.fullmatch(text):
        raise BadDate(f"as_of {raw!r} is not a date: expected YYYY-MM-DD, e.g. 2015-12-31")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadDate(f"as_of {raw!r} is not a calendar date (YYYY-MM-DD)") from None
    today = timezone.localdate()
    if day < EARLIEST or day > today:
        raise BadDate(f"as_of {day} is out of range: expected a date from {EARLIEST} "
                      f"to today ({today})")
    return day


@lru_cache(maxsize=16)
def _status(doc_id: int, changed: str, edition: int, day: date) -> PlanStatus:
    doc = PlanSetDocument.objects.get(pk=doc_id)
    ps = PlanSet.model_validate(doc.document, context={"defer_references": True})
    return compute_status(ps, as_of=day, edition=edition)


def plan_status(edition: int, day: date) -> PlanStatus | None:
    """The library's status of ``edition`` as of ``day`` (None when no plan is stored or
    the edition is not in it)."""
    doc = PlanSetDocument.objects.order_by("-loaded_at").first()
    if doc is None or edition not in {e.get("edition") for e in doc.document.get("editions", [])}:
        return None
    return _status(doc.pk, doc.changed_at.isoformat(), edition, day)


def node_explanation(n: NodeStatus) -> tuple[str, str]:
    """A node's outcome explanation followed by its delivery's, in Italian and English
    (as the pages show them)."""
    d = n.delivery.explanation
    return tuple(n.explanation.get(lang) + (f". {d.get(lang)}" if d.get(lang) else "")  # type: ignore[return-value]
                 for lang in ("it", "en"))
