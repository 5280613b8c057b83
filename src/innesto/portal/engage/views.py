"""Public views: subscribe, confirm, unsubscribe (RFC 8058 one-click), contact."""

from __future__ import annotations

import logging
import smtplib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from innesto.portal.engage import abuse, routing
from innesto.portal.engage.forms import ContactForm, SubscribeForm
from innesto.portal.engage.lists import ensure_synced
from innesto.portal.engage.mail import contact_messages
from innesto.portal.engage.models import (
    ConsentText,
    ContactMessage,
    MailingList,
    Subscription,
)
from innesto.portal.engage.subscriptions import (
    confirm as confirm_subscriptions,
)
from innesto.portal.engage.subscriptions import (
    current_consent,
    request_subscription,
)
from innesto.portal.engage.subscriptions import (
    unsubscribe as unsubscribe_subscription,
)
from innesto.portal.engage.tokens import LinkError, read_confirm_token, read_unsubscribe_token

log = logging.getLogger(__name__)


def _lang() -> str:
    return (get_language() or "it")[:2]


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "engage/too_many.html", status=429)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    ensure_synced()
    try:
        consent = current_consent()
    except ConsentText.DoesNotExist:
        # Nobody may subscribe without a consent text to agree to (GDPR art. 7): the page
        # says so instead of failing, and the people who keep the site are told in the log.
        log.error("subscriptions refused: no consent text; add one in the back office")
        return render(request, "engage/closed.html", status=503)
    # "Follow" links on plan pages preselect their list: ?list=<slug> (unknown slugs ignored).
    follow = list(MailingList.objects.filter(active=True, slug__in=request.GET.getlist("list"))
                  .values_list("pk", flat=True))
    form = SubscribeForm(request.POST or None, language=lang, initial={"lists": follow})
    if request.method == "POST":
        ip = abuse.client_ip(request)
        if not abuse.client_allowed(request, "subscribe"):
            return _too_many(request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            # Automated or over-limit requests get the same answer as real ones and send
            # nothing, so the response never reveals anything about an address.
            if not abuse.looks_automated(request.POST) and abuse.hit(
                    "address", "subscribe", email):
                try:
                    request_subscription(email, lang, list(form.cleaned_data["lists"]), ip,
                                         consent)
                except (smtplib.SMTPException, OSError):
                    log.exception("confirmation e-mail not sent")
                    return render(request, "engage/mail_error.html", status=503)
            return redirect("engage:subscribe_sent")
    return render(request, "engage/subscribe.html",
                  {"form": form, "consent_text": consent.text(lang)})


def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "engage/subscribe_sent.html")


def _link_error(request: HttpRequest, exc: LinkError) -> HttpResponse:
    return render(request, "engage/link_error.html", {"expired": exc.expired}, status=400)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET checks the link and shows one button; POST (the button) confirms. Mail scanners
    that prefetch links therefore cannot confirm on a person's behalf."""
    try:
        claim = read_confirm_token(token)
    except LinkError as exc:
        return _link_error(request, exc)
    if request.method == "GET":
        return render(request, "engage/confirm.html")
    lists = confirm_subscriptions(claim, abuse.client_ip(request))
    lang = _lang()
    return render(request, "engage/confirmed.html",
                  {"lists": [m.name(lang) for m in lists]})


@csrf_exempt  # RFC 8058: mail clients POST with no cookie and no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button page (link scanners must not unsubscribe anyone); POST, from
    that button or a mail client's one-click, unsubscribes."""
    try:
        subscription_id = read_unsubscribe_token(token)
    except LinkError as exc:
        return _link_error(request, exc)
    lang = _lang()
    if request.method == "POST":
        sub = unsubscribe_subscription(subscription_id, abuse.client_ip(request))
        name = sub.mailing_list.name(lang) if sub else ""
        return render(request, "engage/unsubscribed.html", {"list_name": name})
    sub_or_none = (Subscription.objects.select_related("mailing_list")
                   .filter(pk=subscription_id).first())
    name = sub_or_none.mailing_list.name(lang) if sub_or_none else ""
    return render(request, "engage/unsubscribe.html", {"list_name": name})


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    topics = routing.topics()
    form = ContactForm(request.POST or None, topics=topics)
    if request.method == "POST":
        ip = abuse.client_ip(request)
        if not abuse.client_allowed(request, "contact"):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            if not abuse.looks_automated(request.POST) and abuse.hit(
                    "address", "contact", data["email"]):
                target = routing.route(data["topic"])
                message = ContactMessage.objects.create(
                    name=data["name"], email=data["email"], language=_lang(),
                    topic=target.key, topic_label=target.label, routed_to_name=target.name,
                    routed_to_email=target.email, subject=data["subject"],
                    message=data["message"], copy_to_sender=data["copy_to_sender"], ip=ip)
                try:
                    for mail in contact_messages(message):
                        mail.send()
                except (smtplib.SMTPException, OSError):
                    # Stored in the back office anyway; staff see it there.
                    log.exception("contact message %s not mailed", message.pk)
            return redirect("engage:contact_sent")
    return render(request, "engage/contact.html", {"form": form})


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "engage/contact_sent.html")
