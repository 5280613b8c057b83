"""Readers of official statistics: each returns a :class:`~innesto.panel.Panel` and a
:class:`~innesto.sources.report.ReadReport`."""

from innesto.sources.report import ReadReport

__all__ = ["ReadReport"]
