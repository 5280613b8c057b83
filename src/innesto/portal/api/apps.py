from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "innesto.portal.api"
    label = "portal_api"
    verbose_name = "innesto API"
