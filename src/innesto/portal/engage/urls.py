"""Language-prefixed URLs of the engage app (``/it/iscriviti/`` ~ ``/en/subscribe/``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from innesto.portal.engage import views

app_name = "engage"

urlpatterns = [
    path(_("subscribe/"), views.subscribe, name="subscribe"),
    path(_("subscribe/check-your-inbox/"), views.subscribe_sent, name="subscribe_sent"),
    path(_("subscribe/confirm/<str:token>/"), views.confirm, name="confirm"),
    path(_("unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    path(_("contact/"), views.contact, name="contact"),
    path(_("contact/sent/"), views.contact_sent, name="contact_sent"),
]
