"""VAT IDs are normalised or refused with a clear message where they are entered."""

import pytest
from django.core.exceptions import ValidationError

from vat.ids import VatIdError, vat_id_normalise, vat_id_passes_check


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("ATU13585627", "AT", "ATU13585627"),
        ("atu13585627", "AT", "ATU13585627"),  # lower case
        ("ATU 135.856-27", "AT", "ATU13585627"),  # spaces, dots, dashes
        ("U13585627", "at", "ATU13585627"),  # typed without the prefix
        (
            "ATU" + "".join(chr(0xFF10 + int(d)) for d in "13585627"),
            "AT",
            "ATU13585627",
        ),  # full-width
        ("ATU13585627\u200b", "AT", "ATU13585627"),  # zero-width space pasted from a PDF
        ("DE 136 695 976", "DE", "DE136695976"),
        ("FR 40 303 265 045", "FR", "FR40303265045"),
        ("094259216", "GR", "EL094259216"),  # Greece's VAT prefix is EL
        ("GR094259216", "GR", "EL094259216"),
        ("", "AT", ""),
        ("   ", "FR", ""),
    ],
)
def test_vat_ids_are_normalised(typed, country, stored):
    assert vat_id_normalise(vat_id=typed, country=country) == stored


@pytest.mark.parametrize(
    ("typed", "country", "message"),
    [
        ("FR40303265045", "AT", VatIdError.WRONG_COUNTRY),  # wrong country prefix
        ("XI123456789", "AT", VatIdError.WRONG_COUNTRY),
        ("ATU13585628", "AT", VatIdError.BAD_CHECKSUM),  # one digit off
        ("DE136695977", "DE", VatIdError.BAD_CHECKSUM),
        ("ATU1358562", "AT", VatIdError.BAD_LENGTH),
        ("ATX13585627", "AT", VatIdError.BAD_FORMAT),
        ("ÄTU13585627", "AT", VatIdError.BAD_FORMAT),  # unicode letter
        ("ATU" + "1" * 197, "AT", VatIdError.TOO_LONG),  # 200 characters
        ("CHE-123.456.788", "CH", VatIdError.NOT_EU),  # outside the EU: no VAT ID
    ],
)
def test_bad_vat_ids_are_refused_with_a_clear_message(typed, country, message):
    with pytest.raises(ValidationError) as error:
        vat_id_normalise(vat_id=typed, country=country)
    assert error.value.message == message
    text = error.value.messages[0]
    assert "%(" not in text and "stdnum" not in text
    assert not vat_id_passes_check(vat_id=typed, country=country) or not typed


def test_wrong_country_message_names_both_prefixes():
    with pytest.raises(ValidationError) as error:
        vat_id_normalise(vat_id="FR40303265045", country="AT")
    assert "„FR“" in error.value.messages[0] and "„AT“" in error.value.messages[0]
