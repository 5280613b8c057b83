"""Back office of the engage app: lists, subscribers, consent log (read-only), newsletters
with preview, test send and send-to-list, deliveries (read-only), contact messages."""

from __future__ import annotations

import re
import smtplib
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from innesto.portal.engage import sender
from innesto.portal.engage.mail import newsletter_message, staff_test_messages
from innesto.portal.engage.models import (
    ConsentRecord,
    ConsentText,
    ContactMessage,
    Delivery,
    MailingList,
    Newsletter,
    OfficeContact,
    Subscriber,
    Subscription,
)
from innesto.portal.site.middleware import set_policy

#: the preview document's own policy: nothing loads, nothing runs, nothing navigates
PREVIEW_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                  "form-action 'none'; base-uri 'none'")
_REFRESH = re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?\s*refresh[^>]*>", re.I | re.S)


def sandboxed(html: str) -> str:
    """A mail's HTML for a sandboxed ``srcdoc`` (escaped by the template): its own CSP
    first, every ``<meta http-equiv=refresh>`` removed."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{PREVIEW_POLICY}">'
    return meta + _REFRESH.sub("", str(html))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that nobody may edit from the back office (logs, deliveries)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "name_it", "name_en", "active"]
    list_filter = ["kind", "active"]


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    readonly_fields = ["mailing_list", "status", "created_at", "confirmed_at",
                       "unsubscribed_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "created_at"]
    search_fields = ["email"]
    inlines = [SubscriptionInline]
    readonly_fields = ["email", "created_at"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["version", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A version that was shown to someone is evidence: never edit it, add a new one.
        return ["version", "text_it", "text_en"] if obj is not None else []


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "email", "language", "ip", "consent_version"]
    list_filter = ["action", "language"]
    search_fields = ["email"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["newsletter", "subscription", "state", "attempts", "sent_at", "error"]
    list_filter = ["state", "newsletter"]
    actions = ["send_again"]

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("engage.send_newsletter")

    @admin.action(description=_("Send again (unknown or failed, after checking)"),
                  permissions=["send"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        """The human decision that at-most-once leaves open: put ``unknown`` or ``failed``
        deliveries back in the queue (their newsletter is queued again too)."""
        from innesto.portal.backoffice.audit import bulk_update

        chosen = queryset.filter(state__in=[Delivery.State.UNKNOWN, Delivery.State.FAILED])
        newsletters = set(chosen.values_list("newsletter_id", flat=True))
        n = bulk_update(request, chosen, state=Delivery.State.PENDING, claim_token="",
                        lease_until=None)
        bulk_update(request, Newsletter.objects.filter(pk__in=newsletters),
                    status=Newsletter.Status.QUEUED)
        messages.success(request, _("%(n)d deliveries queued again.") % {"n": n})


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["subject_it", "mailing_list", "status", "created_at", "queued_at"]
    list_filter = ["status", "mailing_list"]
    readonly_fields = ["status", "created_by", "queued_at", "finished_at"]
    change_form_template = "engage/admin/newsletter_change_form.html"

    def save_model(self, request: HttpRequest, obj: Newsletter, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != Newsletter.Status.DRAFT:
            return False  # what was sent stays as it was sent
        return super().has_change_permission(request, obj)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/<str:lang>/", wrap(self.preview_view),
                 name="engage_newsletter_preview"),
            path("<int:pk>/send-test/", wrap(require_POST(self.send_test_view)),
                 name="engage_newsletter_send_test"),
            path("<int:pk>/send/", wrap(require_POST(self.send_view)),
                 name="engage_newsletter_send"),
            *super().get_urls(),
        ]

    def _get(self, request: HttpRequest, pk: int, *, send: bool = False) -> Newsletter:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if send and not request.user.has_perm("engage.send_newsletter"):
            raise PermissionDenied
        return get_object_or_404(Newsletter, pk=pk)

    def preview_view(self, request: HttpRequest, pk: int, lang: str) -> HttpResponse:
        newsletter = self._get(request, pk)
        if lang not in {"it", "en"}:
            raise PermissionDenied
        fake = Subscription(pk=0, subscriber=Subscriber(email="preview@example.org",
                                                          language=lang),
                            mailing_list=newsletter.mailing_list)
        msg = newsletter_message(newsletter, fake)
        html = next(str(c) for c, mime in msg.alternatives if mime == "text/html")
        response = TemplateResponse(request, "engage/admin/newsletter_preview.html", {
            **self.admin_site.each_context(request), "newsletter": newsletter, "lang": lang,
            "headers": msg.extra_headers, "text": str(msg.body), "html": sandboxed(html),
            "title": _("Preview"), "opts": self.model._meta})
        # the page itself: no frame may load anything but this site (a refresh inside the
        # preview cannot take the administrator elsewhere)
        return set_policy(response, replace={"frame-src": ["'self'"]})

    def send_test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = self._get(request, pk, send=True)
        to = request.POST.get("to") or getattr(request.user, "email", "")
        if not to:
            messages.error(request, _("Give an address for the test."))
        else:
            try:
                for msg in staff_test_messages(newsletter, to):
                    msg.send()
                messages.success(request, _("Test sent to %(to)s in both languages.")
                                 % {"to": to})
            except (smtplib.SMTPException, OSError) as exc:
                messages.error(request, _("The test could not be sent: %(err)s")
                               % {"err": exc})
        return HttpResponseRedirect(reverse("admin:engage_newsletter_change", args=[pk]))

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = self._get(request, pk, send=True)
        n = sender.queue(newsletter)
        messages.success(request, _("%(n)d messages queued; the sender delivers them in the "
                                    "background.") % {"n": n})
        return HttpResponseRedirect(reverse("admin:engage_newsletter_changelist"))


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "email", "topic_label", "routed_to_name",
                    "status"]
    list_filter = ["status", "language"]
    search_fields = ["email", "subject", "message"]
    readonly_fields = ["created_at", "name", "email", "language", "topic", "topic_label",
                       "routed_to_name", "routed_to_email", "subject", "message",
                       "copy_to_sender", "ip"]
    actions = ["mark_answered", "mark_closed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Mark as answered"), permissions=["change"])
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        from innesto.portal.backoffice.audit import bulk_update

        bulk_update(request, queryset, status=ContactMessage.Status.ANSWERED)

    @admin.action(description=_("Mark as closed"), permissions=["change"])
    def mark_closed(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        from innesto.portal.backoffice.audit import bulk_update

        bulk_update(request, queryset, status=ContactMessage.Status.CLOSED)


@admin.register(OfficeContact)
class OfficeContactAdmin(admin.ModelAdmin):
    list_display = ["actor", "office", "email"]
