"""Company, contact name and case reference are one line each (no fake lines in the
helpdesk's e-mails, no multi-line CSV cells): refused with a clear message, nothing stored."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from lenze_support.validators import validate_single_line
from orders import services
from orders.models import SupportRequest

pytestmark = pytest.mark.django_db

MESSAGE = "Bitte geben Sie den Wert in einer Zeile ohne Steuerzeichen ein."
BREAKS = ["Muster GmbH\nBetreff: gefälscht", "A\rB", "A\r\nB", "A\x00B", "A\tB", "A\x1bB",
          "A\u2028B", "A\u2029B", "A\x85B"]  # fmt: skip


@pytest.mark.parametrize("value", BREAKS)
def test_the_validator_refuses_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as raised:
        validate_single_line(value)
    assert raised.value.messages == [MESSAGE]


@pytest.mark.parametrize("value", ["Müller & Söhne GmbH", "Ørsted A/S", "株式会社", "O'Brien 👍"])
def test_ordinary_names_pass(value):
    validate_single_line(value)


@pytest.mark.parametrize("field", ["company", "contact_name", "case_reference"])
def test_the_service_refuses_a_line_break_in_each_field(field, offer):
    data = {"company": "Muster GmbH", "email": "a@example.com", field: "Zeile 1\nZeile 2"}
    with pytest.raises(ValidationError) as raised:
        services.support_request_create(**data, send_email=False)
    assert raised.value.message_dict == {field: [MESSAGE]}
    assert not SupportRequest.objects.exists()


def test_the_admin_form_shows_the_message_and_stores_nothing(client, offer):
    staff = get_user_model().objects.create_superuser("sl", "sl@example.com", "pw-single-line")
    client.force_login(staff)
    response = client.post(
        reverse("admin:orders_supportrequest_add"),
        {
            "company": "Muster GmbH\r\nBcc: alle@example.com",
            "contact_name": "Erika\nMusterfrau",
            "email": "erika@example.com",
            "case_reference": "HD\x0b1",
            "language": "de",
            "country": "DE",
            "vat_id": "",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count(MESSAGE) == 3
    assert not SupportRequest.objects.exists()


def test_the_command_refuses_a_line_break(offer):
    with pytest.raises(CommandError, match="einer Zeile"):
        call_command(
            "create_support_request", "--company", "A\nB", "--email", "a@example.com", "--no-email"
        )
    assert not SupportRequest.objects.exists()
