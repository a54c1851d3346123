"""The agents' billing tools on the order admin (issue 5).

Mixed into ``orders.admin.OrderAdmin``: annotated list columns (raw minutes,
blocks, net) at a constant number of queries, the sessions inline, the computed
charge, status actions (complete, bill, transfer, cancel) with intermediate
forms where a reference or reason is needed, the CSV export and the statement
PDF. Every write goes through ``orders.services``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
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
from billing.models import RemoteSession
from billing.selectors import charge_of_annotated, with_recorded_time
from orders import services
from orders.errors import OrderError
from orders.models import Order

EXPORT_PERMISSION = "orders.export_order"


# --- Intermediate forms for actions --------------------------------------------------


class TransferForm(forms.Form):
    field_service_reference = forms.CharField(
        label=_("Field-Service-Auftragsnummer"), max_length=50, strip=True
    )
    note = forms.CharField(
        label=_("Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Stornierung"), widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class ExportForm(forms.Form):
    date_from = forms.DateField(label=_("Bestellt von (Datum)"), required=False)
    date_to = forms.DateField(label=_("Bestellt bis (Datum, einschließlich)"), required=False)
    statuses = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Order.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # What is to be invoiced: completed orders (billed ones were exported before).
        initial=[Order.Status.COMPLETED],
        help_text=_("Ohne Auswahl: alle Status."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(OrderError.EXPORT_PERIOD_INVERTED)
        return data


def csv_response(lines: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class OrderBillingAdminMixin:
    """Billing columns, actions and views for ``OrderAdmin`` (see module docstring)."""

    billing_actions = ["action_complete", "action_bill", "action_transfer", "action_cancel"]

    # --- list ---------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return with_recorded_time(super().get_queryset(request))  # type: ignore[misc]

    @admin.display(description=_("Minuten"), ordering="recorded")
    def raw_minutes(self, obj: Order) -> str:
        return formats.localize(charge_of_annotated(obj).raw_minutes)

    @admin.display(description=_("Takte"))
    def blocks(self, obj: Order) -> int:
        return charge_of_annotated(obj).blocks

    @admin.display(description=_("Netto"))
    def net_amount(self, obj: Order) -> str:
        from billing.templatetags.money import format_money

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
        admin_site = self.admin_site  # type: ignore[attr-defined]
        urls = [
            path(
                "export/",
                admin_site.admin_view(self.export_view),
                name="orders_order_export",
            ),
            path(
                "<path:object_id>/statement.pdf",
                admin_site.admin_view(self.statement_view),
                name="orders_order_statement",
            ),
        ]
        return urls + super().get_urls()  # type: ignore[misc]

    def statement_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        from billing.statements import render_statement_pdf, statement_filename

        order = get_object_or_404(
            Order.objects.select_related("support_request", "asb_document", "privacy_document"),
            pk=object_id,
        )
        if not self.has_view_permission(request, order):  # type: ignore[attr-defined]
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
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
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
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    # --- sessions inline saves through the service --------------------------------------

    def save_model(self, request: HttpRequest, obj: Order, form: Any, change: bool) -> None:
        # Every order field is read-only evidence; saving the page only adds sessions
        # (save_formset). Writing the row back could undo a concurrent status change.
        if not change:
            super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RemoteSession:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
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
            except OrderError as error:  # lost a race with another agent's entry
                messages.error(request, str(error))
            else:
                formset.new_objects.append(session)

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
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": Order._meta,
            "title": title,
            "form": form,
            "orders": queryset,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orders/order/action_form.html", context)
