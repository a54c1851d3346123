"""The staff groups and their permissions, defined once and applied by one function.

``groups_apply`` runs after every ``migrate`` (and after the test database is
flushed), as a ``post_migrate`` receiver connected in ``lenze_support.apps``:
each group gets exactly the permissions listed here. Staff members also need
"staff status" to log in to the admin; superusers need no group.

- "Helpdesk": agents create, re-send and revoke order links, see orders and
  their events, record remote sessions, complete orders and export them, read
  contact messages and mark them handled, see the order's TeamViewer case and
  re-create a failed one.
- "Helpdesk lead": additionally bills, transfers and cancels orders
  (``orders.close_order``), adds tariffs and deletes contact messages (an
  erasure request).
- "Legal": edits drafts of the legal documents and publishes them; published
  versions stay read-only whatever the permissions.

Nobody may delete orders, support requests, sessions or tariffs: no group has
those permissions, and the admin refuses them as well.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

HELPDESK = "Helpdesk"
HELPDESK_LEAD = "Helpdesk lead"
LEGAL = "Legal"

_AGENT: dict[str, list[str]] = {
    "orders": [
        "add_supportrequest",
        "change_supportrequest",
        "view_supportrequest",
        "view_order",
        "change_order",
        "export_order",
        "view_orderevent",
    ],
    "billing": ["view_tariff", "add_remotesession", "view_remotesession"],
    "contact": ["view_contactmessage", "change_contactmessage"],
    # The order's TeamViewer case on the order page; change: re-create a failed one.
    "teamviewer": ["view_servicecase", "change_servicecase"],
}

# Group name -> app label -> permission codenames.
GROUPS: dict[str, dict[str, list[str]]] = {
    HELPDESK: _AGENT,
    HELPDESK_LEAD: {
        "orders": [*_AGENT["orders"], "close_order"],
        "billing": [*_AGENT["billing"], "add_tariff", "change_tariff"],
        "contact": [*_AGENT["contact"], "delete_contactmessage"],
        "teamviewer": _AGENT["teamviewer"],
        # "Hintergrundaufgaben": the queue's tasks, and "retry now" for failed ones.
        "background": ["view_backgroundtask", "retry_backgroundtask"],
    },
    LEGAL: {
        "legal": [
            "view_legaldocument",
            "add_legaldocument",
            "change_legaldocument",
            "delete_legaldocument",  # drafts only; the admin and the model refuse published ones
            "publish_legaldocument",
        ],
    },
}


def groups_apply(*, apps: Any = global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the groups of ``GROUPS`` that are missing and give each exactly its
    permissions (creating permissions that do not exist yet). Idempotent.

    ``apps``: the app registry, or the migration state ``post_migrate`` passes in."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    labels = {label for permissions in GROUPS.values() for label in permissions}
    for label in sorted(labels):
        # Django creates permissions app by app after migrate; these may come later.
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    for name, permissions in GROUPS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for label, codenames in permissions.items():
            found = list(
                Permission.objects.using(using).filter(
                    content_type__app_label=label, codename__in=codenames
                )
            )
            missing = set(codenames) - {permission.codename for permission in found}
            if missing:
                raise LookupError(f"group {name!r}: no permission {label}.{sorted(missing)}")
            wanted.extend(found)
        group.permissions.set(wanted)


def groups_apply_after_migrate(
    *, apps: Any = global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """``post_migrate`` receiver: ``groups_apply`` when the models it needs exist
    (a migrate back to an early state may have removed them)."""
    try:
        apps.get_model("auth", "Group")
        for label in {label for permissions in GROUPS.values() for label in permissions}:
            apps.get_app_config(label)
    except LookupError:
        return
    groups_apply(apps=apps, using=using)
