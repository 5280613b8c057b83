"""The five roles of the back office, as Django groups with explicit permissions.

``ROLES`` is the single source: ``sync_roles()`` (run after every ``migrate``) makes each
group hold exactly these permissions. Administrators get every permission, including users,
groups and the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ADMINISTRATOR = "administrator"
EDITOR = "editor"
DATA_MANAGER = "data manager"
TRANSLATOR = "translator"
NEWSLETTER_SENDER = "newsletter sender"

PLAN_CONTENT = ["edition", "node", "milestone", "actor", "role", "sector", "media"]


def _crud(app: str, models: list[str], verbs: str = "add change delete view") -> list[str]:
    return [f"{app}.{verb}_{m}" for m in models for verb in verbs.split()]


ROLES: dict[str, list[str] | None] = {
    ADMINISTRATOR: None,  # every permission
    EDITOR: [
        *_crud("plans", PLAN_CONTENT),
        "plans.view_indicator", "plans.change_indicator", "plans.view_indicatorvalue",
        *_crud("engage", ["contactmessage"], "change view"),
        *_crud("engage", ["officecontact"]),
        "backoffice.edit_structure", "backoffice.view_translations",
        "backoffice.import_plan", "backoffice.publish_content",
        "backoffice.view_reportingcycle", "backoffice.view_reportingitem",
        "backoffice.approve_reportingcycle",
        *_crud("backoffice", ["nodedraft"]), "backoffice.view_nodeversion",
    ],
    DATA_MANAGER: [
        "plans.view_edition", "plans.view_node", "plans.view_indicator",
        *_crud("plans", ["indicatorvalue"]),
        *_crud("backoffice", ["reportingcycle"], "add change view"),
        *_crud("backoffice", ["reportingitem"]),
    ],
    # Plan pages (nodes) only through drafts, which the publication gate guards; the other
    # texts directly, under the same gate (``admin.gated``).
    TRANSLATOR: [
        "plans.view_node",
        *_crud("plans", [*(m for m in PLAN_CONTENT if m != "node"), "indicator"],
               "change view"),
        "backoffice.view_translations",
        *_crud("backoffice", ["nodedraft"], "add change view"), "backoffice.view_nodeversion",
    ],
    NEWSLETTER_SENDER: [
        *_crud("engage", ["newsletter"], "add change view"),
        "engage.send_newsletter", "engage.view_mailinglist", "engage.view_delivery",
    ],
}


def _permissions(names: list[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for name in names:
        app, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app, codename=codename)
    found = list(Permission.objects.filter(query))
    return found


def sync_roles() -> dict[str, int]:
    """Create or update the five groups; return how many permissions each holds."""
    out = {}
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = list(Permission.objects.all()) if perms is None else _permissions(perms)
        group.permissions.set(wanted)
        out[name] = len(wanted)
    return out


def sync_after_migrate(**kwargs: Any) -> None:
    """post_migrate hook: create every app's permissions first (the auth app does it app by
    app, some of them after this one), then keep the groups in step."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles()
