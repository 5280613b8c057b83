from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "innesto.portal.site"
    label = "site"
    verbose_name = "innesto site"
