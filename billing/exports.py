"""CSV export for invoicing, shaped for Excel in a German office.

Semicolon separator, UTF-8 with a byte-order mark (so Excel detects the
encoding), decimal comma, dates as ``dd.mm.yyyy``. The writer is a generator
over rows, handed to ``StreamingHttpResponse``: a year of orders is written
line by line and never held in memory.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch
from django.utils import timezone

from billing.charges import charge_of_order
from billing.models import RemoteSession
from billing.money import quantize_cents
from orders.models import Order
from orders.services import FROZEN_FIELDS

BOM = "\ufeff"
# Leading characters that make Excel treat a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


def format_cell(value: object) -> str:
    """One value as German Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        raise TypeError("money and quantities are exported from Decimal, not float")
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        # Text from customers or agents must never run as a formula in Excel.
        text = "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Yield the BOM-prefixed header line, then one CSV line per row."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM + writer.writerow([str(name) for name in header])
    for row in rows:
        yield writer.writerow([format_cell(value) for value in row])


# --- Orders for invoicing ---------------------------------------------------------

# Fixed German headers: ERP imports map columns by these names (docs/billing.md).
ORDER_COLUMNS = (
    "Auftragsnummer",
    "Firma",
    "Ansprechpartner",
    "E-Mail",
    "Vorgangsnummer",
    "USt-IdNr.",
    "Land",
    "Bestellt am",
    "Leistungsdatum",
    "Minuten",
    "Takte",
    "Taktlänge (Min.)",
    "Grundgebühr",
    "Preis je Takt",
    "Netto",
    "USt-Satz (%)",
    "USt",
    "Brutto",
    "Währung",
    "USt-Hinweis",
    "ASB-Version",
    "Status",
    "Field-Service-Referenz",
)

CHUNK_SIZE = 1000
#: What an order froze when it was placed and bills by: its tariff's terms and
#: its VAT facts (the order page shows them together as the prices of the order).
ORDER_PRICE_FIELDS = (
    "base_fee",
    "block_price",
    "block_minutes",
    "vat_rate",
    "currency",
    "vat_treatment",
    "customer_country",
    "customer_vat_id",
)
#: The order columns the export reads (``QuerySet.only``): prices, frozen figures
#: and the customer's request; nothing else of the order row.
EXPORT_ORDER_FIELDS = (
    "number",
    "placed_at",
    "status",
    *ORDER_PRICE_FIELDS,
    "field_service_reference",
    *FROZEN_FIELDS,
    "support_request__company",
    "support_request__contact_name",
    "support_request__email",
    "support_request__case_reference",
)


def orders_for_export(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    statuses: Iterable[str] = (),
    pks: Iterable[int] | None = None,
) -> Iterator[Any]:
    """Orders placed between ``date_from`` and ``date_to`` (both inclusive, local
    days) with one of ``statuses`` (all if empty), read in chunks with their
    sessions: a constant number of queries per chunk, never the whole year at once.
    """
    if date_from and date_to and date_to < date_from:
        raise ValueError("the period ends before it starts")
    # Only the columns the CSV needs: the legal documents' bodies and PDFs, for
    # one, are large and would be read once per row otherwise.
    queryset = (
        Order.objects.select_related("support_request")
        .only(*EXPORT_ORDER_FIELDS)
        .annotate(asb_version=F("asb_document__version"))
    )
    if date_from:
        queryset = queryset.filter(placed_at__gte=_local_midnight(date_from))
    if date_to:
        queryset = queryset.filter(placed_at__lt=_local_midnight(date_to + datetime.timedelta(1)))
    statuses = list(statuses)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    sessions = Prefetch(
        "sessions",
        queryset=RemoteSession.objects.filter(voided_at__isnull=True)
        .only("order_id", "started_at", "ended_at")
        .order_by("started_at"),
    )
    return queryset.order_by("number").prefetch_related(sessions).iterator(chunk_size=CHUNK_SIZE)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def order_row(order: Any) -> list[object]:
    """One export row; ``order.sessions`` should be prefetched."""
    sessions = list(order.sessions.all())
    charge = charge_of_order(order, [s.ended_at - s.started_at for s in sessions])
    days = sorted({timezone.localtime(s.started_at).date() for s in sessions})
    request = order.support_request
    return [
        order.number,
        request.company,
        request.contact_name,
        request.email,
        request.case_reference,
        order.customer_vat_id,
        str(order.customer_country),
        order.placed_at,
        ", ".join(day.strftime("%d.%m.%Y") for day in days),
        charge.raw_minutes,
        charge.blocks,
        order.block_minutes,
        charge.base_fee,
        quantize_cents(order.block_price),
        charge.net,
        charge.vat_rate,
        charge.vat,
        charge.gross,
        order.currency,
        charge.vat_note,
        getattr(order, "asb_version", None) or order.asb_document.version,
        order.status,
        order.field_service_reference,
    ]


def order_csv_lines(orders: Iterable[Any]) -> Iterator[str]:
    """The invoicing CSV for ``orders``, line by line (BOM and header first)."""
    return csv_lines(ORDER_COLUMNS, (order_row(order) for order in orders))
