"""Language-prefixed report URLs: ``/it/rapporto/2006/`` ~ ``/en/report/2006/``."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from innesto.portal.reports import views

app_name = "reports"

urlpatterns = [
    path(_("report/<str:edition>/"), views.report_html, name="report"),
    path(_("report/<str:edition>/report.pdf"), views.report_pdf, name="report-pdf"),
    path(_("history/<str:edition>/<str:key>/"), views.node_history, name="node-history"),
]
