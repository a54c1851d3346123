"""Admin for the helpdesk: the service cases (read-only records of TeamViewer),
re-creating a failed case and running a sync pass on demand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from orders.admin import OrderAdmin
from orders.models import Order
from teamviewer import services
from teamviewer.errors import TeamViewerError
from teamviewer.models import ConnectionReport, ServiceCase

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
        retry(request, queryset)

    @admin.action(description=_("Mit TeamViewer abgleichen"), permissions=["change"])
    def sync_now(self, request: HttpRequest, queryset: QuerySet[ServiceCase]) -> None:
        sync(request)


def retry(request: HttpRequest, cases: QuerySet[ServiceCase]) -> None:
    """Start failed cases again; say so for the others."""
    for case in cases.select_related("order"):
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
            request, _("%(order)s: Sitzung wird neu angelegt.") % {"order": case.order.number}
        )


def sync(request: HttpRequest) -> None:
    """One sync pass now; its summary as a message."""
    if not services.integration_enabled():
        messages.error(request, _("Die TeamViewer-Anbindung ist nicht eingerichtet."))
        return
    messages.info(request, services.sync_pass().summary())


class ServiceCaseInline(admin.StackedInline):
    """The order's case on the order page: code, supporter link, state, last error."""

    model = ServiceCase
    can_delete = False
    extra = 0
    max_num = 0
    verbose_name_plural = _("TeamViewer")
    fields = (
        "status",
        "code",
        "supporter_link_html",
        "valid_until",
        "closed_at",
        "attempts",
        "last_error",
        "last_error_at",
        "reports_synced_at",
    )
    readonly_fields = fields

    @admin.display(description=_("Link für den Helpdesk"))
    def supporter_link_html(self, obj: ServiceCase) -> str:
        return supporter_link_html(obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def connections_table(order: Order) -> str:
    """TeamViewer's connections of the order: which became sessions, which are
    flagged for the agent (overlap, end before start), and whether TeamViewer
    holds the billing mark the order asks for."""
    reports = ConnectionReport.objects.filter(case__order=order).order_by("started_at", "pk")
    rows = []
    for report in reports:
        if report.in_agreement:
            agreement = str(_("ja"))
        else:
            agreement = str(
                _("nein, ausstehend: %(state)s") % {"state": report.wanted_billing_state}
            )
            if report.mark_error:
                agreement += f" ({report.mark_error})"
        rows.append(
            (
                date_format(timezone.localtime(report.started_at), "DATETIME_FORMAT"),
                date_format(timezone.localtime(report.ended_at), "TIME_FORMAT"),
                report.supporter_name or "-",
                report.get_problem_display() if report.problem else str(_("übernommen")),
                report.billing_state or "-",
                agreement,
            )
        )
    if not rows:
        return str(_("Keine Verbindungen übernommen."))
    head = format_html(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        _("Beginn"),
        _("Ende"),
        _("Mitarbeiter (TeamViewer)"),
        _("Sitzung"),
        _("Abrechnungsstatus in TeamViewer"),
        _("TeamViewer stimmt überein"),
    )
    body = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
    )
    return format_html('<table class="teamviewer-connections">{}{}</table>', head, body)


# The order admin of the orders app, with the TeamViewer case on the order page and
# two actions. Registered again from here, so that orders never imports teamviewer.
admin.site.unregister(Order)


@admin.register(Order)
class OrderWithTeamViewerAdmin(OrderAdmin):
    inlines = [ServiceCaseInline, *OrderAdmin.inlines]
    actions = [*OrderAdmin.actions, "action_teamviewer_retry", "action_teamviewer_sync"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((_("TeamViewer-Verbindungen"), {"fields": ["teamviewer_connections"]}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "teamviewer_connections"]

    @admin.display(description=_("TeamViewer-Verbindungen"))
    def teamviewer_connections(self, obj: Order) -> str:
        return connections_table(obj)

    @admin.action(description=_("TeamViewer-Sitzung neu anlegen"), permissions=["change"])
    def action_teamviewer_retry(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        retry(request, ServiceCase.objects.filter(order__in=queryset))

    @admin.action(description=_("Mit TeamViewer abgleichen"), permissions=["change"])
    def action_teamviewer_sync(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        sync(request)
