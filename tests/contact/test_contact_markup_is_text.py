"""Markup typed into the form is stored as text and shown escaped everywhere."""

import pytest
from django.core import mail

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_data(contact_data):
    contact_data.update(
        name=f"Eve {SCRIPT}",
        company=f"ACME {IMG}",
        reference="<b>RS-1</b>",
        message=f"Hallo {SCRIPT} und {IMG} <a href='javascript:alert(1)'>klick</a>",
    )
    return contact_data


@pytest.fixture
def stored(client, hostile_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kontakt/", hostile_data)
    assert response.status_code == 302
    return ContactMessage.objects.get()


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_markup_is_stored_verbatim_as_text(stored, hostile_data):
    assert stored.name == hostile_data["name"]
    assert stored.company == hostile_data["company"]
    assert stored.reference == "<b>RS-1</b>"
    assert stored.message == hostile_data["message"]


def test_markup_in_redisplayed_form_is_escaped(client, hostile_data):
    hostile_data["email"] = f"{SCRIPT}@example.com"
    hostile_data["phone"] = IMG
    response = client.post("/kontakt/", hostile_data)
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0
    assert_escaped(response.content.decode())


def test_email_is_plain_text_with_the_text_as_typed(stored):
    sent = mail.outbox[0]
    assert sent.content_subtype == "plain"
    assert not getattr(sent, "alternatives", [])
    assert SCRIPT in sent.body  # plain text: shown literally, never interpreted
    assert IMG in sent.body
    assert "\n" not in sent.subject
    assert sent.subject.endswith(stored.company)


def test_admin_list_escapes_markup(admin_client, stored):
    html = admin_client.get("/admin/contact/contactmessage/").content.decode()
    assert_escaped(html)
    assert "Eve &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_admin_search_results_escape_markup(admin_client, stored):
    response = admin_client.get("/admin/contact/contactmessage/", {"q": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert_escaped(html)


def test_admin_detail_escapes_markup(admin_client, stored):
    html = admin_client.get(f"/admin/contact/contactmessage/{stored.pk}/change/").content.decode()
    assert_escaped(html)
    assert "&lt;b&gt;RS-1&lt;/b&gt;" in html
