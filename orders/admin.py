"""Admin for the helpdesk: support requests (create, re-send, revoke) and
orders (read-only evidence, never deleted)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing.admin import RemoteSessionInline
from orders import notifications, services
from orders.admin_billing import OrderBillingAdminMixin
from orders.admin_scale import EstimatedCountPaginator, OrderSearchMixin
from orders.errors import OrderError
from orders.models import Order, OrderEvent, SupportRequest

NEW_LINK_SESSION_KEY = "orders_new_link"
EVENT_FIELDS = ("created_at", "action", "actor", "actor_label", "from_status", "to_status", "note")


class SupportRequestAddForm(forms.ModelForm):
    send_email = forms.BooleanField(
        label=_("Link jetzt per E-Mail senden"),
        required=False,
        initial=True,
        help_text=_(
            "Ohne Häkchen wird der Link nur einmal hier angezeigt, damit Sie ihn selbst senden."
        ),
    )

    class Meta:
        model = SupportRequest
        fields = [
            "company",
            "contact_name",
            "email",
            "case_reference",
            "language",
            "country",
            "vat_id",
        ]


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "case_reference",
        "email",
        "state",
        "created_at",
        "emailed_at",
        "expires_at",
        "order_link",
    ]
    list_select_related = ["order"]
    search_fields = ["company", "case_reference", "email", "contact_name", "order__number"]
    list_filter = ["language", "created_at"]
    date_hierarchy = "created_at"
    actions = ["resend_link", "revoke_link"]
    readonly_fields = [
        "company",
        "contact_name",
        "email",
        "case_reference",
        "language",
        "country",
        "vat_id",
        "state",
        "created_by",
        "created_at",
        "emailed_at",
        "expires_at",
        "revoked_at",
        "order_link",
    ]

    @admin.display(description=_("Status"))
    def state(self, obj: SupportRequest) -> str:
        return str(obj.state.label)

    @admin.display(description=_("Auftrag"))
    def order_link(self, obj: SupportRequest) -> str:
        if not obj.has_order:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:orders_order_change", args=[obj.order.pk]),
            obj.order.number,
        )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = SupportRequestAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None):
        if obj is None:
            return [*SupportRequestAddForm.Meta.fields, "send_email"]
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        # Requests are not edited after creation (the link and e-mail were issued
        # for exactly these data): revoke and create a new one instead.
        return self.readonly_fields if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SupportRequest, form, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        issued = services.support_request_create(
            company=data["company"],
            email=data["email"],
            contact_name=data.get("contact_name", ""),
            case_reference=data.get("case_reference", ""),
            language=data["language"],
            country=str(data["country"]),
            vat_id=data.get("vat_id", ""),
            created_by=request.user,
            send_email=data.get("send_email", False),
        )
        obj.__dict__.update(issued.support_request.__dict__)
        request.session[NEW_LINK_SESSION_KEY] = [obj.pk, issued.url]

    def response_add(self, request: HttpRequest, obj: SupportRequest, post_url_continue=None):
        # Always to the new request's page: that is where its link is shown, once.
        return HttpResponseRedirect(reverse("admin:orders_supportrequest_change", args=[obj.pk]))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ):
        # Only the token's hash is stored: show the new link once, right after creation.
        new_link = request.session.get(NEW_LINK_SESSION_KEY)
        if new_link and str(new_link[0]) == str(object_id):
            del request.session[NEW_LINK_SESSION_KEY]
            messages.warning(
                request,
                format_html(
                    "{} <code class='order-link'>{}</code>",
                    _("Bestelllink (wird nur jetzt angezeigt):"),
                    new_link[1],
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(
        description=_("Neuen Link erzeugen und per E-Mail senden"), permissions=["change"]
    )
    def resend_link(self, request: HttpRequest, queryset: QuerySet[SupportRequest]) -> None:
        for support_request in queryset:
            try:
                issued = services.support_request_reissue(
                    support_request=support_request, by=request.user
                )
            except OrderError as error:
                messages.error(request, f"{support_request}: {error.message}")
                continue
            messages.success(
                request,
                format_html(
                    "{}: {} <code class='order-link'>{}</code>",
                    support_request,
                    _("neuer Link gesendet (der alte gilt nicht mehr):"),
                    issued.url,
                ),
            )

    @admin.action(description=_("Link widerrufen"), permissions=["change"])
    def revoke_link(self, request: HttpRequest, queryset: QuerySet[SupportRequest]) -> None:
        for support_request in queryset:
            try:
                services.support_request_revoke(support_request=support_request, by=request.user)
            except OrderError as error:
                messages.error(request, f"{support_request}: {error.message}")
                continue
            messages.success(request, f"{support_request}: {_('Link widerrufen.')}")


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(OrderSearchMixin, OrderBillingAdminMixin, admin.ModelAdmin):
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
    list_filter = ["status", "vat_treatment", "placed_at", "tariff"]
    actions = [
        "action_complete",
        "action_bill",
        "action_transfer",
        "action_cancel",
        "action_export",
        "action_notify_helpdesk",
    ]
    search_fields = [
        "number",
        "support_request__company",
        "support_request__case_reference",
        "support_request__email",
    ]
    date_hierarchy = "placed_at"
    # A million orders: estimated counts above 10,000 rows and no second COUNT(*)
    # of the whole table (orders/admin_scale.py, docs/benchmarks.md "Scale").
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
                    "privacy_document",
                    "privacy_sha256",
                    "asb_document",
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
        state = getattr(obj, "_helpdesk_notification", None)
        if state is None:
            state = notifications.notification_states([obj])[obj.pk]
        return str(state.label)

    def get_changelist_instance(self, request: HttpRequest):
        # Notification states of the whole page in one query (none if all were sent).
        changelist = super().get_changelist_instance(request)
        page = list(changelist.result_list)
        states = notifications.notification_states(page)
        for order in page:
            order._helpdesk_notification = states[order.pk]  # type: ignore[attr-defined]
        return changelist

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders come from the customer's button only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # evidence and accounting records (retention: see docs/orders.md)
