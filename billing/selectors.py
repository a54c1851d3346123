"""Reads with rules: the tariff in force, which VAT treatment applies to a
customer, the worked price example, and orders annotated with their recorded
time so that a list of them is charged without a query per row."""

from __future__ import annotations

import datetime

from django.db.models import DurationField, F, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from billing import charges
from billing.charges import VatTreatment
from billing.models import RemoteSession, Tariff
from orders.models import Order, SupportRequest
from vat.ids import is_eu, vat_id_passes_check

# The worked example on the order page (35 minutes: 3 blocks of 15).
EXAMPLE_MINUTES = 35


def tariff_current(*, at: datetime.datetime | None = None) -> Tariff | None:
    """The tariff in force at ``at`` (default now): the newest whose valid-from has passed."""
    at = at or timezone.now()
    return Tariff.objects.filter(valid_from__lte=at).order_by("-valid_from").first()


def vat_treatment_for(*, support_request: SupportRequest) -> VatTreatment:
    """The VAT treatment the facts on ``support_request`` support (docs/billing.md):

    - another EU country with a VAT ID that passes its format and check-digit
      test, unless VIES reported it invalid: reverse charge;
    - outside the EU, the agent having confirmed a business with evidence: not
      taxable in Germany (§ 3a (2) UStG);
    - everything else (Germany, EU without a checked VAT ID, outside the EU
      unconfirmed): German VAT at the tariff's rate.
    """
    country = str(support_request.country).upper()
    if country == "DE":
        return VatTreatment.STANDARD
    if is_eu(country):
        if (
            support_request.vat_id
            and support_request.vies_status != SupportRequest.ViesStatus.INVALID
            and vat_id_passes_check(vat_id=support_request.vat_id, country=country)
        ):
            return VatTreatment.REVERSE_CHARGE
        return VatTreatment.STANDARD
    if support_request.is_business_confirmed:
        return VatTreatment.NOT_TAXABLE
    return VatTreatment.STANDARD


def price_example(
    *, tariff: Tariff, minutes: int = EXAMPLE_MINUTES, vat_treatment: str = "standard"
) -> charges.Charge:
    """The charge for ``minutes`` of support under ``tariff`` (the page's worked example)."""
    return charges.charge_for_seconds(
        terms=charges.terms_of(tariff), seconds=minutes * 60, vat_treatment=vat_treatment
    )


def _recorded_subquery() -> Subquery:
    totals = (
        RemoteSession.objects.filter(order=OuterRef("pk"), voided_at__isnull=True)
        .order_by()
        .values("order")
        .annotate(total=Sum(F("ended_at") - F("started_at"), output_field=DurationField()))
        .values("total")
    )
    return Subquery(totals, output_field=DurationField())


def charge_to_freeze(order: Order) -> charges.Charge:
    """The charge of ``order`` computed now from its counting (not voided)
    sessions: what ``Order.billed_*`` freezes when it is completed (one query)."""
    total = RemoteSession.objects.filter(order=order, voided_at__isnull=True).aggregate(
        total=Sum(F("ended_at") - F("started_at"), output_field=DurationField())
    )["total"]
    seconds = (total or datetime.timedelta()) // datetime.timedelta(seconds=1)
    return charges.charge_for_seconds(
        terms=charges.terms_of(order), seconds=seconds, vat_treatment=order.vat_treatment
    )


def with_recorded_time(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Annotate ``recorded`` (sum of session durations) in the same query."""
    return queryset.annotate(recorded=_recorded_subquery())


def charge_of_annotated(order: Order) -> charges.Charge:
    """The charge of ``order`` from its ``recorded`` annotation (``with_recorded_time``),
    or from its sessions when it was not annotated; computed once per instance, as
    a list row shows several columns of it."""
    cached = getattr(order, "_charge_cache", None)
    if cached is None:
        recorded = getattr(order, "recorded", None)
        if recorded is None and not hasattr(order, "recorded") and order.figures_frozen_at is None:
            recorded = sum(
                (s.duration for s in order.sessions.all() if not s.is_voided),
                datetime.timedelta(),
            )
        seconds = (recorded or datetime.timedelta()) // datetime.timedelta(seconds=1)
        cached = charges.charge_of_order_seconds(order, seconds)
        setattr(order, "_charge_cache", cached)  # noqa: B010 (an attribute the model does not declare)
    return cached
