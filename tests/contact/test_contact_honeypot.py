import pytest
from django.core import mail

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db


def test_filled_honeypot_gives_quiet_success_and_stores_nothing(
    client, contact_data, django_capture_on_commit_callbacks
):
    contact_data["website"] = "http://spam.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kontakt/", contact_data)
    assert response.status_code == 302
    assert response["Location"] == "/kontakt/danke/"
    assert ContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_filled_honeypot_with_invalid_fields_still_looks_like_success(client):
    response = client.post("/en/contact/", {"website": "x", "email": "nonsense"})
    assert response.status_code == 302
    assert response["Location"] == "/en/contact/thank-you/"
    assert ContactMessage.objects.count() == 0


def test_honeypot_is_hidden_from_eyes_screen_readers_and_keyboard(client):
    html = client.get("/kontakt/").content.decode()
    wrapper_start = html.index('class="visually-hidden"  aria-hidden="true"')
    field = html.index('name="website"')
    assert wrapper_start < field
    input_tag = html[html.rindex("<input", 0, field) : html.index(">", field)]
    assert 'tabindex="-1"' in input_tag
    assert 'autocomplete="off"' in input_tag
    assert "required" not in input_tag
