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
from orders.models import Order

# Member states of the EU (ISO 3166-1 alpha-2) for the reverse-charge rule.
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)

# The worked example on the order page (35 minutes: 3 blocks of 15).
EXAMPLE_MINUTES = 35


def tariff_current(*, at: datetime.datetime | None = None) -> Tariff | None:
    """The tariff in force at ``at`` (default now): the newest whose valid-from has passed."""
    at = at or timezone.now()
    return Tariff.objects.filter(valid_from__lte=at).order_by("-valid_from").first()


def vat_treatment_for(*, country: str, vat_id: str) -> VatTreatment:
    """German VAT, except for EU businesses outside Germany with a VAT ID (reverse
    charge). Customers outside the EU are treated like German ones until the
    client's tax advisers decide otherwise (see docs/decisions.md)."""
    code = str(country).upper()
    if code != "DE" and code in EU_COUNTRIES and vat_id.strip():
        return VatTreatment.REVERSE_CHARGE
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
        RemoteSession.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(F("ended_at") - F("started_at"), output_field=DurationField()))
        .values("total")
    )
    return Subquery(totals, output_field=DurationField())


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
        if recorded is None and not hasattr(order, "recorded"):
            recorded = sum(
                (s.ended_at - s.started_at for s in order.sessions.all()), datetime.timedelta()
            )
        seconds = (recorded or datetime.timedelta()) // datetime.timedelta(seconds=1)
        cached = charges.charge_of_order_seconds(order, seconds)
        setattr(order, "_charge_cache", cached)  # noqa: B010 (an attribute the model does not declare)
    return cached
