"""Django app configuration for :mod:`innesto.portal.engage`."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngageConfig(AppConfig):
    name = "innesto.portal.engage"
    label = "engage"
    verbose_name = _("Mailing list and contacts")
    default_auto_field = "django.db.models.BigAutoField"
