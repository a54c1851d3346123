import pytest
from django.core import mail

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tight_limit(settings):
    settings.CONTACT_RATE_LIMIT = "2/h"


def test_third_post_from_one_client_gets_429_in_german(client, contact_data):
    assert client.post("/kontakt/", contact_data).status_code == 302
    assert client.post("/kontakt/", contact_data).status_code == 302
    response = client.post("/kontakt/", contact_data)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Zu viele Anfragen" in html
    assert "§ 14 BGB" in html  # the site layout
    assert ContactMessage.objects.count() == 2


def test_429_page_is_english_on_english_pages(client, contact_data):
    for _ in range(2):
        client.post("/en/contact/", contact_data)
    response = client.post("/en/contact/", contact_data)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Too many requests" in html


def test_refused_post_stores_and_mails_nothing(
    client, contact_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/kontakt/", contact_data)
    assert ContactMessage.objects.count() == 2
    assert len(mail.outbox) == 2


def test_invalid_posts_count_too(client, contact_data):
    client.post("/kontakt/", {"email": "x"})
    client.post("/kontakt/", {"email": "x"})
    assert client.post("/kontakt/", contact_data).status_code == 429
    assert ContactMessage.objects.count() == 0


def test_honeypot_posts_count_too(client, contact_data):
    spam = {**contact_data, "website": "x"}
    client.post("/kontakt/", spam)
    client.post("/kontakt/", spam)
    assert client.post("/kontakt/", spam).status_code == 429


def test_reading_the_form_is_not_limited(client, contact_data):
    for _ in range(2):
        client.post("/kontakt/", contact_data)
    assert client.get("/kontakt/").status_code == 200


def test_limit_is_per_client_address(client, contact_data):
    for _ in range(2):
        client.post("/kontakt/", contact_data, REMOTE_ADDR="192.0.2.1")
    assert client.post("/kontakt/", contact_data, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post("/kontakt/", contact_data, REMOTE_ADDR="192.0.2.2").status_code == 302


def test_429_page_is_not_cached(client, contact_data):
    for _ in range(2):
        client.post("/kontakt/", contact_data)
    response = client.post("/kontakt/", contact_data)
    assert "no-store" in response["Cache-Control"]


def test_ratelimited_view_is_reusable_by_other_endpoints(rf):
    from django.utils import translation

    from lenze_support.views import ratelimited

    request = rf.post("/en/anything/")
    with translation.override("en"):
        response = ratelimited(request, Exception())
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_behind_the_proxy_the_forwarded_client_address_is_limited(client, contact_data, settings):
    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        client.post("/kontakt/", contact_data, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    blocked = client.post("/kontakt/", contact_data, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert blocked.status_code == 429
    # Another customer behind the same proxy is not blocked with them.
    other = client.post("/kontakt/", contact_data, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 302
