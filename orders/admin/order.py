"""The order in the admin: read-only evidence with its charge, the remote
sessions recorded on it (inline, through ``billing.services.session_record``),
the status actions (through ``orders.services.order_transition``), the invoicing
CSV and the statement PDF. Orders are never added or deleted here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing import exports
from billing import services as billing_services
from billing.admin.sessions import RemoteSessionInline
from billing.forms import ExportForm
from billing.models import RemoteSession
from billing.selectors import charge_of_annotated, with_recorded_time
from billing.statements import render_statement_pdf, statement_filename
from billing.templatetags.money import format_money
from orders import notifications, services
from orders.admin.changelist import EstimatedCountPaginator, PlacedPeriodFilter, order_search
from orders.admin.forms import CancelForm, ReasonForm, TransferForm
from orders.errors import OrderError
from orders.models import Order, OrderEvent

EXPORT_PERMISSION = "orders.export_order"
EVENT_FIELDS = ("created_at", "action", "actor_name", "from_status", "to_status", "note")


def staff_name(user: Any) -> str:
    """A staff member as plain text: the user admin is for administrators only, so
    a link there would lead agents to a refusal."""
    if user is None:
        return "-"
    return user.get_full_name() or user.get_username()


def document_links(document: Any) -> str:
    """The public page of exactly this version and its PDF (what the customer saw)."""
    if document is None or document.version is None:
        return "-"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{} v{}</a> '
        '(<a href="{}" target="_blank" rel="noopener">{}</a>)',
        document.get_absolute_url(),
        document.get_kind_display(),
        document.version,
        document.get_pdf_url(),
        _("PDF"),
    )


def csv_response(lines: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderEvent]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("ausgeführt von"))
    def actor_name(self, obj: OrderEvent) -> str:
        if obj.actor_id is None:
            return obj.actor_label or "-"
        return staff_name(obj.actor)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "company",
        "case_reference",
        "placed_at",
        "status",
        "raw_minutes",
        "blocks",
        "net_amount",
        "vat_treatment",
        "helpdesk_notification",
    ]
    list_select_related = ["support_request"]
    list_filter = [
        "status",
        "vat_treatment",
        "placed_at",
        ("placed_at", PlacedPeriodFilter),
        "tariff",
    ]
    actions = [
        "action_complete",
        "action_bill",
        "action_transfer",
        "action_cancel",
        "action_reopen",
        "action_export",
        "action_notify_helpdesk",
    ]
    # Searched by order_search (get_search_results); listed so the admin shows the box.
    search_fields = [
        "number",
        "support_request__company",
        "support_request__case_reference",
        "support_request__email",
    ]
    # A million orders: estimated counts above 10,000 rows and no second COUNT(*)
    # of the whole table (orders/admin/changelist.py).
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    inlines = [RemoteSessionInline, OrderEventInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status",
                    "support_request",
                    "placed_at",
                    "language",
                    "field_service_reference",
                    "helpdesk_notified_at",
                    "helpdesk_notification",
                ]
            },
        ),
        (_("Berechnung"), {"fields": ["charge_summary", "statement_link"]}),
        (
            _("Einwilligung (Nachweis)"),
            {
                "fields": [
                    "privacy_document_version",
                    "privacy_sha256",
                    "asb_document_version",
                    "asb_sha256",
                    "consent_text",
                    "button_label",
                ]
            },
        ),
        (
            _("Preise zum Zeitpunkt der Bestellung"),
            {
                "fields": [
                    "tariff",
                    "base_fee",
                    "block_price",
                    "block_minutes",
                    "vat_rate",
                    "currency",
                    "vat_treatment",
                    "customer_country",
                    "customer_vat_id",
                ]
            },
        ),
    ]

    @admin.display(description=_("Datenschutzerklärung (Version)"))
    def privacy_document_version(self, obj: Order) -> str:
        return document_links(obj.privacy_document)

    @admin.display(description=_("ASB (Version)"))
    def asb_document_version(self, obj: Order) -> str:
        return document_links(obj.asb_document)

    @admin.display(description=_("Firma"), ordering="support_request__company")
    def company(self, obj: Order) -> str:
        return obj.support_request.company

    @admin.display(description=_("Vorgangsnummer"), ordering="support_request__case_reference")
    def case_reference(self, obj: Order) -> str:
        return obj.support_request.case_reference

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    @admin.action(description=_("Ausstehende Helpdesk-Benachrichtigung erneut senden"))
    def action_notify_helpdesk(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        """Queue the notification of selected unsent orders (the worker sends it)."""
        queued = notifications.notifications_enqueue_missing(
            order_ids=queryset.values_list("pk", flat=True)
        )
        if queued:
            self.message_user(
                request,
                _("Helpdesk-Benachrichtigung wird gesendet (Hintergrundaufgabe): %(numbers)s")
                % {"numbers": ", ".join(queued)},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _(
                    "Für die ausgewählten Aufträge ist keine Benachrichtigung ausstehend "
                    "oder sie wartet bereits auf den nächsten Versuch."
                ),
                messages.INFO,
            )

    @admin.display(description=_("Helpdesk benachrichtigt"))
    def helpdesk_notification(self, obj: Order) -> str:
        state = vars(obj).get("_helpdesk_notification")
        if state is None:
            state = notifications.notification_states([obj])[obj.pk]
        return str(state.label)

    def get_changelist_instance(self, request: HttpRequest):
        # Notification states of the whole page in one query (none if all were sent).
        changelist = super().get_changelist_instance(request)
        page = list(changelist.result_list)
        states = notifications.notification_states(page)
        for order in page:
            vars(order)["_helpdesk_notification"] = states[order.pk]
        return changelist

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders come from the customer's button only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # evidence and accounting records (retention: see docs/orders.md)

    # --- list columns from the recorded time --------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return with_recorded_time(super().get_queryset(request))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Order], search_term: str
    ) -> tuple[QuerySet[Order], bool]:
        return order_search(queryset, search_term), False

    @admin.display(description=_("Minuten"), ordering="recorded")
    def raw_minutes(self, obj: Order) -> str:
        return formats.localize(charge_of_annotated(obj).raw_minutes)

    @admin.display(description=_("Takte"))
    def blocks(self, obj: Order) -> int:
        return charge_of_annotated(obj).blocks

    @admin.display(description=_("Netto"))
    def net_amount(self, obj: Order) -> str:
        charge = charge_of_annotated(obj)
        return format_money(charge.net, charge.currency)

    @admin.display(description=_("Berechnung"))
    def charge_summary(self, obj: Order) -> str:
        if obj.pk is None:
            return "-"
        charge = charge_of_annotated(obj)
        return render_to_string(
            "admin/orders/order/charge.html",
            {"charge": charge, "order": obj, "statement_url": self._statement_url(obj)},
        )

    @admin.display(description=_("Leistungsnachweis"))
    def statement_link(self, obj: Order) -> str:
        if obj.pk is None:
            return "-"
        return format_html(
            '<a class="button" href="{}">{}</a>', self._statement_url(obj), _("PDF herunterladen")
        )

    def _statement_url(self, obj: Order) -> str:
        return reverse("admin:orders_order_statement", args=[obj.pk])

    # --- urls and views ----------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        admin_site = self.admin_site
        urls = [
            path(
                "export/",
                admin_site.admin_view(self.export_view),
                name="orders_order_export",
            ),
            path(
                "<int:object_id>/sessions/<int:session_id>/void/",
                admin_site.admin_view(self.void_session_view),
                name="orders_order_void_session",
            ),
            path(
                "<path:object_id>/statement.pdf",
                admin_site.admin_view(self.statement_view),
                name="orders_order_statement",
            ),
        ]
        return urls + super().get_urls()

    def statement_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        order = get_object_or_404(
            Order.objects.select_related("support_request", "asb_document", "privacy_document"),
            pk=object_id,
        )
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        response = HttpResponse(render_statement_pdf(order), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{statement_filename(order)}"'
        return response

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        if not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        if request.GET and form.is_valid():
            data = form.cleaned_data
            orders = exports.orders_for_export(
                date_from=data["date_from"], date_to=data["date_to"], statuses=data["statuses"]
            )
            stamp = timezone.localdate().strftime("%Y%m%d")
            return csv_response(exports.order_csv_lines(orders), f"auftraege-{stamp}.csv")
        context = {
            **self.admin_site.each_context(request),
            "opts": Order._meta,
            "title": gettext("Aufträge für die Rechnungsstellung exportieren"),
            "form": form,
        }
        return TemplateResponse(request, "admin/orders/order/export.html", context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_export": request.user.has_perm(EXPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    # --- sessions inline saves through the service --------------------------------------

    def save_model(self, request: HttpRequest, obj: Order, form: Any, change: bool) -> None:
        # Every order field is read-only evidence; saving the page only adds sessions
        # (save_formset). Writing the row back could undo a concurrent status change.
        if not change:
            super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RemoteSession:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for session_form in formset.forms:
            data = getattr(session_form, "cleaned_data", None)
            if not data or session_form.instance.pk or not session_form.has_changed():
                continue
            try:
                session = billing_services.session_record(
                    order=form.instance,
                    started_at=data["started_at"],
                    ended_at=data["ended_at"],
                    by=request.user,
                    note=data.get("note", ""),
                )
            except OrderError as error:  # lost a race with another agent or a status change
                messages.error(request, str(error))
                request.refused_changes = True  # type: ignore[attr-defined]
            else:
                formset.new_objects.append(session)

    def message_user(
        self,
        request: HttpRequest,
        message: Any,
        level: int | str = messages.INFO,
        extra_tags: str = "",
        fail_silently: bool = False,
    ) -> None:
        # No "successfully changed" for a page whose sessions were refused.
        if level == messages.SUCCESS and getattr(request, "refused_changes", False):
            return
        super().message_user(
            request, message, level, extra_tags=extra_tags, fail_silently=fail_silently
        )

    # --- voiding a session ----------------------------------------------------------

    def void_session_view(
        self, request: HttpRequest, object_id: str, session_id: str
    ) -> HttpResponse:
        order = get_object_or_404(Order, pk=object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        session = get_object_or_404(
            RemoteSession.objects.select_related("agent"), pk=session_id, order=order
        )
        change_url = reverse("admin:orders_order_change", args=[order.pk])
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                billing_services.session_void(
                    session=session, by=request.user, reason=form.cleaned_data["reason"]
                )
            except OrderError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    gettext("Sitzung %(session)s storniert; sie zählt nicht mehr.")
                    % {"session": session},
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": Order._meta,
            "title": gettext("Sitzung stornieren"),
            "form": form,
            "order": order,
            "session": session,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/orders/order/void_session.html", context)

    # --- actions -------------------------------------------------------------------

    def _transition_each(
        self, request: HttpRequest, queryset: QuerySet[Order], to: str, **kwargs: Any
    ) -> None:
        done = 0
        for order in queryset:
            try:
                services.order_transition(order=order, to=to, by=request.user, **kwargs)
            except OrderError as error:
                # Some messages name the order already.
                text = str(error) if "number" in error.params else f"{order.number}: {error}"
                messages.error(request, text)
            else:
                done += 1
        if done:
            messages.success(
                request,
                gettext("%(count)d Auftrag/Aufträge: Status „%(status)s“.")
                % {"count": done, "status": Order.Status(to).label},
            )

    @admin.action(description=_("Als abgeschlossen markieren"), permissions=["change"])
    def action_complete(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition_each(request, queryset, Order.Status.COMPLETED)

    @admin.action(description=_("Als abgerechnet markieren"), permissions=["close"])
    def action_bill(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition_each(request, queryset, Order.Status.BILLED)

    @admin.action(description=_("An Field-Service-Einsatz übertragen …"), permissions=["close"])
    def action_transfer(self, request: HttpRequest, queryset: QuerySet[Order]) -> Any:
        return self._action_with_form(
            request,
            queryset,
            form_class=TransferForm,
            action="action_transfer",
            title=gettext("An Field-Service-Einsatz übertragen"),
            apply=lambda data: self._transition_each(
                request,
                queryset,
                Order.Status.TRANSFERRED,
                field_service_reference=data["field_service_reference"],
                note=data.get("note", ""),
            ),
        )

    @admin.action(description=_("Stornieren …"), permissions=["close"])
    def action_cancel(self, request: HttpRequest, queryset: QuerySet[Order]) -> Any:
        return self._action_with_form(
            request,
            queryset,
            form_class=CancelForm,
            action="action_cancel",
            title=gettext("Aufträge stornieren"),
            apply=lambda data: self._transition_each(
                request, queryset, Order.Status.CANCELLED, note=data["reason"]
            ),
        )

    @admin.action(description=_("Wieder öffnen (mit Begründung) …"), permissions=["close"])
    def action_reopen(self, request: HttpRequest, queryset: QuerySet[Order]) -> Any:
        return self._action_with_form(
            request,
            queryset,
            form_class=ReasonForm,
            action="action_reopen",
            title=gettext("Abgeschlossene Aufträge wieder öffnen"),
            apply=lambda data: self._transition_each(
                request, queryset, Order.Status.IN_PROGRESS, note=data["reason"]
            ),
        )

    @admin.action(description=_("Als CSV exportieren"), permissions=["export"])
    def action_export(self, request: HttpRequest, queryset: QuerySet[Order]) -> Any:
        pks = list(queryset.values_list("pk", flat=True))
        orders = exports.orders_for_export(pks=pks)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return csv_response(exports.order_csv_lines(orders), f"auftraege-{stamp}.csv")

    def has_close_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.CLOSE_PERMISSION)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION)

    def _action_with_form(
        self,
        request: HttpRequest,
        queryset: QuerySet[Order],
        *,
        form_class: type[forms.Form],
        action: str,
        title: str,
        apply: Any,
    ) -> Any:
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            apply(form.cleaned_data)
            return None  # back to the list, with the messages
        context = {
            **self.admin_site.each_context(request),
            "opts": Order._meta,
            "title": title,
            "form": form,
            "orders": queryset,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orders/order/action_form.html", context)
