"""Django's admin, with the back office's own site class (second factor at login)."""

from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    """``django.contrib.admin`` whose ``admin.site`` is
    :class:`innesto.portal.backoffice.otp.OTPAdminSite`."""

    default_site = "innesto.portal.backoffice.otp.OTPAdminSite"
