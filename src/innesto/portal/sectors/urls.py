from django.urls import path
from django.utils.translation import gettext_lazy as _

from innesto.portal.plans.urls import FormatConverter, PlanIdConverter  # noqa: F401
from innesto.portal.sectors import compare_views, views

app_name = "sectors"

urlpatterns = [
    path(_("sectors/"), views.index, name="index"),
    path(_("sectors/<pid:slug>/"), views.sector, name="sector"),
    path(_("sectors/<pid:slug>/chart/<slug:chart>.<fmt:fmt>"), views.chart_file, name="chart"),
    path(_("sectors/<pid:slug>/chart/<slug:chart>/embed/"), views.chart_embed,
         name="chart-embed"),
    path(_("compare/"), compare_views.compare_page, name="compare"),
    path(_("compare/chart/<slug:slug>.<fmt:fmt>"), compare_views.compare_chart,
         name="compare-chart"),
    path(_("compare/chart/<slug:slug>/embed/"), compare_views.compare_embed,
         name="compare-embed"),
]
