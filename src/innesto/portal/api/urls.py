from django.urls import path

from innesto.portal.api.endpoints import api

urlpatterns = [path("", api.urls)]
