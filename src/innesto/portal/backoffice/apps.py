"""Django app configuration for :mod:`innesto.portal.backoffice`."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "innesto.portal.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from innesto.portal.backoffice import audit, cycles, roles

        audit.connect()
        cycles.connect()
        post_migrate.connect(roles.sync_after_migrate, sender=self)
