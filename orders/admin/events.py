"""An order's history on its page: each event in the agent's words, read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from orders.models import OrderEvent
from orders.texts import ACTOR_CUSTOMER

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EVENT_FIELDS = ("created_at", "event", "actor_name", "from_status", "to_status", "note")

#: What each recorded action means, in the agent's words. The dotted code stays in
#: the database, the logs and the row's tooltip.
EVENT_LABELS: dict[str, StrOrPromise] = {
    "orders.order.placed": _("Bestellt"),
    "orders.order.in_progress": _("In Bearbeitung"),
    "orders.order.completed": _("Abgeschlossen"),
    "orders.order.billed": _("Abgerechnet"),
    "orders.order.transferred": _("An Field-Service übertragen"),
    "orders.order.cancelled": _("Storniert"),
    "orders.order.reopened": _("Wieder geöffnet"),
    "orders.session.voided": _("Sitzung storniert"),
    "teamviewer.case.opened": _("TeamViewer-Sitzung angelegt"),
    "teamviewer.case.retried": _("TeamViewer-Sitzung neu angefordert"),
    "teamviewer.case.closed": _("TeamViewer-Sitzung geschlossen"),
    "teamviewer.report.flagged": _("TeamViewer-Verbindung zu prüfen"),
}


#: Who acted, where no staff member did (``OrderEvent.actor_label``).
ACTOR_LABELS: dict[str, StrOrPromise] = {ACTOR_CUSTOMER: _("Kunde (Bestellseite)")}


def staff_name(user: Any) -> str:
    """A staff member as plain text: the user admin is for administrators only, so
    a link there would lead agents to a refusal."""
    if user is None:
        return "-"
    return user.get_full_name() or user.get_username()


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    # Drawn after the order's evidence, not above the calculation (change_form.html).
    at_end = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderEvent]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("Ereignis"))
    def event(self, obj: OrderEvent) -> str:
        label = EVENT_LABELS.get(obj.action, obj.action)
        return format_html('<span title="{}">{}</span>', obj.action, label)

    @admin.display(description=_("ausgeführt von"))
    def actor_name(self, obj: OrderEvent) -> str:
        if obj.actor_id is None:
            return str(ACTOR_LABELS.get(obj.actor_label, obj.actor_label or "-"))
        return staff_name(obj.actor)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
