"""The plan's content in Django's admin, with roles applied field by field: a translator
changes only the Italian and English texts; structure needs ``backoffice.edit_structure``.
The audit log is read-only and visible to whoever holds ``backoffice.view_auditentry``
(administrators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from innesto.portal.backoffice.models import (
    AuditEntry,
    NodeDraft,
    NodeVersion,
    ReportingCycle,
    ReportingItem,
)
from innesto.portal.plans import models as plan

admin.site.site_header = _("Strategic plan – back office")
admin.site.site_title = _("Back office")
admin.site.index_title = _("Back office")


def translatable_fields(model: type[models.Model]) -> list[str]:
    """Text fields that exist in both languages (``x_it`` and ``x_en``)."""
    names = {f.name for f in model._meta.get_fields() if isinstance(f, models.Field)}
    return sorted(n for n in names if n.endswith(("_it", "_en"))
                  and {n[:-3] + "_it", n[:-3] + "_en"} <= names)


def gated(form: Any) -> Any:
    """The form with the publication gate: a direct edit of live content may not leave a
    mandatory translation missing that was there before (blanking one, or writing a text in
    one language only), and a new object (live as soon as it is saved) must have every
    mandatory translation. Pages still in the works go through drafts instead."""
    from innesto.portal.backoffice.translations import missing_for

    class Gated(form):  # type: ignore[misc,valid-type]
        def _post_clean(self) -> None:
            model = type(self.instance)
            stored = model._default_manager.filter(pk=self.instance.pk).first()
            before = {(m.field, m.language) for m in missing_for(stored)} if stored else set()
            super()._post_clean()
            for field, lang in sorted({(m.field, m.language)
                                       for m in missing_for(self.instance)} - before):
                name = f"{field}_{lang}"
                self.add_error(name if name in self.fields else None, _(
                    "This text is mandatory in both languages: it cannot be left empty "
                    "on a published page."))

    return Gated


#: Computed from the database's values after every change (never edited by hand).
COMPUTED = ["status", "status_explanation_it", "status_explanation_en", "illustrative",
            "document"]


class PlanAdmin(admin.ModelAdmin):
    """Translators see every field but may only change the bilingual texts. Statuses
    and their explanations are computed (:mod:`innesto.portal.plans.truth`), so they are
    read-only for everyone."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = {f.name for f in self.model._meta.get_fields()}
        computed = [f for f in COMPUTED if f in names]
        if request.user.has_perm("backoffice.edit_structure") or (
                self.model is plan.IndicatorValue):
            return [*super().get_readonly_fields(request, obj), *computed]
        editable = set(translatable_fields(self.model)) - set(computed)
        return [f.name for f in self.model._meta.get_fields()
                if isinstance(f, models.Field) and f.editable and not f.auto_created
                and f.name not in editable]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return gated(form)  # adding too: a new object is live at once

    def has_add_permission(self, request: HttpRequest) -> bool:
        structure = request.user.has_perm("backoffice.edit_structure") or (
            self.model is plan.IndicatorValue)
        return structure and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        structure = request.user.has_perm("backoffice.edit_structure") or (
            self.model is plan.IndicatorValue)
        return structure and super().has_delete_permission(request, obj)


@admin.register(plan.Edition)
class EditionAdmin(PlanAdmin):
    list_display = ["slug", "year", "title_it", "title_en"]


class MilestoneInline(admin.TabularInline):
    model = plan.Milestone
    form = gated(forms.ModelForm)  # a milestone added on the node's page is live too
    extra = 0


class RoleInline(admin.TabularInline):
    model = plan.Role
    form = gated(forms.ModelForm)
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(plan.Node)
class NodeAdmin(PlanAdmin):
    list_display = ["key", "edition", "kind", "title_it", "title_en", "status"]
    list_filter = ["edition", "kind", "status"]
    search_fields = ["key", "title_it", "title_en"]
    inlines = [MilestoneInline, RoleInline]
    actions = ["start_drafts"]

    def has_draft_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.add_nodedraft")

    @admin.action(description=_("Start a draft of the public texts"), permissions=["draft"])
    def start_drafts(self, request: HttpRequest, queryset: Any) -> None:
        from innesto.portal.backoffice.publishing import start_draft

        for node in queryset:
            start_draft(node)

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return self.inlines if request.user.has_perm("backoffice.edit_structure") else []


@admin.register(plan.Actor)
class ActorAdmin(PlanAdmin):
    list_display = ["slug", "name_it", "name_en", "kind"]
    search_fields = ["slug", "name_it", "name_en"]


@admin.register(plan.Role)
class RoleAdmin(PlanAdmin):
    list_display = ["node", "actor", "role"]


@admin.register(plan.Milestone)
class MilestoneAdmin(PlanAdmin):
    list_display = ["node", "key", "due", "done", "status"]


@admin.register(plan.Sector)
class SectorAdmin(PlanAdmin):
    list_display = ["slug", "title_it", "title_en"]


@admin.register(plan.Media)
class MediaAdmin(PlanAdmin):
    list_display = ["slug", "edition", "kind", "title_it"]


