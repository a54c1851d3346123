from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from contact.errors import ContactError
from contact.models import ContactMessage
from contact.services import contact_message_mark_handled

# Shown in this order and all read-only: what the customer wrote, and who handled it.
MESSAGE_FIELDS = (
    "created_at",
    "name",
    "company",
    "email",
    "phone",
    "reference",
    "language",
    "message",
    "handled_at",
    "handled_by",
)


class HandledFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "handled"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("no", _("Offen")), ("yes", _("Erledigt"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ContactMessage]
    ) -> QuerySet[ContactMessage]:
        if self.value() == "no":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Agents read, search and mark messages handled; what the customer wrote is read-only."""

    list_display = [
        "created_at",
        "name",
        "company",
        "email",
        "reference",
        "excerpt",
        "language",
        "handled",
        "handled_at",
        "handled_by",
    ]
    list_display_links = ["created_at", "name"]
    list_filter = [HandledFilter, "language", "created_at"]
    search_fields = ["name", "company", "email", "phone", "reference", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["handled_by"]
    list_per_page = 50
    actions = ["mark_handled"]
    fields = MESSAGE_FIELDS
    readonly_fields = MESSAGE_FIELDS

    @admin.display(description=_("Nachricht"))
    def excerpt(self, obj: ContactMessage) -> str:
        # Plain text: the admin escapes it like every other value.
        return Truncator(" ".join(obj.message.split())).chars(80)

    @admin.display(boolean=True, description=_("Erledigt"), ordering="handled_at")
    def handled(self, obj: ContactMessage) -> bool:
        return obj.is_handled

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Messages come from the contact form only.
        return False

    @admin.action(description=_("Als erledigt markieren"), permissions=["change"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        agent = request.user
        if not isinstance(agent, AbstractBaseUser):  # the admin only lets staff in
            raise PermissionDenied
        pending = list(queryset.filter(handled_at__isnull=True))
        skipped = queryset.count() - len(pending)
        done = 0
        for contact_message in pending:
            try:
                contact_message_mark_handled(contact_message=contact_message, by=agent)
            except ContactError:
                skipped += 1  # handled meanwhile by someone else; their record stays
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("Als erledigt markiert: %(count)d") % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Bereits erledigt, unverändert gelassen: %(count)d") % {"count": skipped},
                messages.WARNING,
            )
