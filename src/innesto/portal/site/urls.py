from django.urls import path
from django.utils.translation import gettext_lazy as _

from innesto.portal.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("help/"), views.help_page, name="help"),
    path(_("accessibility/"), views.accessibility, name="accessibility"),
    path(_("search/"), views.search, name="search"),
]