@admin.register(plan.Indicator)
class IndicatorAdmin(PlanAdmin):
    list_display = ["slug", "edition", "title_it", "status"]
    list_filter = ["edition", "status"]
    search_fields = ["slug", "title_it", "title_en"]


@admin.register(plan.IndicatorValue)
class IndicatorValueAdmin(PlanAdmin):
    list_display = ["indicator", "period", "value", "provisional", "recorded_at",
                    "superseded_at"]
    list_filter = ["indicator__edition", "provisional"]
    readonly_fields = ["superseded_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A revised value is a new vintage: the row as it was stays (closed), the revision
        is a new row recorded now. Every save re-chains the period's vintages."""
        from innesto.portal.plans.vintages import record

        record(obj, revise=change and bool(set(form.changed_data) & plan.VINTAGE_FIELDS))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from innesto.portal.backoffice.cycles import is_locked

        if obj is not None and is_locked(obj):
            return False  # an approved reporting period is frozen
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from innesto.portal.backoffice.cycles import is_locked

        if obj is not None and is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr", "context"]
    list_filter = ["action", "model"]
    search_fields = ["actor", "object_repr", "object_id"]
    readonly_fields = ["at", "user", "actor", "action", "model", "object_id", "object_repr",
                       "before", "after", "context", "changed"]
    actions = ["restore_before"]

    def has_restore_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.view_auditentry") and \
            request.user.has_perm("backoffice.edit_structure")

    @admin.action(description=_("Restore the values before these changes"),
                  permissions=["restore"])
    def restore_before(self, request: HttpRequest, queryset: Any) -> None:
        from django.contrib import messages

        from innesto.errors import InnestoError
        from innesto.portal.backoffice.restoring import restore

        for entry in queryset.order_by("-at", "-id"):
            try:
                restore(entry, request.user)
            except InnestoError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("%(object)s: restored as before the change of "
                                            "%(at)s.") % {"object": entry.object_repr,
                                                          "at": f"{entry.at:%Y-%m-%d %H:%M}"})

    @admin.display(description=_("Changed fields"))
    def changed(self, obj: AuditEntry) -> str:
        return ", ".join(obj.changed_fields())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReportingItemInline(admin.TabularInline):
    model = ReportingItem
    extra = 1
    autocomplete_fields = ["indicator"]
    readonly_fields = ["reminded_at"]


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["edition", "period", "due", "approved_at", "approved_by"]
    list_filter = ["edition"]
    readonly_fields = ["approved_at", "approved_by"]
    inlines = [ReportingItemInline]
    actions = ["approve_and_lock"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.locked:
            return False
        return super().has_delete_permission(request, obj)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.approve_reportingcycle")

    @admin.action(description=_("Approve and lock the period"), permissions=["approve"])
    def approve_and_lock(self, request: HttpRequest, queryset: Any) -> None:
        from innesto.portal.backoffice.cycles import approve

        for cycle in queryset.filter(approved_at__isnull=True):
            approve(cycle, request.user)


@admin.register(NodeDraft)
class NodeDraftAdmin(admin.ModelAdmin):
    list_display = ["node", "title_it", "title_en", "updated_at", "ready"]
    readonly_fields = ["updated_at", "missing"]
    exclude = ["status_explanation_it", "status_explanation_en"]  # computed, not drafted
    raw_id_fields = ["node"]
    actions = ["publish_drafts", "publish_overwriting"]

    @admin.display(description=_("Missing translations"))
    def missing(self, obj: NodeDraft) -> str:
        from innesto.portal.backoffice.publishing import gate

        return ", ".join(f"{m.field} ({m.language})" for m in gate(obj)) or "–"

    @admin.display(description=_("Ready to publish"), boolean=True)
    def ready(self, obj: NodeDraft) -> bool:
        from innesto.portal.backoffice.publishing import gate

        return not gate(obj)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.publish_content")

    @admin.action(description=_("Publish (if every translation is there)"),
                  permissions=["publish"])
    def publish_drafts(self, request: HttpRequest, queryset: Any) -> None:
        self._publish(request, queryset, overwrite=False)

    @admin.action(description=_("Publish, overwriting the live page's changes"),
                  permissions=["publish"])
    def publish_overwriting(self, request: HttpRequest, queryset: Any) -> None:
        self._publish(request, queryset, overwrite=True)

    def _publish(self, request: HttpRequest, queryset: Any, *, overwrite: bool) -> None:
        from django.contrib import messages

        from innesto.portal.backoffice.publishing import (
            DraftConflict,
            PublicationBlocked,
            publish,
        )

        for draft in queryset:
            try:
                version = publish(draft, request.user, overwrite=overwrite)
            except (PublicationBlocked, DraftConflict) as exc:
                messages.error(request, f"{draft.node}: {exc}")
            else:
                messages.success(request, _("%(node)s: version %(n)d is live.")
                                 % {"node": draft.node, "n": version.number})


@admin.register(NodeVersion)
class NodeVersionAdmin(admin.ModelAdmin):
    list_display = ["node", "number", "published_at", "published_by", "note"]
    readonly_fields = ["node", "number", "published_at", "published_by", "data", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
