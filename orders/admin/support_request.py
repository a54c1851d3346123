"""Support requests in the admin: created through the service (which issues and
e-mails the link), then read-only; the link is re-issued or revoked by action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from orders import services
from orders.admin.vat import (
    VAT_FACT_FIELDS,
    SupportRequestVatAdminMixin,
    VatFactsFormMixin,
    vat_facts_messages,
)
from orders.errors import OrderError
from orders.models import SupportRequest

#: Where save_model leaves the new link for response_add: on the request object,
#: which ends with this response (never the session, a message or a cookie).
ISSUED_LINK_ATTRIBUTE = "_orders_issued_link"


def links_issued_response(
    request: HttpRequest, *, links: list[tuple[SupportRequest, str, bool]]
) -> TemplateResponse:
    """The one page that shows plain order links: ``links`` are (request, URL,
    e-mailed) triples. Not cached anywhere."""
    response = TemplateResponse(
        request,
        "admin/orders/supportrequest/links_issued.html",
        {
            **admin.site.each_context(request),
            "opts": SupportRequest._meta,
            "title": gettext("Bestelllink"),
            "links": links,
        },
    )
    add_never_cache_headers(response)
    return response


#: What the agent enters about the customer; shown read-only once the link is issued.
CUSTOMER_FIELDS = [
    "company",
    "contact_name",
    "email",
    "case_reference",
    "language",
    "country",
    "vat_id",
]


class SupportRequestAddForm(VatFactsFormMixin, forms.ModelForm):
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
        fields = [*CUSTOMER_FIELDS, "business_confirmed", "business_evidence"]


@admin.register(SupportRequest)
class SupportRequestAdmin(SupportRequestVatAdminMixin, admin.ModelAdmin):
    list_display = [
        "company",
        "case_reference",
        "email",
        "state",
        "vies_state",
        "created_at",
        "emailed_at",
        "expires_at",
        "order_link",
    ]
    list_select_related = ["order"]
    search_fields = ["company", "case_reference", "email", "contact_name", "order__number"]
    list_filter = ["language", "created_at"]
    date_hierarchy = "created_at"
    actions = ["resend_link", "revoke_link", "vies_recheck"]
    readonly_fields = [
        *CUSTOMER_FIELDS,
        *VAT_FACT_FIELDS,
        "state",
        "created_by_name",
        "created_at",
        "emailed_at",
        "expires_at",
        "revoked_at",
        "order_link",
    ]

    @admin.display(description=_("angelegt von"))
    def created_by_name(self, obj: SupportRequest) -> str:
        user = obj.created_by
        if user is None:
            return "-"
        return user.get_full_name() or user.get_username()

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
            business_evidence=data["business_evidence"] if data.get("business_confirmed") else "",
            created_by=request.user,
            send_email=data.get("send_email", False),
        )
        vat_facts_messages(request, issued.support_request)
        obj.__dict__.update(issued.support_request.__dict__)
        setattr(request, ISSUED_LINK_ATTRIBUTE, (issued.url, data.get("send_email", False)))

    def response_add(self, request: HttpRequest, obj: SupportRequest, post_url_continue=None):
        # The answer to the POST shows the link, once (only its hash is stored).
        url, emailed = getattr(request, ISSUED_LINK_ATTRIBUTE)
        return links_issued_response(request, links=[(obj, url, emailed)])

    @admin.action(
        description=_("Neuen Link erzeugen und per E-Mail senden"), permissions=["change"]
    )
    def resend_link(self, request: HttpRequest, queryset: QuerySet[SupportRequest]) -> Any:
        issued_links: list[tuple[SupportRequest, str, bool]] = []
        for support_request in queryset:
            try:
                issued = services.support_request_reissue(
                    support_request=support_request, by=request.user
                )
            except OrderError as error:
                messages.error(request, f"{support_request}: {error.message}")
                continue
            issued_links.append((support_request, issued.url, True))
        if not issued_links:
            return None  # the list again, with the errors above
        messages.success(request, gettext("Neuer Link gesendet; der alte gilt nicht mehr."))
        return links_issued_response(request, links=issued_links)

    @admin.action(description=_("Link widerrufen"), permissions=["change"])
    def revoke_link(self, request: HttpRequest, queryset: QuerySet[SupportRequest]) -> None:
        for support_request in queryset:
            try:
                services.support_request_revoke(support_request=support_request, by=request.user)
            except OrderError as error:
                messages.error(request, f"{support_request}: {error.message}")
                continue
            messages.success(request, f"{support_request}: {_('Link widerrufen.')}")
