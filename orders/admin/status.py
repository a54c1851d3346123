"""The order's status actions, defined once: the order list's action menu (for
the selected orders) and the buttons on an order's page (for that order) both
run ``orders.services.order_transition`` through this table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from orders import services
from orders.admin.forms import CancelForm, ReasonForm, TransferForm
from orders.models import Order

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class StatusAction:
    """A status change the helpdesk starts from the order list (for the selected
    orders) or from an order's page (for that order); ``form_class`` asks for a
    reference or a reason first (a form without fields asks nothing)."""

    to: str
    description: StrOrPromise  # the list's action menu and the button on the order's page
    form_class: type[forms.Form]

    @property
    def permission(self) -> str:
        """``order_transition``'s rule; "in progress" is offered as reopening only."""
        from_status = Order.Status.COMPLETED if self.to == Order.Status.IN_PROGRESS else ""
        lead = services.transition_needs_close_permission(from_status=from_status, to=self.to)
        return "close" if lead else "change"

    @property
    def title(self) -> str:
        return str(self.description).removesuffix(" …")

    def transition_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        """``order_transition``'s arguments from the form's cleaned data."""
        return {
            "note": data.get("note") or data.get("reason", ""),
            "field_service_reference": data.get("field_service_reference", ""),
        }

    def allowed_from(self, status: str) -> bool:
        # Work starts by recording a session; "in progress" is offered as reopening only.
        if self.to == Order.Status.IN_PROGRESS and status != Order.Status.COMPLETED:
            return False
        return self.to in services.ALLOWED_TRANSITIONS.get(status, frozenset())


Status = Order.Status
# Name (the action's value in the list's menu) -> action, in menu order.
STATUS_ACTIONS: dict[str, StatusAction] = {
    name: StatusAction(to, description, form_class)
    for name, to, description, form_class in (
        ("action_complete", Status.COMPLETED, _("Als abgeschlossen markieren"), forms.Form),
        ("action_bill", Status.BILLED, _("Als abgerechnet markieren"), forms.Form),
        (
            "action_transfer",
            Status.TRANSFERRED,
            _("An Field-Service-Einsatz übertragen …"),
            TransferForm,
        ),
        ("action_cancel", Status.CANCELLED, _("Stornieren …"), CancelForm),
        ("action_reopen", Status.IN_PROGRESS, _("Wieder öffnen (mit Begründung) …"), ReasonForm),
    )
}


def list_action(name: str) -> Any:
    """The order list's action ``name`` of ``STATUS_ACTIONS``."""
    action = STATUS_ACTIONS[name]

    def run(model_admin: Any, request: HttpRequest, queryset: QuerySet[Order]) -> Any:
        return model_admin.status_action_on_list(request, queryset, name)

    run.__name__ = name
    return admin.action(description=action.description, permissions=[action.permission])(run)
