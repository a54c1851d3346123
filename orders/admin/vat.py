"""The VAT facts of a support request in the admin: the VAT ID checked where it
is entered, the business confirmation for customers outside the EU, the state of
the VIES check shown to the agent and an action to ask VIES again.

VIES is never asked during a request: saving a support request or the action
queue the check (``vat.services.vies_check_queue``), a background task stores
the outcome, and the request shows "waiting" until then."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from billing import selectors as billing_selectors
from orders.errors import OrderError
from orders.models import Order, SupportRequest
from vat import services as vat_services
from vat.ids import is_eu, vat_id_normalise

VAT_FACT_FIELDS = [
    "vat_treatment",
    "vies_state",
    "vies_checked_at",
    "vies_request_identifier",
    "vies_error",
    "business_evidence",
    "business_confirmed_by_name",
    "business_confirmed_at",
]

NOT_CONFIRMED_MESSAGE = _(
    "VIES war nicht erreichbar (%(error)s): Die USt-IdNr. ist formal gültig, aber nicht "
    "bestätigt. Bitte prüfen Sie sie später erneut (Aktion „USt-IdNr. bei VIES prüfen“)."
)
INVALID_MESSAGE = _(
    "VIES meldet die USt-IdNr. %(vat_id)s als ungültig: Es wird deutsche Umsatzsteuer "
    "berechnet. Bitte klären Sie die Nummer mit dem Kunden."
)
CONFIRMED_MESSAGE = _("VIES hat die USt-IdNr. %(vat_id)s bestätigt (Abfragekennung %(id)s).")
WAITING_LABEL = _("wartet auf VIES")
WAITING_AFTER_ERROR_LABEL = _("wartet auf VIES (letzter Versuch: %(error)s)")
QUEUED_MESSAGE = _(
    "Die USt-IdNr. %(vat_id)s wird im Hintergrund bei VIES geprüft; das Ergebnis "
    "erscheint in der Anfrage (Spalte „VIES-Prüfung“)."
)
NOT_DUE_MESSAGE = _(
    "Keine VIES-Prüfung: Nur USt-IdNrn. aus anderen EU-Ländern werden bei VIES geprüft, "
    "und nur wenn die VIES-Prüfung eingeschaltet ist."
)
UNCONFIRMED_BUSINESS_MESSAGE = _(
    "Kunde außerhalb der EU ohne bestätigte Unternehmereigenschaft: Es wird deutsche "
    "Umsatzsteuer berechnet."
)
EVIDENCE_WITHOUT_BOX = _(
    "Bitte setzen Sie das Häkchen, wenn Sie bestätigen, dass der Kunde ein Unternehmen ist."
)


class VatFactsFormMixin(forms.ModelForm):
    """Fields and checks for the VAT facts on the support request form."""

    # Longer than the stored compact form: spaces and dots are normalised away.
    vat_id = forms.CharField(
        label=_("USt-IdNr."),
        required=False,
        help_text=SupportRequest._meta.get_field("vat_id").help_text,
    )
    business_confirmed = forms.BooleanField(
        label=_("Kunde ist ein Unternehmen (nur außerhalb der EU)"),
        required=False,
        help_text=_(
            "Leistungsort ist dann der Sitz des Kunden (§ 3a Abs. 2 UStG): keine deutsche "
            "Umsatzsteuer. Wird mit Ihrem Namen und der Uhrzeit gespeichert."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = str(data.get("country") or "")
        if country and "vat_id" not in self.errors:
            try:
                data["vat_id"] = vat_id_normalise(vat_id=data.get("vat_id", ""), country=country)
            except ValidationError as error:
                self.add_error("vat_id", error)
        evidence = " ".join(str(data.get("business_evidence") or "").split())
        data["business_evidence"] = evidence
        if data.get("business_confirmed"):
            if country and is_eu(country):
                self.add_error("business_confirmed", OrderError.BUSINESS_EVIDENCE_IN_EU)
            elif not evidence:
                self.add_error("business_evidence", OrderError.BUSINESS_EVIDENCE_MISSING)
        elif evidence:
            self.add_error("business_confirmed", EVIDENCE_WITHOUT_BOX)
        return data


def _vies_params(support_request: SupportRequest) -> dict[str, str]:
    return {
        "vat_id": support_request.vat_id,
        "error": support_request.vies_error,
        "id": support_request.vies_request_identifier or "-",
    }


def vat_facts_messages(request: HttpRequest, support_request: SupportRequest) -> None:
    """Tell the agent what the VAT facts of a new request amount to."""
    status = support_request.vies_status
    params = _vies_params(support_request)
    if vat_services.vies_is_waiting(support_request):
        messages.info(request, QUEUED_MESSAGE % params)
    elif status == SupportRequest.ViesStatus.NOT_CONFIRMED:
        messages.warning(request, NOT_CONFIRMED_MESSAGE % params)
    elif status == SupportRequest.ViesStatus.INVALID:
        messages.error(request, INVALID_MESSAGE % params)
    elif status == SupportRequest.ViesStatus.CONFIRMED:
        messages.info(request, CONFIRMED_MESSAGE % params)
    if not is_eu(str(support_request.country)) and not support_request.is_business_confirmed:
        messages.warning(request, UNCONFIRMED_BUSINESS_MESSAGE)


class SupportRequestVatAdminMixin:
    """Read-only VAT facts and the VIES re-check action for ``SupportRequestAdmin``."""

    @admin.display(description=_("Umsatzsteuerliche Behandlung bei Bestellung"))
    def vat_treatment(self, obj: SupportRequest) -> str:
        if obj.has_order:
            return str(Order.VatTreatment(obj.order.vat_treatment).label)
        return str(billing_selectors.vat_treatment_for(support_request=obj).label)

    @admin.display(description=_("Unternehmereigenschaft bestätigt von"))
    def business_confirmed_by_name(self, obj: SupportRequest) -> str:
        user = obj.business_confirmed_by
        if user is None:
            return "-"
        return user.get_full_name() or user.get_username()

    @admin.display(description=_("VIES-Prüfung"))
    def vies_state(self, obj: SupportRequest) -> str:
        if vat_services.vies_is_waiting(obj):
            if obj.vies_error:
                return str(WAITING_AFTER_ERROR_LABEL % {"error": obj.vies_error})
            return str(WAITING_LABEL)
        return str(obj.get_vies_status_display())

    @admin.action(description=_("USt-IdNr. bei VIES prüfen"), permissions=["change"])
    def vies_recheck(self, request: HttpRequest, queryset: QuerySet[SupportRequest]) -> None:
        # Only queued here: the answer is stored by the background task.
        for support_request in queryset.exclude(vat_id=""):
            if vat_services.vies_check_queue(support_request=support_request):
                messages.info(
                    request, f"{support_request}: {QUEUED_MESSAGE % _vies_params(support_request)}"
                )
            else:
                messages.warning(request, f"{support_request}: {NOT_DUE_MESSAGE}")
