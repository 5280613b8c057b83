"""Back-office URLs: extra pages, then Django's admin (mounted at ``/backoffice/``)."""

from django.contrib import admin
from django.urls import path

from innesto.portal.backoffice import views

urlpatterns = [
    path("translations/", admin.site.admin_view(views.translations),
         name="backoffice_translations"),
    path("", admin.site.urls),
]
