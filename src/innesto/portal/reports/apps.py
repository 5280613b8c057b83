"""Django app configuration for :mod:`innesto.portal.reports`."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "innesto.portal.reports"
    label = "reports"
    verbose_name = _("Reports and archive")
    default_auto_field = "django.db.models.BigAutoField"
