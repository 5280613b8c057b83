"""Back-office URLs: extra pages, then Django's admin (mounted at ``/backoffice/``)."""

from django.contrib import admin
from django.urls import path

from innesto.portal.backoffice import import_views, otp, views

urlpatterns = [
    path("translations/", admin.site.admin_view(views.translations),
         name="backoffice_translations"),
    path("import/", admin.site.admin_view(import_views.import_plan), name="backoffice_import"),
    path("second-factor/", otp.enrol, name="backoffice_second_factor"),
    path("", admin.site.urls),
]
