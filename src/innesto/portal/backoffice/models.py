"""The audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change of one object (or one bulk action, with one entry per object)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        DELETED = "deleted", _("Deleted")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(max_length=150, help_text=_("User name or process (e.g. cli)."))
    action = models.CharField(max_length=8, choices=Action.choices)
    model = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    context = models.CharField(max_length=200, blank=True,
                               help_text=_("What caused the change, e.g. an import."))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        permissions = [
            ("edit_structure", _("Can edit the structure of the plan, not only its texts")),
            ("view_translations", _("Can see what is missing in Italian or English")),
            ("import_plan", _("Can import the plan from a spreadsheet")),
            ("publish_content", _("Can publish plan content")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.model}:{self.object_id}"

    def changed_fields(self) -> list[str]:
        """Names of the fields whose value differs between before and after."""
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class ReportingCycle(models.Model):
    """A reporting period of one edition: which indicators are due, by when, from whom.

    Once approved the period is locked: values of its indicators for its period can no
    longer be added, changed or deleted (see :mod:`innesto.portal.backoffice.cycles`).
    """

    edition = models.ForeignKey("plans.Edition", on_delete=models.CASCADE,
                                related_name="reporting_cycles")
    period = models.CharField(max_length=20, help_text=_("Period the values are about, "
                                                         "e.g. 2025 or 2025-Q2."))
    due = models.DateField(help_text=_("Date by which the values are due."))
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-due", "period"]
        constraints = [models.UniqueConstraint(fields=["edition", "period"],
                                               name="one_cycle_per_period")]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        permissions = [("approve_reportingcycle", _("Can approve and lock a reporting cycle"))]

    def __str__(self) -> str:
        return f"{self.edition.slug} {self.period}"

    @property
    def locked(self) -> bool:
        return self.approved_at is not None


class ReportingItem(models.Model):
    """One indicator due in a cycle, and the person who provides its value."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE,
                                  related_name="reporting_items")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="reporting_items")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "indicator"],
                                               name="one_item_per_indicator")]
        verbose_name = _("indicator due")
        verbose_name_plural = _("indicators due")

    def __str__(self) -> str:
        return f"{self.cycle} {self.indicator.slug}"

    def done(self) -> bool:
        """True when a current value exists for the cycle's period."""
        return self.indicator.values.filter(period=self.cycle.period,
                                            superseded_at__isnull=True,
                                            value__isnull=False).exists()


#: The public texts a draft changes. A status explanation is not one of them: statuses are
#: computed from the database's values (:mod:`innesto.portal.plans.truth`).
DRAFT_FIELDS = ["title_it", "title_en", "body_it", "body_en"]


class NodeDraft(models.Model):
    """The next version of a node's public texts, edited in the back office; the live page
    does not change until the draft is published (and it passes the publication gate)."""

    node = models.OneToOneField("plans.Node", on_delete=models.CASCADE, related_name="draft")
    title_it = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    body_it = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    status_explanation_it = models.TextField(blank=True)
    status_explanation_en = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True,
                            help_text=_("What changes, for the public version history."))
    base = models.JSONField(default=dict, blank=True, editable=False,
                            help_text=_("The live texts when the draft was started."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft of a plan page")
        verbose_name_plural = _("drafts of plan pages")

    def __str__(self) -> str:
        return f"{self.node} (draft)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from innesto.portal.backoffice.publishing import record_base

        record_base(self)
        super().save(*args, **kwargs)


class NodeVersion(models.Model):
    """A published version of a node's public texts (the public version history)."""

    node = models.ForeignKey("plans.Node", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["node", "-number"]
        constraints = [models.UniqueConstraint(fields=["node", "number"],
                                               name="one_version_number_per_node")]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")

    def __str__(self) -> str:
        return f"{self.node} v{self.number}"
