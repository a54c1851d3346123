"""The order in the admin: read-only evidence with its charge, the remote
sessions recorded on it (inline, through ``billing.services.session_record``),
the status actions (through ``orders.services.order_transition``; the table in
``orders/admin/status.py``), the history (``orders/admin/events.py``), the
invoicing CSV and the statement PDF. Orders are never added or deleted here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
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
from orders.admin.changelist import (
    ClosedChoicesFilter,
    ClosedRelatedFilter,
    EstimatedCountPaginator,
    NotificationFilter,
    PlacedPeriodFilter,
    order_search,
)
from orders.admin.events import OrderEventInline
from orders.admin.forms import ReasonForm
from orders.admin.status import STATUS_ACTIONS, StatusAction, list_action
from orders.errors import OrderError
from orders.models import Order

if TYPE_CHECKING:
    pass

EXPORT_PERMISSION = "orders.export_order"


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


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    # Six figures the helpdesk works by, narrow enough for 1280 px with the filters.
    list_display = [
        "order_number",
        "company",
        "placed",
        "status",
        "raw_minutes",
        "blocks",
        "gross_amount",
        "helpdesk_notification",
    ]
    list_select_related = ["support_request"]
    list_filter = [
        "status",
        NotificationFilter,
        "placed_at",
        ("placed_at", PlacedPeriodFilter),
        # Rarely used: drawn closed.
        ("vat_treatment", ClosedChoicesFilter),
        ("tariff", ClosedRelatedFilter),
    ]
    actions = [
        *(list_action(name) for name in STATUS_ACTIONS),
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
    # In working order (change_form.html): the status with its actions, the sessions,
    # the calculation, then the evidence, collapsed.
    fieldsets = [
        (
            _("Status"),
            {
                "fields": [
                    ("number", "status"),
                    ("support_request", "placed_at", "language"),
                    "field_service_reference",
                    ("helpdesk_notification", "helpdesk_notified_at"),
                ]
            },
        ),
        (_("Berechnung"), {"fields": ["charge_summary"]}),
        (
            _("Einwilligung (Nachweis)"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("privacy_document_version", "privacy_sha256"),
                    ("asb_document_version", "asb_sha256"),
                    "consent_text",
                    "button_label",
                ],
            },
        ),
        (
            _("Preise zum Zeitpunkt der Bestellung"),
            {
                "classes": ["collapse"],
                # The export's definition of the prices, three to a line.
                "fields": [
                    "tariff",
                    *(
                        exports.ORDER_PRICE_FIELDS[start : start + 3]
                        for start in range(0, len(exports.ORDER_PRICE_FIELDS), 3)
                    ),
                ],
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

    @admin.display(description=_("Nr."), ordering="number")
    def order_number(self, obj: Order) -> str:
        return obj.number

    @admin.display(description=_("Bestellt"), ordering="placed_at")
    def placed(self, obj: Order) -> str:
        return formats.date_format(timezone.localtime(obj.placed_at), "SHORT_DATETIME_FORMAT")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            field
            for fieldset in self.fieldsets
            for line in fieldset[1]["fields"]
            for field in ((line,) if isinstance(line, str) else line)
        ]

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

    @admin.display(description=_("Benachrichtigung"))
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

    def action_checkbox(self, obj: Order) -> SafeString:
        # Django's checkbox, written directly: rendering a widget template for
        # each of 100 rows took a fifth of the list's time (docs/benchmarks.md).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Auftrag {} für eine Aktion auswählen"), obj.number),
        )

    # --- list columns from the recorded time --------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return with_recorded_time(super().get_queryset(request))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Order], search_term: str
    ) -> tuple[QuerySet[Order], bool]:
        return order_search(queryset, search_term), False

    @admin.display(description=_("Min."), ordering="recorded")
    def raw_minutes(self, obj: Order) -> str:
        return formats.localize(charge_of_annotated(obj).raw_minutes)

    @admin.display(description=_("Takte"))
    def blocks(self, obj: Order) -> int:
        return charge_of_annotated(obj).blocks

    @admin.display(description=_("Brutto"))
    def gross_amount(self, obj: Order) -> str:
        if obj.status == Order.Status.CANCELLED:
            return "-"  # nothing is billed; the export keeps the figures for reference
        charge = charge_of_annotated(obj)
        return format_money(charge.gross, charge.currency)

    @admin.display(description=_("Berechnung"))
    def charge_summary(self, obj: Order) -> str:
        if obj.pk is None:
            return "-"
        charge = charge_of_annotated(obj)
        return render_to_string(
            "admin/orders/order/charge.html",
            {"charge": charge, "order": obj, "statement_url": self._statement_url(obj)},
        )

    def _statement_url(self, obj: Order) -> str:
        return reverse("admin:orders_order_statement", args=[obj.pk])

    # --- urls and views ----------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        views: list[tuple[str, Callable[..., HttpResponseBase], str]] = [
            ("export/", self.export_view, "export"),
            (
                "<int:object_id>/sessions/<int:session_id>/void/",
                self.void_session_view,
                "void_session",
            ),
            ("<int:object_id>/status/<str:name>/", self.status_view, "status"),
            ("<path:object_id>/statement.pdf", self.statement_view, "statement"),
        ]
        own = [
            path(route, self.admin_site.admin_view(view), name=f"orders_order_{name}")
            for route, view, name in views
        ]
        return own + super().get_urls()

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
            "form_method": "get",
        }
        return TemplateResponse(request, "admin/orders/order/export.html", context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Order | None = None,
    ) -> HttpResponse:
        context["status_actions"] = self.status_actions(request, obj) if obj else []
        return super().render_change_form(request, context, add, change, form_url, obj)

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

    # --- status actions, on the list and on an order's page ---------------------------

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

    def _may(self, request: HttpRequest, action: StatusAction) -> bool:
        return bool(getattr(self, f"has_{action.permission}_permission")(request))

    def status_action_on_list(
        self, request: HttpRequest, queryset: QuerySet[Order], name: str
    ) -> HttpResponse | None:
        """Run ``STATUS_ACTIONS[name]`` on the selected orders; first ask for the
        reference or reason if the action needs one. None: back to the list."""
        action = STATUS_ACTIONS[name]
        applied = "apply" in request.POST or action.form_class is forms.Form
        form = action.form_class(request.POST if applied else None)
        if applied and form.is_valid():
            self._transition_each(
                request, queryset, action.to, **action.transition_kwargs(form.cleaned_data)
            )
            return None
        return self._status_form_page(
            request,
            form,
            title=action.title,
            orders=queryset,
            cancel_url=reverse("admin:orders_order_changelist"),
            action=name,
        )

    def status_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        """One order's status action, from the button on its page; back there after."""
        action = STATUS_ACTIONS.get(name)
        if action is None:
            raise Http404
        order = get_object_or_404(Order.objects.select_related("support_request"), pk=object_id)
        if not (self.has_change_permission(request, order) and self._may(request, action)):
            raise PermissionDenied
        change_url = reverse("admin:orders_order_change", args=[order.pk])
        form = action.form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            self._transition_each(
                request,
                Order.objects.filter(pk=order.pk),
                action.to,
                **action.transition_kwargs(form.cleaned_data),
            )
            return redirect(change_url)
        return self._status_form_page(
            request,
            form,
            title=f"{action.title}: {order.number}",
            orders=[order],
            cancel_url=change_url,
        )

    def status_actions(self, request: HttpRequest, order: Order) -> list[tuple[str, str]]:
        """The buttons on ``order``'s page: (label, url) of the actions this user may
        take from its current status."""
        return [
            (str(action.description), reverse("admin:orders_order_status", args=[order.pk, name]))
            for name, action in STATUS_ACTIONS.items()
            if action.allowed_from(order.status) and self._may(request, action)
        ]

    def _status_form_page(
        self,
        request: HttpRequest,
        form: forms.Form,
        *,
        title: str,
        orders: Any,
        cancel_url: str,
        action: str = "",
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": Order._meta,
            "title": title,
            "form": form,
            "orders": orders,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "admin/orders/order/action_form.html", context)

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
