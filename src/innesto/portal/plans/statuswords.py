"""Status words a citizen reads: plain language, with a colour class and an icon.

The plan library names outcome statuses after the Open SDG progress measure ("substantial
progress", "limited progress") and delivery statuses after the schedule ("on_schedule").
Pages show them in plain words, always together with an icon and a colour (never colour
alone), and link to the method that explains them (the help page's *status* section).

>>> from django.utils import translation
>>> with translation.override("en"):
...     outcome("substantial_progress").words, outcome("substantial_progress").icon
('On track', '▲')
>>> with translation.override("it"):
...     delivery("delayed").words
'In ritardo'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: Outcome (the plan's indicators against their targets), best first.
OUTCOMES = {
    "target_achieved": (_("Target reached"), "✔", "good"),
    "substantial_progress": (_("On track"), "▲", "good"),
    "moderate_progress": (_("Progressing, but too slowly"), "►", "fair"),
    "limited_progress": (_("Far from the target"), "▼", "poor"),
    "deterioration": (_("Getting worse"), "✖", "bad"),
    "not_available": (_("No data yet"), "?", "none"),
}
#: Delivery (milestones and budget), best first.
DELIVERIES = {
    "completed": (_("Completed"), "✔", "good"),
    "on_schedule": (_("On schedule"), "▲", "good"),
    "not_started": (_("Not started yet"), "○", "fair"),
    "delayed": (_("Behind schedule"), "▼", "bad"),
    "not_available": (_("No milestones or budget"), "?", "none"),
}


@dataclass(frozen=True)
class Word:
    """A status as shown: its code, plain words, an icon and a colour class."""

    code: str
    words: str
    icon: str
    tone: str  # good / fair / poor / bad / none: the CSS class ``tone-<tone>``


def _word(table: Mapping[str, tuple[object, str, str]], code: str) -> Word:
    words, icon, tone = table.get(code or "not_available", table["not_available"])
    return Word(code or "not_available", str(words), icon, tone)


def outcome(code: str) -> Word:
    """The outcome status ``code`` in plain words (``""`` counts as no data)."""
    return _word(OUTCOMES, code)


def delivery(code: str) -> Word:
    """The delivery status ``code`` in plain words."""
    return _word(DELIVERIES, code)
