"""Admin brute-force protection with django-axes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from tests.support.staff import post_admin_login, superuser

pytestmark = pytest.mark.django_db

PASSWORD = "richtig-geheim-123"
ATTACKER_IP = "192.0.2.66"


@pytest.fixture
def staff():
    return superuser("agent", PASSWORD)


def login(client, password: str, ip: str = ATTACKER_IP, username: str = "agent"):
    return post_admin_login(client, username=username, password=password, ip=ip)


def fail_until_locked(client, ip: str = ATTACKER_IP):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "falsch", ip=ip)
        assert response.status_code == 200  # the login form again, with its error
    return login(client, "falsch", ip=ip)


def test_failure_limit_defaults_to_five_with_a_fifteen_minute_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_failed_logins_below_the_limit_show_the_login_form_again(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "falsch")
        assert response.status_code == 200
        assert 'name="password"' in response.content.decode()
    assert login(client, PASSWORD).status_code == 302


def test_reaching_the_limit_locks_out_with_429_and_a_clear_page(client, staff):
    response = fail_until_locked(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "Login temporarily blocked" in html  # English for staff who read English
    assert "15 Min." in html
    assert "15 min" in html
    assert "§ 14 BGB" in html  # in the portal's layout
    assert 'name="password"' not in html


def test_lockout_page_is_not_cached_and_has_the_site_headers(client, staff):
    response = fail_until_locked(client)
    assert response["Cache-Control"] == "no-store, private"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_locked_out_pair_is_refused_even_with_the_right_password(client, staff):
    fail_until_locked(client)
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_same_user_from_another_address_can_still_log_in(client, staff):
    fail_until_locked(client)
    response = login(client, PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_lockout_ends_after_the_cool_off_and_old_attempts_are_deleted(client, staff):
    fail_until_locked(client)
    assert AccessAttempt.objects.count() == 1
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0  # the attacker's address is gone


def test_successful_login_resets_the_failure_count(client, staff):
    from tests.two_factor import authenticator, code

    device = authenticator(staff)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "falsch")
    assert login(client, PASSWORD).status_code == 302
    # The password alone is not a successful login: the count stands until the code passed.
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    response = client.post(
        reverse("admin:staff_verify"), {"code": code(device)}, REMOTE_ADDR=ATTACKER_IP
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "falsch").status_code == 200


def test_successful_logins_leave_no_address_log(client, staff):
    assert login(client, PASSWORD).status_code == 302
    assert AccessLog.objects.count() == 0


def test_failed_attempt_record_does_not_keep_the_password(client, staff):
    login(client, "mein-falsches-passwort")
    attempt = AccessAttempt.objects.get()
    assert "mein-falsches-passwort" not in attempt.post_data
    assert attempt.ip_address == ATTACKER_IP


def test_force_login_works_with_axes(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_client_login_works_when_given_a_request(client, staff):
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    assert client.login(request=request, username="agent", password=PASSWORD) is True
    # The password alone opens nothing: enrolment of the second factor first.
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:staff_enrol"))


def test_admin_pages_of_a_logged_in_user_are_never_stored(client, staff):
    client.force_login(staff)
    for url in (reverse("admin:index"), reverse("admin:auth_user_changelist")):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store, private"


def test_an_over_long_username_is_refused_by_the_form_without_an_error(client):
    # Without the form's limit such a username reaches authenticate(), and axes'
    # 255-character column raises DataError on PostgreSQL: a 500.
    response = client.post(
        reverse("admin:login"), {"username": "a" * 10_000, "password": "x"}, REMOTE_ADDR=ATTACKER_IP
    )
    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_the_lockout_page_says_when_to_retry(client, staff):
    response = fail_until_locked(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
