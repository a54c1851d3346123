"""Admin for the helpdesk: the service cases (read-only records of TeamViewer),
re-creating a failed case and running a sync pass on demand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from teamviewer import services
from teamviewer.errors import TeamViewerError
from teamviewer.models import ServiceCase

CASE_FIELDS = [
    "order_link",
    "status",
    "code",
    "supporter_link_html",
    "end_customer_link",
    "requested_at",
    "created_at",
    "valid_until",
    "close_requested_at",
    "closed_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "last_error_at",
    "reports_synced_at",
]


def supporter_link_html(case: ServiceCase) -> str:
    if not case.supporter_link:
        return "-"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
        case.supporter_link,
        _("Sitzung in TeamViewer öffnen"),
    )


@admin.register(ServiceCase)
class ServiceCaseAdmin(admin.ModelAdmin):
    list_display = ["code", "order_link", "status", "valid_until", "last_error"]
    list_select_related = ["order"]
    list_filter = ["status"]
    search_fields = ["code", "order__number"]
    readonly_fields = tuple(CASE_FIELDS)
    fields = tuple(CASE_FIELDS)
    actions = ["retry_cases", "sync_now"]

    @admin.display(description=_("Auftrag"), ordering="order__number")
    def order_link(self, obj: ServiceCase) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:orders_order_change", args=[obj.order_id]),
            obj.order.number,
        )

    @admin.display(description=_("Link für den Helpdesk"))
    def supporter_link_html(self, obj: ServiceCase) -> str:
        return supporter_link_html(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Fehlgeschlagene Sitzung neu anlegen"), permissions=["change"])
    def retry_cases(self, request: HttpRequest, queryset: QuerySet[ServiceCase]) -> None:
        for case in queryset.select_related("order"):
            try:
                services.case_retry(case=case, by=request.user)
            except TeamViewerError:
                messages.warning(
                    request,
                    _("%(order)s: nur fehlgeschlagene Sitzungen können neu angelegt werden.")
                    % {"order": case.order.number},
                )
                continue
            messages.success(
                request,
                _("%(order)s: Sitzung wird neu angelegt.") % {"order": case.order.number},
            )

    @admin.action(description=_("Mit TeamViewer abgleichen"), permissions=["change"])
    def sync_now(self, request: HttpRequest, queryset: QuerySet[ServiceCase]) -> None:
        if not services.integration_enabled():
            messages.error(request, _("Die TeamViewer-Anbindung ist nicht eingerichtet."))
            return
        result = services.sync_pass()
        messages.info(request, result.summary())
