"""Billing math for remote support: started blocks, net, VAT, gross.

Pure functions and value objects, no database access, so the rules can be
tested exhaustively (``tests/billing/test_charges.py``) and reused by the
order page's worked example, the admin, the CSV export and the PDF statement.

The rules (see ``docs/billing.md``):

- blocks = ceil(total recorded seconds / (block minutes x 60)), counted on the
  sum of all sessions of an order, never per session; sub-second remainders
  of the total are dropped (15:00 -> 1 block, 15:01 -> 2, nothing -> 0);
- net = base fee + blocks x block price;
- VAT = net x rate / 100, rounded half-up to the cent once, on the net total;
- reverse charge: VAT 0 and the note "Steuerschuldnerschaft des
  Leistungsempfängers"; not taxable in Germany (business outside the EU):
  VAT 0 and the note "Nicht im Inland steuerbare Leistung";
- gross = net + VAT, which ``Charge`` checks on construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.money import quantize_cents

# Required wording on an invoice under reverse charge (§ 14a (5) UStG). It is
# legal text, not UI text: it stays German on English statements as well.
REVERSE_CHARGE_NOTE = "Steuerschuldnerschaft des Leistungsempfängers"
# Services to a business outside the EU: the place of supply is the customer's
# seat (§ 3a (2) UStG), so no German VAT; the invoice says why.
NOT_TAXABLE_NOTE = "Nicht im Inland steuerbare Leistung"

ZERO = Decimal("0.00")

# Stored with an order's frozen figures: which version of the rules above
# computed them. Raise it whenever the rules change (docs/billing.md).
BILLING_RULE_VERSION = "2026.1"


class VatTreatment(models.TextChoices):
    """How VAT applies to an order; decided when it is placed and frozen on it."""

    STANDARD = "standard", _("Deutsche Umsatzsteuer")
    REVERSE_CHARGE = (
        "reverse_charge",
        _("Steuerschuldnerschaft des Leistungsempfängers (EU-Reverse-Charge)"),
    )
    NOT_TAXABLE = (
        "not_taxable",
        _("Nicht im Inland steuerbar (Unternehmen außerhalb der EU)"),
    )


def terms_constraint(*, name: str) -> models.CheckConstraint:
    """The rule for tariff terms, on a tariff and on the copy each order keeps:
    prices are never negative and a block lasts at least a minute."""
    return models.CheckConstraint(
        condition=models.Q(base_fee__gte=0, block_price__gte=0, block_minutes__gte=1),
        name=name,
        violation_error_message=_(
            "Preise dürfen nicht negativ sein, ein Takt dauert mindestens eine Minute."
        ),
    )


# The note an invoice must carry for each treatment without German VAT.
VAT_NOTES = {
    VatTreatment.REVERSE_CHARGE: REVERSE_CHARGE_NOTE,
    VatTreatment.NOT_TAXABLE: NOT_TAXABLE_NOTE,
}


def _require_decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{name} must be finite")
    return value


@dataclass(frozen=True, slots=True)
class TariffTerms:
    """The prices an order was placed under (a copy, never the live tariff)."""

    base_fee: Decimal
    block_price: Decimal
    block_minutes: int
    vat_rate: Decimal  # percent, e.g. Decimal("19.00")
    currency: str = "EUR"

    def __post_init__(self) -> None:
        for name in ("base_fee", "block_price", "vat_rate"):
            if _require_decimal(name, getattr(self, name)) < 0:
                raise ValueError(f"{name} must not be negative")
        if isinstance(self.block_minutes, bool) or not isinstance(self.block_minutes, int):
            raise TypeError("block_minutes must be an int")
        if self.block_minutes <= 0:
            raise ValueError("block_minutes must be positive")

    @property
    def block_seconds(self) -> int:
        return self.block_minutes * 60


@dataclass(frozen=True, slots=True)
class Charge:
    """The computed charge of one order.

    A value object: amounts are Decimal, quantized to the cent, and the
    constructor refuses any combination where net + VAT != gross.
    """

    terms: TariffTerms
    vat_treatment: VatTreatment
    raw_seconds: int
    blocks: int
    base_fee: Decimal
    blocks_amount: Decimal
    net: Decimal
    vat_rate: Decimal  # the rate applied: the tariff's, or 0 under reverse charge
    vat: Decimal
    gross: Decimal
    vat_note: str = ""

    def __post_init__(self) -> None:
        for name in ("base_fee", "blocks_amount", "net", "vat_rate", "vat", "gross"):
            value = _require_decimal(name, getattr(self, name))
            if name != "vat_rate" and value != quantize_cents(value):
                raise ValueError(f"{name} must be a whole number of cents, got {value}")
        if self.raw_seconds < 0 or self.blocks < 0:
            raise ValueError("time and blocks must not be negative")
        if self.base_fee + self.blocks_amount != self.net:
            raise ValueError("base fee + blocks amount must equal net")
        if self.net + self.vat != self.gross:
            raise ValueError(f"net {self.net} + VAT {self.vat} != gross {self.gross}")
        if self.vat_treatment is not VatTreatment.STANDARD and self.vat != ZERO:
            raise ValueError("orders without German VAT carry no VAT")

    @property
    def raw_minutes(self) -> Decimal:
        """Recorded time in minutes, to two decimals (21:30 -> 21.50)."""
        return minutes_for(self.raw_seconds)

    @property
    def currency(self) -> str:
        return self.terms.currency

    @property
    def is_reverse_charge(self) -> bool:
        return self.vat_treatment is VatTreatment.REVERSE_CHARGE

    @property
    def is_net_only(self) -> bool:
        """No German VAT is charged (reverse charge or not taxable in Germany)."""
        return self.vat_treatment is not VatTreatment.STANDARD


def total_seconds(durations: Iterable[timedelta]) -> int:
    """Whole seconds in the sum of ``durations``; a negative duration is refused."""
    total = timedelta(0)
    for duration in durations:
        if duration < timedelta(0):
            raise ValueError("a session cannot last a negative time")
        total += duration
    return total // timedelta(seconds=1)


def minutes_for(seconds: int) -> Decimal:
    """``seconds`` as minutes to two decimals (1290 -> 21.50), rounded like
    every amount: half-up to the hundredth, once."""
    return quantize_cents(Decimal(seconds) / 60)


def blocks_for(seconds: int, block_minutes: int) -> int:
    """Started blocks: ceil(seconds / block length) in integer arithmetic."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    block_seconds = block_minutes * 60
    return -(-seconds // block_seconds)


def charge_for_seconds(
    *, terms: TariffTerms, seconds: int, vat_treatment: VatTreatment | str
) -> Charge:
    """The charge for ``seconds`` of recorded time under ``terms``."""
    treatment = VatTreatment(vat_treatment)
    blocks = blocks_for(seconds, terms.block_minutes)
    base_fee = quantize_cents(terms.base_fee)
    blocks_amount = quantize_cents(terms.block_price * blocks)
    net = base_fee + blocks_amount
    if treatment is not VatTreatment.STANDARD:
        rate, vat, note = Decimal("0.00"), ZERO, VAT_NOTES[treatment]
    else:
        rate, vat, note = terms.vat_rate, quantize_cents(net * terms.vat_rate / 100), ""
    return Charge(
        terms=terms,
        vat_treatment=treatment,
        raw_seconds=seconds,
        blocks=blocks,
        base_fee=base_fee,
        blocks_amount=blocks_amount,
        net=net,
        vat_rate=rate,
        vat=vat,
        gross=net + vat,
        vat_note=note,
    )


def charge_for(
    *,
    terms: TariffTerms,
    durations: Iterable[timedelta],
    vat_treatment: VatTreatment | str = VatTreatment.STANDARD,
) -> Charge:
    """The charge of an order whose sessions lasted ``durations``."""
    return charge_for_seconds(
        terms=terms, seconds=total_seconds(durations), vat_treatment=vat_treatment
    )


def terms_of(priced: Any) -> TariffTerms:
    """The terms of a tariff, or those frozen on an order (the same five fields;
    reads them, no query)."""
    return TariffTerms(
        base_fee=priced.base_fee,
        block_price=priced.block_price,
        block_minutes=priced.block_minutes,
        vat_rate=priced.vat_rate,
        currency=priced.currency,
    )


def charge_frozen(order: Any) -> Charge | None:
    """The charge frozen on ``order`` when it was completed (or transferred), or
    None while its figures are open. Read from the stored figures, never
    recomputed: ``Charge`` checks they add up."""
    if getattr(order, "figures_frozen_at", None) is None:
        return None
    treatment = VatTreatment(order.vat_treatment)
    base_fee = quantize_cents(order.base_fee)
    return Charge(
        terms=terms_of(order),
        vat_treatment=treatment,
        raw_seconds=order.billed_seconds,
        blocks=order.billed_blocks,
        base_fee=base_fee,
        blocks_amount=order.billed_net - base_fee,
        net=order.billed_net,
        vat_rate=order.billed_vat_rate,
        vat=order.billed_vat,
        gross=order.billed_gross,
        vat_note=VAT_NOTES.get(treatment, ""),
    )


def frozen_figures(charge: Charge) -> dict[str, Any]:
    """The order fields that freeze ``charge`` (``Order.billed_*``)."""
    return {
        "billed_seconds": charge.raw_seconds,
        "billed_blocks": charge.blocks,
        "billed_net": charge.net,
        "billed_vat_rate": charge.vat_rate,
        "billed_vat": charge.vat,
        "billed_gross": charge.gross,
        "billing_rule_version": BILLING_RULE_VERSION,
    }


def charge_of_order(order: Any, durations: Iterable[timedelta]) -> Charge:
    """The charge of ``order``: its frozen figures once it was completed, else
    computed for its sessions' ``durations`` (no query)."""
    frozen = charge_frozen(order)
    if frozen is not None:
        return frozen
    return charge_for(terms=terms_of(order), durations=durations, vat_treatment=order.vat_treatment)


def charge_of_order_seconds(order: Any, seconds: int) -> Charge:
    """Like ``charge_of_order`` for an already summed (annotated) time."""
    frozen = charge_frozen(order)
    if frozen is not None:
        return frozen
    return charge_for_seconds(
        terms=terms_of(order), seconds=seconds, vat_treatment=order.vat_treatment
    )
