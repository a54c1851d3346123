"""Reads with rules: the current tariff, a request by its link token, what the
order page shows (documents, tariff, worked example, VAT treatment)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from legal.models import LegalDocument
from legal.selectors import document_current
from orders import billing
from orders.models import Order, SupportRequest, Tariff

# Tokens are secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")

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


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a link token: the only form in which it is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tariff_current(*, at: datetime | None = None) -> Tariff | None:
    """The tariff in force at ``at`` (default now): the newest whose valid-from has passed."""
    at = at or timezone.now()
    return Tariff.objects.filter(valid_from__lte=at).order_by("-valid_from").first()


def support_request_by_token(*, token: str) -> SupportRequest | None:
    """The request whose link carries ``token``, with its order if any; None for
    unknown or malformed tokens (one query at most, none for malformed ones)."""
    if not TOKEN_RE.fullmatch(token):
        return None
    return (
        SupportRequest.objects.select_related(
            "order", "order__privacy_document", "order__asb_document"
        )
        # The status page needs the documents' addresses, not their texts or PDFs.
        .defer(
            *(
                f"order__{doc}__{field}"
                for doc in ("privacy_document", "asb_document")
                for field in ("body", "body_html", "pdf")
            )
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def vat_treatment_for(*, country: str, vat_id: str) -> Order.VatTreatment:
    """German VAT, except for EU businesses outside Germany with a VAT ID (reverse
    charge). Customers outside the EU are treated like German ones until the
    client's tax advisers decide otherwise (see docs/decisions.md)."""
    code = str(country).upper()
    if code != "DE" and code in EU_COUNTRIES and vat_id.strip():
        return Order.VatTreatment.REVERSE_CHARGE
    return Order.VatTreatment.STANDARD


def tariff_terms(tariff: Tariff) -> billing.TariffTerms:
    return billing.TariffTerms(
        base_fee=tariff.base_fee,
        block_price=tariff.block_price,
        block_minutes=tariff.block_minutes,
        vat_rate=tariff.vat_rate,
        currency=tariff.currency,
    )


def price_example(
    *, tariff: Tariff, minutes: int = EXAMPLE_MINUTES, vat_treatment: str = "standard"
) -> billing.Charge:
    """The charge for ``minutes`` of support under ``tariff`` (the page's worked example)."""
    return billing.charge_for_seconds(
        terms=tariff_terms(tariff), seconds=minutes * 60, vat_treatment=vat_treatment
    )


@dataclass(frozen=True)
class Offer:
    """What the order page shows and the order records: current documents and tariff."""

    privacy: LegalDocument | None
    asb: LegalDocument | None
    tariff: Tariff | None

    @property
    def complete(self) -> bool:
        return None not in (self.privacy, self.asb, self.tariff)

    @property
    def example(self) -> billing.Charge | None:
        return price_example(tariff=self.tariff) if self.tariff else None

    @property
    def example_minutes(self) -> int:
        return EXAMPLE_MINUTES

    @property
    def documents_fall_back_to_german(self) -> bool:
        return any(doc is not None and doc.language != self.language for doc in self._docs)

    @property
    def _docs(self) -> tuple[LegalDocument | None, LegalDocument | None]:
        return (self.privacy, self.asb)

    language: str = "de"


def offer_current(*, language: str, at: datetime | None = None) -> Offer:
    """Current privacy notice and ASB in ``language`` (German fallback) and the tariff."""
    at = at or timezone.now()
    return Offer(
        privacy=document_current(kind=LegalDocument.Kind.PRIVACY, language=language, at=at),
        asb=document_current(kind=LegalDocument.Kind.ASB, language=language, at=at),
        tariff=tariff_current(at=at),
        language=language,
    )
