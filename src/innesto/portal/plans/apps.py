from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "innesto.portal.plans"
    label = "plans"
    verbose_name = "innesto plans"
