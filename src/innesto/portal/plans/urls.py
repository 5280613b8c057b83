from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from innesto.portal.plans import downloads, views


class PlanIdConverter:
    """A plan id: lower-case letters, digits, '.', '_' and '-' (``innesto.plan`` Slug)."""

    regex = r"[a-z0-9][a-z0-9._-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter:
    regex = r"csv-metadata\.json|csv|json|svg|png|vl\.json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PlanIdConverter, "pid")
register_converter(FormatConverter, "fmt")

app_name = "plans"

urlpatterns = [
    path(_("plan/"), views.index, name="index"),
    path(_("plan.json"), downloads.planset_json, name="planset-json"),
    path(_("plan/<pid:edition>/"), views.edition, name="edition"),
    path(_("plan/<pid:edition>/plan.json"), downloads.plan_json, name="plan-json"),
    path(_("plan/<pid:edition>/datapackage.json"), downloads.plan_datapackage,
         name="plan-datapackage"),
    path(_("plan/<pid:edition>/<pid:table>.csv"), downloads.plan_table_csv,
         name="plan-table-csv"),
    path(_("plan/<pid:edition>/indicators/<pid:slug>/"), views.indicator, name="indicator"),
    path(_("plan/<pid:edition>/indicators/<pid:slug>/datapackage.json"),
         downloads.indicator_datapackage, name="indicator-datapackage"),
    path(_("plan/<pid:edition>/indicators/<pid:slug>/chart/<slug:chart>.<fmt:fmt>"),
         downloads.indicator_chart, name="indicator-chart"),
    path(_("plan/<pid:edition>/indicators/<pid:slug>/chart/<slug:chart>/embed/"),
         downloads.indicator_chart_embed, name="indicator-chart-embed"),
    path(_("plan/<pid:edition>/media/<pid:slug>/"), views.media, name="media"),
    path(_("plan/<pid:edition>/<path:path>/"), views.node, name="node"),
]
