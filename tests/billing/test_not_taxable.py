"""Business customers outside the EU: no German VAT, and every document says why."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from billing.charges import NOT_TAXABLE_NOTE, TariffTerms, VatTreatment, charge_for
from billing.exports import order_csv_lines, orders_for_export
from billing.statements import render_statement_html
from tests.factories import billing_order

TERMS = TariffTerms(
    base_fee=Decimal("100.00"),
    block_price=Decimal("25.00"),
    block_minutes=15,
    vat_rate=Decimal("19.00"),
)


def test_not_taxable_charge_has_no_vat_and_the_note():
    charge = charge_for(
        terms=TERMS, durations=[timedelta(minutes=21)], vat_treatment=VatTreatment.NOT_TAXABLE
    )
    assert (charge.net, charge.vat_rate, charge.vat, charge.gross) == (
        Decimal("150.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("150.00"),
    )
    assert charge.vat_note == NOT_TAXABLE_NOTE == "Nicht im Inland steuerbare Leistung"
    assert charge.is_net_only and not charge.is_reverse_charge


@pytest.mark.django_db
def test_statement_and_csv_carry_the_note(offer):
    order = billing_order(
        offer=offer,
        country="CH",
        vat_treatment="not_taxable",
        support_request_fields={"business_evidence": "UID CHE-123.456.788"},
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_statement_html(order)))
    assert "Umsatzsteuer 0 % 0,00 €" in text
    assert "Nicht im Inland steuerbare Leistung" in text
    lines = "".join(order_csv_lines(orders_for_export())).lstrip("\ufeff")
    (row,) = csv.DictReader(io.StringIO(lines), delimiter=";")
    assert row["USt-Hinweis"] == "Nicht im Inland steuerbare Leistung"
    assert (row["USt"], row["Brutto"]) == ("0,00", "100,00")
