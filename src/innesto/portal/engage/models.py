"""Mailing lists, subscriptions, the consent log, newsletters, deliveries and contact messages.

Subscribers have no account: an address, a language and one subscription per list. Every
subscribe, confirm and unsubscribe event is appended to :class:`ConsentRecord`, which copies
the exact consent text version shown so that the record outlives later edits of the text.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("it", "Italiano"), ("en", "English")]


class MailingList(models.Model):
    """A list people can subscribe to: the whole plan, one axis, sector or indicator."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Whole plan")
        AXIS = "axis", _("Axis")
        SECTOR = "sector", _("Sector")
        INDICATOR = "indicator", _("Indicator")

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PLAN)
    ref = models.CharField(
        max_length=100, blank=True, help_text=_("Code of the axis or key of the sector."))
    name_it = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name_en or self.slug

    def name(self, language: str) -> str:
        """The list's name in ``language`` (Italian or English)."""
        return self.name_it if language == "it" else self.name_en


class Subscriber(models.Model):
    """An e-mail address and its preferred language; no password, no account."""

    email = models.EmailField(unique=True)
    language = models.CharField(max_length=2, choices=LANGUAGES, default="it")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """One subscriber on one list: pending until confirmed by the link in the e-mail."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE,
                                   related_name="subscriptions")
    mailing_list = models.ForeignKey(MailingList, on_delete=models.PROTECT,
                                     related_name="subscriptions")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "mailing_list"],
                                               name="engage_one_subscription_per_list")]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.mailing_list.slug} ({self.status})"


class ConsentText(models.Model):
    """A version of the consent text shown next to the subscribe button, in both languages.

    Versions are never edited once used: a change of wording is a new version.
    """

    version = models.CharField(max_length=40, unique=True)
    text_it = models.TextField()
    text_en = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")

    def __str__(self) -> str:
        return self.version

    def text(self, language: str) -> str:
        """The wording shown to a visitor reading in ``language``."""
        return self.text_it if language == "it" else self.text_en

    def sha256(self, language: str) -> str:
        """Hash of the exact wording shown, stored in each consent record."""
        return hashlib.sha256(self.text(language).encode("utf-8")).hexdigest()


class ConsentRecord(models.Model):
    """Append-only log of consent events (GDPR art. 7(1): be able to demonstrate consent)."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Subscription requested")
        CONFIRMED = "confirmed", _("Subscription confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=14, choices=Action.choices)
    email = models.EmailField(db_index=True)
    lists = models.JSONField(default=list, help_text=_("Slugs of the lists concerned."))
    language = models.CharField(max_length=2, choices=LANGUAGES)
    ip = models.GenericIPAddressField(null=True, blank=True)
    consent_version = models.CharField(max_length=40, blank=True)
    consent_sha256 = models.CharField(max_length=64, blank=True)
    consent_text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.email}"


class Newsletter(models.Model):
    """A bilingual message composed by staff and sent to one list."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued for sending")
        SENT = "sent", _("Sent")

    mailing_list = models.ForeignKey(MailingList, on_delete=models.PROTECT,
                                     related_name="newsletters")
    subject_it = models.CharField(max_length=200)
    subject_en = models.CharField(max_length=200)
    body_it = models.TextField(help_text=_("Plain text; blank lines separate paragraphs."))
    body_en = models.TextField(help_text=_("Plain text; blank lines separate paragraphs."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        permissions = [("send_newsletter", _("Can send a newsletter to a list"))]

    def __str__(self) -> str:
        return self.subject_en or self.subject_it

    def subject(self, language: str) -> str:
        return self.subject_it if language == "it" else self.subject_en

    def body(self, language: str) -> str:
        return self.body_it if language == "it" else self.body_en


class Delivery(models.Model):
    """One newsletter to one subscriber; the state machine that makes restarts safe.

    ``pending`` → ``claimed`` (by a worker, until ``lease_until``) → ``sending`` (committed
    before the SMTP handoff) → ``sent``. A claim whose lease ran out goes back to the pool; a
    ``sending`` row whose lease ran out becomes ``unknown`` and is never retried
    automatically (at-most-once, see ``docs/engage.md``).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLAIMED = "claimed", _("Claimed by a sender")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (unsubscribed)")
        UNKNOWN = "unknown", _("Unknown (sender stopped during handoff)")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE,
                                   related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING,
                             db_index=True)
    claim_token = models.CharField(max_length=64, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    message_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "subscription"],
                                               name="engage_one_delivery_per_subscription")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.newsletter_id}/{self.subscription_id} {self.state}"


class ContactMessage(models.Model):
    """A question sent through the contact form, routed to the office responsible."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    language = models.CharField(max_length=2, choices=LANGUAGES)
    topic = models.CharField(max_length=120, help_text=_("Key of the axis, sector or project."))
    topic_label = models.CharField(max_length=300)
    routed_to_name = models.CharField(max_length=300)
    routed_to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    message = models.TextField()
    copy_to_sender = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.subject} ({self.email})"


class OfficeContact(models.Model):
    """The address where an actor of the plan receives questions from the contact form."""

    actor = models.OneToOneField("plans.Actor", on_delete=models.CASCADE,
                                 related_name="office_contact")
    office = models.CharField(max_length=300, blank=True,
                              help_text=_("Office or person, e.g. 'Ufficio stampa'."))
    email = models.EmailField()

    class Meta:
        verbose_name = _("office contact")
        verbose_name_plural = _("office contacts")

    def __str__(self) -> str:
        return f"{self.actor} <{self.email}>"
