"""Unprefixed URLs: the root redirects to a language; vendored chart JavaScript."""

from django.urls import path

from innesto.portal.site import views

urlpatterns = [
    path("", views.root, name="root"),
    path("vendor/vega-bundle.js", views.vega_bundle, name="vega-bundle"),
    path("robots.txt", views.robots, name="robots"),
]
