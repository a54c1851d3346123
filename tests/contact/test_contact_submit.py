import logging
from unittest import mock

import pytest
from django.core import mail

from contact.models import ContactMessage
from contact.services import contact_message_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "texts"),
    [
        ("/kontakt/", "de", ["Kontakt zum Helpdesk", "Nachricht senden"]),
        (
            "/en/contact/",
            "en",
            [
                "Contact the helpdesk",
                "Send message",
                "Order number or case reference (optional)",
            ],
        ),
    ],
)
def test_form_page_renders_in_its_language(client, path, lang, texts):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for text in texts:
        assert text in html


def test_valid_post_stores_message_and_redirects_to_thank_you_page(client, contact_data):
    response = client.post("/kontakt/", contact_data)
    assert response.status_code == 302
    assert response["Location"] == "/kontakt/danke/"
    stored = ContactMessage.objects.get()
    assert stored.name == "Erika Mustermann"
    assert stored.company == "Muster Maschinenbau GmbH"
    assert stored.email == "erika@muster.example"
    assert stored.phone == "+49 5154 123-45"
    assert stored.reference == "RS-2026-00042"
    assert stored.language == "de"
    assert stored.handled_at is None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Vielen Dank für Ihre Nachricht" in thanks.content.decode()


def test_english_post_records_english_and_thanks_in_english(client, contact_data):
    response = client.post("/en/contact/", contact_data, follow=True)
    assert response.redirect_chain == [("/en/contact/thank-you/", 302)]
    assert "Thank you for your message" in response.content.decode()
    assert ContactMessage.objects.get().language == "en"


def test_optional_fields_may_be_empty(client, contact_data):
    contact_data.update(phone="", reference="")
    assert client.post("/kontakt/", contact_data).status_code == 302
    stored = ContactMessage.objects.get()
    assert (stored.phone, stored.reference) == ("", "")


def test_helpdesk_is_emailed_only_after_commit(
    client, contact_data, settings, django_capture_on_commit_callbacks
):
    settings.HELPDESK_EMAIL = "helpdesk@lenze.example"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/kontakt/", contact_data)
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["helpdesk@lenze.example"]
    assert sent.reply_to == ["erika@muster.example"]
    assert sent.subject == "Kontaktformular: Nachricht von Muster Maschinenbau GmbH"
    assert "Der Antrieb meldet Fehler F0815. Bitte um Rückruf." in sent.body
    assert "RS-2026-00042" in sent.body
    stored = ContactMessage.objects.get()
    assert f"/admin/contact/contactmessage/{stored.pk}/change/" in sent.body


def test_helpdesk_email_is_german_even_for_english_messages(
    client, contact_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/contact/", contact_data)
    body = mail.outbox[0].body
    assert "Nachricht:" in body
    assert "Sprache: Englisch" in body


def test_nothing_is_emailed_when_the_transaction_rolls_back(
    contact_data, django_capture_on_commit_callbacks
):
    from django.db import transaction

    data = {k: v for k, v in contact_data.items() if k != "website"}
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        contact_message_submit(**data)
        raise RuntimeError("boom")
    assert mail.outbox == []
    assert ContactMessage.objects.count() == 0


def test_mail_failure_keeps_message_and_success_and_is_logged(
    client, contact_data, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")),
        caplog.at_level(logging.ERROR, logger="contact.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/kontakt/", contact_data)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.helpdesk_notified_at is None  # waiting for the task's retry
    failures = [r.fields for r in caplog.records if getattr(r, "event", "") == "mail.failed"]
    assert failures == [
        {"kind": "contact_message", "contact_message": message.pk, "error": "OSError"}
    ]
    assert contact_data["email"] not in caplog.text


def test_form_page_query_budget(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/kontakt/").status_code == 200


def test_submit_query_budget(client, contact_data, django_assert_max_num_queries):
    # One constraint check (full_clean) and one insert, each in a savepoint under test.
    with django_assert_max_num_queries(6):
        assert client.post("/kontakt/", contact_data).status_code == 302


def test_form_page_is_not_cached(client):
    response = client.get("/kontakt/")
    assert response["Cache-Control"] == "no-store, private"
    assert "noindex" in response["X-Robots-Tag"]


def test_redisplayed_form_is_not_cached(client, contact_data):
    contact_data["email"] = "kaputt"
    response = client.post("/kontakt/", contact_data)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "noindex" in response["X-Robots-Tag"]


def test_thank_you_page_query_budget(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/kontakt/danke/").status_code == 200
