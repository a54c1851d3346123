"""Rate limits per client address on order links, order submits and the admin
login. The contact form's limit: tests/contact/test_contact_rate_limit.py."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from orders.models import Order
from tests.factories import support_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.ORDER_LINK_RATE_LIMIT = "3/m"
    settings.ORDER_SUBMIT_RATE_LIMIT = "2/h"
    settings.ADMIN_LOGIN_RATE_LIMIT = "3/h"
    return settings


def after_the_limit(client, path: str, *, limit: int = 3):
    """The answer to the look-up after ``limit`` look-ups of ``path``."""
    for _ in range(limit):
        client.get(path)
    return client.get(path)


def test_order_link_lookups_over_the_limit_get_429_in_german(client, offer, tight):
    _request, token = support_request()
    for _ in range(3):
        assert client.get(f"/auftrag/{token}/").status_code == 200
    response = client.get(f"/auftrag/{token}/")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="de">' in html and "Zu viele Anfragen" in html
    assert "Too many requests" not in html
    assert "no-store" in response["Cache-Control"]


def test_order_link_lookups_over_the_limit_get_429_in_english(client, offer, tight):
    _request, token = support_request()
    response = after_the_limit(client, f"/en/order/{token}/")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html and "Too many requests" in html


def test_guessed_tokens_count_towards_the_lookup_limit(client, offer, tight):
    statuses = [client.get(f"/auftrag/guess-{i}/").status_code for i in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_head_requests_and_the_success_page_count_as_lookups(client, offer, tight):
    _request, token = support_request()
    client.head(f"/auftrag/{token}/")
    client.get(f"/auftrag/{token}/erteilt/")  # no order yet: redirect to the order page
    client.get(f"/auftrag/{token}/")
    assert client.get(f"/auftrag/{token}/erteilt/").status_code == 429


def test_lookup_limit_is_per_client_address(client, offer, tight):
    _request, token = support_request()
    for _ in range(4):
        client.get(f"/auftrag/{token}/", REMOTE_ADDR="192.0.2.10")
    assert client.get(f"/auftrag/{token}/", REMOTE_ADDR="192.0.2.10").status_code == 429
    assert client.get(f"/auftrag/{token}/", REMOTE_ADDR="192.0.2.11").status_code == 200


def test_submits_over_the_limit_get_429_and_order_nothing(
    client, offer, consented_form_data, tight
):
    tokens = [support_request(case_reference=f"HD-{i}")[1] for i in range(3)]
    assert client.post(f"/auftrag/{tokens[0]}/", {"privacy_version": "x"}).status_code == 400
    assert client.post(f"/auftrag/{tokens[1]}/", consented_form_data).status_code == 303
    response = client.post(f"/auftrag/{tokens[2]}/", consented_form_data)
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    assert Order.objects.count() == 1


def test_submits_and_lookups_are_counted_apart(client, offer, consented_form_data, tight):
    _request, token = support_request()
    for _ in range(3):
        client.get(f"/auftrag/{token}/")
    # The look-up limit is used up; the submit still goes through.
    assert client.post(f"/auftrag/{token}/", consented_form_data).status_code == 303
    assert Order.objects.count() == 1


def test_admin_login_posts_over_the_limit_get_429_before_axes_counts(client, tight):
    url = reverse("admin:login")
    for i in range(3):
        response = client.post(url, {"username": f"user{i}", "password": "wrong"})
        assert response.status_code == 200  # the login form with its error
    response = client.post(url, {"username": "user9", "password": "wrong"})
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # The refused attempt never reached authentication: axes recorded three.
    assert AccessAttempt.objects.count() == 3
    # The admin has no English URL: the page says it in English too, like the lockout page.
    assert "Too many requests" in response.content.decode()


def test_admin_login_form_itself_is_not_limited(client, tight):
    for _ in range(6):
        assert client.get(reverse("admin:login")).status_code == 200


def test_limits_come_from_settings(client, offer, settings):
    settings.ORDER_LINK_RATE_LIMIT = "1/m"
    _request, token = support_request()
    assert client.get(f"/auftrag/{token}/").status_code == 200
    assert client.get(f"/auftrag/{token}/").status_code == 429
    settings.ORDER_LINK_RATE_LIMIT = "100/m"
    assert client.get(f"/auftrag/{token}/").status_code == 200


def test_defaults_leave_room_for_people_and_not_for_guessers(settings):
    from lenze_support import settings as real

    assert real.ORDER_LINK_RATE_LIMIT == "60/m"
    assert real.ORDER_SUBMIT_RATE_LIMIT == "20/h"
    assert real.ADMIN_LOGIN_RATE_LIMIT == "30/h"


@pytest.mark.parametrize(
    "name", ["ORDER_LINK_RATE_LIMIT", "ORDER_SUBMIT_RATE_LIMIT", "ADMIN_LOGIN_RATE_LIMIT"]
)
def test_a_malformed_rate_fails_the_system_check(settings, name):
    setattr(settings, name, "sixty per minute")
    with pytest.raises(SystemCheckError, match=name):
        call_command("check")


def test_rate_limit_hit_is_logged_with_the_view_name_and_never_the_token(
    client, offer, tight, caplog
):
    _request, token = support_request()
    with caplog.at_level(logging.WARNING, logger="lenze_support.views"):
        for _ in range(4):
            client.get(f"/auftrag/{token}/")
    hits = [r for r in caplog.records if getattr(r, "event", "") == "ratelimit.hit"]
    assert len(hits) == 1
    assert hits[0].fields == {"view": "orders:order", "method": "GET"}


def test_every_429_says_when_to_retry(client, offer, tight):
    """Retry-After: the seconds until the client's window of that limit ends."""
    _request, token = support_request()
    lookups = after_the_limit(client, f"/auftrag/{token}/")
    assert lookups.status_code == 429
    assert 1 <= int(lookups["Retry-After"]) <= 60  # a per-minute limit

    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    login = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert login.status_code == 429
    # A per-hour limit: its window ends at a point of the clock hour
    # (django-ratelimit), so the wait may be anything up to an hour.
    assert 1 <= int(login["Retry-After"]) <= 3600


def test_the_contact_form_429_says_when_to_retry(client, settings):
    settings.CONTACT_RATE_LIMIT = "1/h"
    data = {"name": "A", "email": "a@example.com", "message": "x"}
    client.post("/kontakt/", data)
    response = client.post("/kontakt/", data)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600  # up to the end of the hour's window
