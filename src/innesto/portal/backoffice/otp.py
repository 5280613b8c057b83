"""Optional TOTP second factor for staff (RFC 6238 codes from an authenticator app).

Built on django-otp's TOTP devices. A staff user enrols on ``/backoffice/second-factor/``:
the page shows the secret as an ``otpauth://`` URI (which authenticator apps import) and as
text, and the device is confirmed once a code from the app is entered. From then on the
back-office login asks for the current code as well as the password. A wrong, missing or
replayed code (django-otp refuses a time step already used) is a failed login for
django-axes, so the lockout counts it like a wrong password.

``STAFF_TOTP_REQUIRED`` (environment ``INNESTO_STAFF_TOTP_REQUIRED=1``) requires it of every
staff user: one without a device is sent to enrol before any other back-office page.

Example: the login form for a user with a confirmed device needs ``otp_token``::

    TOTPLoginForm(request, data={"username": "ada", "password": "...", "otp_token": "123456"})
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def required() -> bool:
    return bool(getattr(settings, "STAFF_TOTP_REQUIRED", False))


def confirmed_device(user: Any) -> Any:
    """The user's confirmed TOTP device, or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TOTPLoginForm(AdminAuthenticationForm):
    """The admin login form with the authenticator code, required when the user has a
    confirmed device."""

    otp_token = forms.CharField(
        required=False, max_length=10, label=gettext_lazy("Authenticator code"),
        help_text=gettext_lazy("Only if you set up an authenticator app."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                      "inputmode": "numeric"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        device = confirmed_device(user)
        if device is None:
            return cleaned
        token = str(cleaned.get("otp_token") or "").replace(" ", "")
        if not (token.isdigit() and device.verify_token(token)):
            # a failed login for django-axes: counted and locked out like a wrong password
            user_login_failed.send(sender=__name__, request=self.request,
                                   credentials={"username": user.get_username()})
            raise ValidationError(_("Enter the current code from your authenticator app "
                                    "(each code works once)."), code="otp")
        user.otp_device = device  # type: ignore[attr-defined]  # django-otp verifies the session at login
        return cleaned


class OTPAdminSite(admin.AdminSite):
    """The back office: a user with a confirmed device must have logged in with a code;
    with ``STAFF_TOTP_REQUIRED`` every staff user must have one."""

    login_form = TOTPLoginForm
    login_template = "backoffice/login.html"  # Django's shows username and password only

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["has_second_factor"] = confirmed_device(request.user) is not None
        return context

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        user: Any = request.user
        if confirmed_device(user) is not None or required():
            return bool(user.is_verified())
        return True

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if _must_enrol(request):
                return HttpResponseRedirect(reverse("backoffice_second_factor"))
            return inner(request, *args, **kwargs)  # type: ignore[no-any-return]

        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if _must_enrol(request):
            return HttpResponseRedirect(reverse("backoffice_second_factor"))
        return super().login(request, extra_context)


def _must_enrol(request: HttpRequest) -> bool:
    user: Any = request.user
    return (required() and user.is_authenticated and user.is_active and user.is_staff
            and confirmed_device(user) is None)


class EnrolForm(forms.Form):
    otp_token = forms.CharField(max_length=10, label=gettext_lazy("Code from the app"),
                                widget=forms.TextInput(attrs={
                                    "autocomplete": "one-time-code", "inputmode": "numeric"}))


def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the second factor: show the secret, confirm it with a first code."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user: Any = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return HttpResponseRedirect(f"{reverse('admin:login')}?next={request.path}")
    if confirmed_device(user) is not None:
        raise PermissionDenied(_("You already have an authenticator; an administrator can "
                                 "remove it (TOTP devices) so that you can set up a new one."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False))
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(reverse("admin:index"))
        form.add_error("otp_token", _("This code does not match: check the time of your "
                                      "device and enter the current code."))
    from base64 import b32encode

    return TemplateResponse(request, "backoffice/second_factor.html", {
        **admin.site.each_context(request), "title": _("Second factor"), "form": form,
        "uri": device.config_url, "secret": b32encode(device.bin_key).decode("ascii"),
        "required": required()})
