"""The plan as stored for the portal (loaded from ``innesto.plan`` by ``load_plan``).

Every public text has an Italian and an English field; :func:`tr` picks the one for the
active language. Indicator values are bitemporal: ``period`` is the time the value is
about (valid time), ``recorded_at``/``superseded_at`` say when the portal knew it
(transaction time), so a page or the API can show the data "as of" any date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language


def tr(obj: Any, field: str) -> str:
    """The ``field_it``/``field_en`` value for the active language (Italian as fallback)."""
    lang = (get_language() or "it")[:2]
    value = getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_it", "")
    return str(value or "")


class Bilingual(models.Model):
    title_it = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    body_it = models.TextField(blank=True)
    body_en = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return tr(self, "title")

    @property
    def body(self) -> str:
        return tr(self, "body")


class PlanSetDocument(models.Model):
    """The whole plan set as the database holds it now (JSON valid against
    ``innesto.plan.plan_json_schema``): the plan files as last loaded with every change
    made since in the back office written over them (:mod:`innesto.portal.plans.truth`).
    ``loaded_at`` is the last load, ``changed_at`` the last change by any route."""

    slug = models.SlugField(max_length=80, unique=True)
    document = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.slug


class Edition(Bilingual):
    """One edition of a plan (the 2000, 2006 or 2015 plan)."""

    slug = models.SlugField(max_length=40, unique=True)
    year = models.PositiveIntegerField()
    horizon = models.PositiveIntegerField(null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_editions"
    )
    source = models.CharField(max_length=500, blank=True)
    document = models.JSONField(default=dict, help_text="the plan as loaded (JSON Schema)")
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "slug"]

    def __str__(self) -> str:
        return f"{self.year} {self.title_it}"


class Node(Bilingual):
    """An axis, direction, objective or project; a tree inside an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    key = models.CharField(max_length=120, help_text="the plan's stable node id")
    path = models.CharField(max_length=500, help_text="ids from the root: a/b/c")
    level_it = models.CharField(max_length=120, blank=True)
    level_en = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=40, blank=True)
    status_explanation_it = models.TextField(blank=True)
    status_explanation_en = models.TextField(blank=True)
    progress = models.FloatField(null=True, blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="computed: the status or delivery rests on an illustrative "
        "figure (innesto.plan.evaluate's NodeStatus.illustrative)")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    budget_planned = models.FloatField(null=True, blank=True)
    budget_spent = models.FloatField(null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True, default="EUR")
    document = models.JSONField(default=dict, blank=True, help_text="the node as loaded")
    sources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["edition", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="node_key_per_edition"),
            models.UniqueConstraint(fields=["edition", "path"], name="node_path_per_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.slug}/{self.key}"

    @property
    def level(self) -> str:
        return tr(self, "level")

    @property
    def status_explanation(self) -> str:
        return tr(self, "status_explanation")

    def ancestors(self) -> list[Node]:
        out: list[Node] = []
        node = self.parent
        while node is not None:
            out.insert(0, node)
            node = node.parent
        return out


class Milestone(models.Model):
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=120)
    due = models.DateField(null=True, blank=True)
    done = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, default="planned")
    title_it = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due", "done", "id"]

    @property
    def title(self) -> str:
        return tr(self, "title")


class Actor(models.Model):
    """An organisation or person responsible for or taking part in the plan."""

    slug = models.SlugField(max_length=120, unique=True)
    name_it = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, default="organisation")
    type_it = models.CharField(max_length=200, blank=True)
    type_en = models.CharField(max_length=200, blank=True)
    member = models.BooleanField(default=False)
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name_it"]

    def __str__(self) -> str:
        return self.name_it

    @property
    def name(self) -> str:
        return tr(self, "name")

    @property
    def type(self) -> str:
        return tr(self, "type")


class Role(models.Model):
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="roles")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20)


