"""Bad input never stores a row, never sends mail, never gives a 500: clear errors instead."""

import pytest
from django.core import mail

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db

REQUIRED = ["name", "company", "email", "message"]


def post(client, data, *, lang="de"):
    url = "/kontakt/" if lang == "de" else "/en/contact/"
    return client.post(url, data)


def assert_refused(response):
    assert response.status_code == 200  # the form again, with errors
    assert ContactMessage.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("field", REQUIRED)
def test_empty_required_field_gives_german_error(client, contact_data, field):
    contact_data[field] = "   "
    response = post(client, contact_data)
    assert_refused(response)
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben." in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert f'aria-describedby="id_{field}_error"' in html


@pytest.mark.parametrize("field", REQUIRED)
def test_empty_required_field_gives_english_error(client, contact_data, field):
    contact_data[field] = ""
    response = post(client, contact_data, lang="en")
    assert_refused(response)
    html = response.content.decode()
    assert "Please check your entries." in html
    assert "This field is required." in html


def test_missing_fields_entirely_give_errors_not_500(client):
    assert_refused(client.post("/kontakt/", {}))


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 200),
        ("company", 200),
        ("email", 254),
        ("phone", 40),
        ("reference", 64),
        ("message", 5000),
    ],
)
def test_oversized_field_is_refused_with_error(client, contact_data, field, limit):
    contact_data[field] = "1" * (limit + 1) if field == "phone" else "x" * (limit + 1)
    if field == "email":
        contact_data[field] = "a" * (limit - 11) + "@example.com"
    response = post(client, contact_data)
    assert_refused(response)
    html = response.content.decode()
    assert "höchstens" in html


def test_oversized_field_error_in_english(client, contact_data):
    contact_data["message"] = "x" * 5001
    response = post(client, contact_data, lang="en")
    assert_refused(response)
    assert "Ensure this value has at most 5000 characters" in response.content.decode()


@pytest.mark.parametrize(
    "email",
    ["kaputt", "a@b", "erika@", "@example.com", "a b@example.com", "a@example.com\nBcc: x@y.z"],
)
def test_invalid_email_is_refused(client, contact_data, email):
    contact_data["email"] = email
    response = post(client, contact_data)
    assert_refused(response)
    assert "Bitte gültige E-Mail-Adresse eingeben." in response.content.decode()


def test_invalid_email_error_in_english(client, contact_data):
    contact_data["email"] = "kaputt"
    response = post(client, contact_data, lang="en")
    assert_refused(response)
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize("phone", ["abc", "12", "0511 123 ext. 5", "<script>"])
def test_invalid_phone_is_refused(client, contact_data, phone):
    contact_data["phone"] = phone
    response = post(client, contact_data)
    assert_refused(response)
    assert "Bitte geben Sie eine Telefonnummer" in response.content.decode()


def test_invalid_phone_error_in_english(client, contact_data):
    contact_data["phone"] = "abc"
    response = post(client, contact_data, lang="en")
    assert_refused(response)
    assert "Please enter a phone number made of digits" in response.content.decode()


@pytest.mark.parametrize("field", ["name", "company", "reference"])
def test_line_break_in_one_line_field_is_refused(client, contact_data, field):
    # Would otherwise reach the e-mail's subject line (header injection).
    contact_data[field] = "Muster GmbH\r\nBcc: victim@example.com"
    response = post(client, contact_data)
    assert_refused(response)
    assert "in einer Zeile ohne Steuerzeichen" in response.content.decode()


def test_null_byte_is_refused(client, contact_data):
    contact_data["message"] = "Hallo\x00Welt, bitte Rückruf"
    assert_refused(post(client, contact_data))


def test_too_short_message_is_refused(client, contact_data):
    contact_data["message"] = "Hi"
    response = post(client, contact_data)
    assert_refused(response)
    assert "mindestens 10 Zeichen" in response.content.decode()


def test_errors_are_listed_in_a_summary_linking_to_the_fields(client, contact_data):
    contact_data.update(name="", email="kaputt")
    html = post(client, contact_data).content.decode()
    assert 'role="alert"' in html
    assert '<a href="#id_name">Name</a>' in html
    assert '<a href="#id_email">E-Mail-Adresse</a>' in html


def test_entered_values_are_shown_again_after_an_error(client, contact_data):
    contact_data["email"] = "kaputt"
    html = post(client, contact_data).content.decode()
    assert 'value="Muster Maschinenbau GmbH"' in html


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused_without_500(client, method):
    response = getattr(client, method)("/kontakt/")
    assert response.status_code in (403, 405)
    assert ContactMessage.objects.count() == 0


def test_oversized_body_is_refused_with_400_not_500(client, contact_data):
    contact_data["message"] = "x" * (300 * 1024)  # above DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post(client, contact_data)
    assert response.status_code == 400
    assert ContactMessage.objects.count() == 0


def test_invalid_utf8_body_gives_errors_not_500(client):
    response = client.post(
        "/kontakt/",
        data=b"name=%FF%FE&company=%C3%28&email=a%40b.example&message=%E2%82",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0


def test_post_without_csrf_token_is_refused(contact_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/kontakt/", contact_data)
    assert response.status_code == 403
    assert ContactMessage.objects.count() == 0


def test_list_values_and_unknown_fields_are_harmless(client, contact_data):
    contact_data["unknown"] = "x"
    contact_data["name"] = ["Erika", "Mallory"]  # last value wins, as with any form
    assert post(client, contact_data).status_code == 302
    assert ContactMessage.objects.get().name == "Mallory"
