from django.urls import path
from django.utils.translation import gettext_lazy as _

from innesto.portal.plans.urls import FormatConverter, PlanIdConverter  # noqa: F401
from innesto.portal.sectors import views

app_name = "sectors"

urlpatterns = [
    path(_("sectors/"), views.index, name="index"),
    path(_("sectors/<pid:slug>/"), views.sector, name="sector"),
    path(_("sectors/<pid:slug>/chart/<slug:chart>.<fmt:fmt>"), views.chart_file, name="chart"),
    path(_("sectors/<pid:slug>/chart/<slug:chart>/embed/"), views.chart_embed,
         name="chart-embed"),
]