class Indicator(Bilingual):
    """A quantitative series with a baseline, a target and an explained status."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicators")
    node = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    slug = models.SlugField(max_length=120)
    unit_it = models.CharField(max_length=120, blank=True)
    unit_en = models.CharField(max_length=120, blank=True)
    direction = models.CharField(max_length=20, blank=True)  # increase / decrease
    sector = models.CharField(max_length=80, blank=True)
    confidence = models.CharField(max_length=20, blank=True)
    illustrative = models.BooleanField(default=False)
    baseline_period = models.CharField(max_length=20, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    target_period = models.CharField(max_length=20, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=40, blank=True)
    status_explanation_it = models.TextField(blank=True)
    status_explanation_en = models.TextField(blank=True)
    source_it = models.TextField(blank=True)
    source_en = models.TextField(blank=True)
    method_it = models.TextField(blank=True)
    method_en = models.TextField(blank=True)
    document = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["edition", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="indicator_slug")
        ]

    def __str__(self) -> str:
        return f"{self.edition.slug}/{self.slug}"

    @property
    def unit(self) -> str:
        return tr(self, "unit")

    @property
    def source(self) -> str:
        return tr(self, "source")

    @property
    def method(self) -> str:
        return tr(self, "method")

    @property
    def status_explanation(self) -> str:
        return tr(self, "status_explanation")

    def values_as_of(self, as_of: datetime | None = None) -> models.QuerySet[IndicatorValue]:
        """The values the portal knew at ``as_of`` (now when None), one per period."""
        when = as_of or timezone.now()
        return self.values.filter(recorded_at__lte=when).filter(
            models.Q(superseded_at__isnull=True) | models.Q(superseded_at__gt=when)
        ).order_by("period")


class IndicatorValue(models.Model):
    """One observation; revisions close the old row (``superseded_at``) and add a new one."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=20)
    value = models.FloatField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    note_en = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    published = models.DateField(null=True, blank=True,
                                 help_text="release date of the data vintage (the plan's date)")
    provenance = models.JSONField(default=dict, blank=True,
                                  help_text="innesto.plan.provenance.Provenance.to_dict()")

    @property
    def published_on(self) -> date:
        """The release date as the plan gives it (never shifted by a time zone)."""
        return self.published or timezone.localdate(self.recorded_at)

    class Meta:
        ordering = ["indicator", "period", "recorded_at"]
        indexes = [models.Index(fields=["indicator", "period", "recorded_at"])]


#: Fields of a value whose change is a revision (a new vintage), not a correction in place.
VINTAGE_FIELDS = {"value", "period", "provisional", "source"}


class Sector(Bilingual):
    """A strategic sector and the industry codes that measure it in the evidence engine."""

    slug = models.SlugField(max_length=80, unique=True)
    nodes = models.ManyToManyField(Node, blank=True, related_name="sectors")
    nace = models.JSONField(default=list, blank=True)
    industries = models.JSONField(default=list, help_text="panel industry codes, e.g. ['C']")
    proxy = models.BooleanField(default=False, help_text="the codes are broader than the sector")
    note_it = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def note(self) -> str:
        return tr(self, "note")

    @property
    def editions(self) -> models.QuerySet[Edition]:
        return Edition.objects.filter(nodes__sectors=self).distinct()


class Media(Bilingual):
    """An attachment (the seed's audio message); the file may be unavailable."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="media")
    node = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.SET_NULL, related_name="media"
    )
    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, default="audio")
    filename = models.CharField(max_length=200, blank=True)
    file_available = models.BooleanField(default=False)
    speaker = models.CharField(max_length=200, blank=True)
    transcript_it = models.TextField(blank=True)
    transcript_en = models.TextField(blank=True)

    class Meta:
        ordering = ["edition", "slug"]
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="media_slug")]

    @property
    def transcript(self) -> str:
        return tr(self, "transcript")


class LoadBase(models.Model):
    """What the plan files said at the last load, record by record: the *base* of the
    three-way merge that the next load does (files vs database vs base).

    ``records`` maps ``"kind key"`` (see :mod:`innesto.portal.plans.records`) to the field
    values loaded from the files. It is written in the same transaction as the load.
    """

    slug = models.SlugField(max_length=80, unique=True, help_text="the plan set's id")
    records = models.JSONField(default=dict)
    document = models.JSONField(default=dict, help_text="the plan set as the files said it")
    loaded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.slug
