from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "innesto.portal.sectors"
    label = "sectors"
    verbose_name = "innesto sectors"
