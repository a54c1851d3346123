"""The staff login's second factor (TOTP authenticator and backup codes) through the real pages."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pyotp
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.errors import TwoFactorError
from staff.models import StaffEvent
from tests.support.staff import post_admin_login, superuser
from tests.two_factor import authenticator, code, secret

pytestmark = pytest.mark.django_db

PASSWORD = "zwei-faktor-geheim-2026"
IP = "192.0.2.10"


@pytest.fixture
def agent():
    return superuser("agent2fa", PASSWORD)


def password_step(client, username: str = "agent2fa"):
    response = post_admin_login(client, username=username, password=PASSWORD, ip=IP)
    assert response.status_code == 302
    return response


def submit(client, url_name: str, value: str):
    return client.post(reverse(f"admin:{url_name}"), {"code": value}, REMOTE_ADDR=IP)


def assert_refused_at_the_next_login(client, value: str) -> None:
    """Log out, give the password again and enter ``value``: refused as invalid (not
    as throttled, so a used code is told apart from a slowed-down device)."""
    client.post(reverse("admin:logout"))
    password_step(client)
    response = submit(client, "staff_verify", value)
    assert response.status_code == 200
    assert str(TwoFactorError.INVALID) in response.content.decode()
    assert not is_verified(client)


def is_verified(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def admin_urls() -> list[str]:
    urls = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:jsi18n"),
        reverse("admin:autocomplete"),
        reverse("admin:staff_backup_codes"),
        "/" + settings.ADMIN_PATH + "gibt-es-nicht/",
    ]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[1]))
    return urls


def test_password_alone_leads_to_enrolment_from_every_admin_url(client, agent):
    response = password_step(client)
    assert response["Location"] == reverse("admin:index")
    urls = admin_urls()
    assert len(urls) > 30
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, REMOTE_ADDR=IP)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(reverse("admin:staff_enrol")), url
    # Nothing was created by the POSTs.
    assert get_user_model().objects.count() == 1
    assert StaffEvent.objects.count() == 0


def test_password_alone_with_an_authenticator_leads_to_the_code_page(client, agent):
    authenticator(agent)
    password_step(client)
    response = client.get(reverse("admin:orders_order_changelist"))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:staff_verify") + "?next=" + "%2Fadmin%2Forders%2Forder%2F"
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Bestätigungscode" in page.content.decode()
    assert page["Cache-Control"] == "no-store, private"


def test_enrolment_shows_qr_and_key_then_backup_codes_once(client, agent):
    password_step(client)
    page = client.get(reverse("admin:staff_enrol"))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("admin:staff_enrol_qr") in html
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    key = secret(device).rstrip("=")
    shown = re.search(r'id="second-factor-secret">([A-Z2-7 ]+)<', html)
    assert shown and shown.group(1).replace(" ", "") == key

    qr = client.get(reverse("admin:staff_enrol_qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith((b"<?xml", b"<svg"))
    assert qr["Cache-Control"] == "no-store, private"

    totp = pyotp.TOTP(key)
    response = submit(client, "staff_enrol", totp.now())
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=agent).values_list("token", flat=True)
    )
    # Shown in that response only: in no session row.
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert not any(c in decoded for c in codes)
        assert key not in decoded
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    assert StaffEvent.objects.get().action == StaffEvent.Action.ENROLLED
    # Enrolled: the QR code is gone and enrolment sends to the admin.
    assert client.get(reverse("admin:staff_enrol_qr")).status_code == 404
    assert client.get(reverse("admin:staff_enrol"))["Location"] == reverse("admin:index")


def test_interrupted_enrolment_keeps_the_same_key(client, agent):
    password_step(client)
    client.get(reverse("admin:staff_enrol"))
    first = secret(TOTPDevice.objects.get(user=agent))
    client.post(reverse("admin:logout"))
    password_step(client)
    client.get(reverse("admin:staff_enrol"))
    assert TOTPDevice.objects.filter(user=agent).count() == 1
    assert secret(TOTPDevice.objects.get(user=agent)) == first
    assert not is_verified(client)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "abcdef",
        "12345",
        "1234567",
        "12345678901234567890",
        "١٢٣٤٥٦",
        "12345\x00",
        "x" * 40,
    ],
    ids=["empty", "blank", "letters", "five", "seven", "twenty", "arabic", "nul", "long"],
)
def test_malformed_codes_get_a_clear_message_and_change_nothing(client, agent, value):
    device = authenticator(agent)
    password_step(client)
    response = submit(client, "staff_verify", value)
    html = response.content.decode()
    if "\x00" in value:
        # Refused for every admin POST before any view (lenze_support.middleware).
        assert response.status_code == 400
        assert "Ungültige Anfrage" in html
    else:
        assert response.status_code == 200
        assert 'aria-invalid="true"' in html
    assert not AccessAttempt.objects.exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert not is_verified(client)


def test_malformed_code_message_names_both_kinds():
    assert "sechsstelligen" in str(TwoFactorError.MALFORMED)
    assert "Backup-Codes" in str(TwoFactorError.MALFORMED)


def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(client, agent):
    device = authenticator(agent)
    password_step(client)
    wrong = code(device, offset_steps=5)
    response = submit(client, "staff_verify", wrong)
    assert response.status_code == 200
    assert str(TwoFactorError.INVALID) in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 1
    assert not is_verified(client)


def test_a_right_code_passes_and_a_replayed_one_is_refused(client, agent):
    device = authenticator(agent)
    password_step(client)
    value = code(device)
    response = client.post(
        reverse("admin:staff_verify") + "?next=/admin/orders/order/",
        {"code": value, "next": "/admin/orders/order/"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/orders/order/"
    assert is_verified(client)

    assert_refused_at_the_next_login(client, value)


def test_the_session_key_changes_when_the_second_factor_passes(client, agent):
    device = authenticator(agent)
    password_step(client)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    submit(client, "staff_verify", code(device))
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_an_open_redirect_in_next_is_ignored(client, agent):
    device = authenticator(agent)
    password_step(client)
    response = client.post(
        reverse("admin:staff_verify"),
        {"code": code(device), "next": "//evil.example/"},
        REMOTE_ADDR=IP,
    )
    assert response["Location"] == reverse("admin:index")


def test_a_backup_code_works_once(client, agent):
    authenticator(agent)
    device = StaticDevice.objects.create(user=agent, name="Backup-Codes")
    device.token_set.create(token="abcd2345")
    password_step(client)
    assert submit(client, "staff_verify", "ABCD 2345").status_code == 302
    assert is_verified(client)
    assert not StaticToken.objects.exists()

    assert_refused_at_the_next_login(client, "abcd2345")


def test_after_a_wrong_code_the_device_slows_down(client, agent):
    device = authenticator(agent)
    password_step(client)
    submit(client, "staff_verify", code(device, offset_steps=7))
    response = submit(client, "staff_verify", code(device))
    assert str(TwoFactorError.THROTTLED) in response.content.decode()
    assert not is_verified(client)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=30)
    )
    assert submit(client, "staff_verify", code(device)).status_code == 302
    assert is_verified(client)


def test_wrong_codes_up_to_the_limit_lock_out_and_log_out(client, agent):
    device = authenticator(agent)
    password_step(client)
    for n in range(settings.AXES_FAILURE_LIMIT):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = submit(client, "staff_verify", code(device, offset_steps=9 + n))
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    # Logged out: the next admin page asks for the password again.
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    # And the right password with the right code is refused during the lockout.
    response = client.post(
        reverse("admin:login"),
        {"username": "agent2fa", "password": PASSWORD},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 429


def test_code_posts_count_towards_the_admin_login_rate_limit(client, agent, settings):
    settings.ADMIN_LOGIN_RATE_LIMIT = "3/h"
    authenticator(agent)
    password_step(client)  # 1
    assert submit(client, "staff_verify", "abc").status_code == 200  # 2
    assert submit(client, "staff_verify", "abc").status_code == 200  # 3
    response = submit(client, "staff_verify", "abc")
    assert response.status_code == 429
    assert response["Retry-After"]


def test_a_lead_resets_a_colleagues_second_factor_and_it_is_logged(client, agent):
    from tests.factories import ensure_helpdesk_groups

    ensure_helpdesk_groups()
    from django.contrib.auth.models import Permission

    lead = get_user_model().objects.create_user("lead2fa", password=PASSWORD, is_staff=True)
    lead.groups.add(Group.objects.get(name="Helpdesk lead"))
    # What the staff migration grants the "Helpdesk lead" group (the test factory
    # rebuilds the helpdesk groups' permissions).
    lead.user_permissions.add(
        Permission.objects.get(content_type__app_label="staff", codename="reset_second_factor"),
        Permission.objects.get(content_type__app_label="auth", codename="view_user"),
    )
    colleague = get_user_model().objects.create_user("hd2fa", password=PASSWORD, is_staff=True)
    authenticator(colleague)
    StaticDevice.objects.create(user=colleague, name="Backup-Codes")
    # The colleague's own session, fully verified.
    from django.test import Client

    colleague_client = Client()
    colleague_client.force_login(colleague)

    client.force_login(lead)
    changelist = reverse("admin:auth_user_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "reset_second_factor" in page.content.decode()
    response = client.post(
        changelist, {"action": "reset_second_factor", "_selected_action": [colleague.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    event = StaffEvent.objects.get()
    assert (event.action, event.user, event.actor) == (StaffEvent.Action.RESET, colleague, lead)
    # The colleague's open session lost the second factor: enrolment again.
    response = colleague_client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("admin:staff_enrol"))


def test_an_agent_cannot_reset_second_factors(client, agent):
    from tests.factories import ensure_helpdesk_groups

    ensure_helpdesk_groups()
    hd = get_user_model().objects.create_user("hd-only", password=PASSWORD, is_staff=True)
    hd.groups.add(Group.objects.get(name="Helpdesk"))
    authenticator(agent)
    client.force_login(hd)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [agent.pk]},
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=agent).exists()
    assert not StaffEvent.objects.exists()


def test_new_backup_codes_replace_the_old_ones(client, agent):
    client.force_login(agent)
    old = StaticDevice.objects.create(user=agent, name="Backup-Codes")
    old.token_set.create(token="aaaa2222")
    page = client.get(reverse("admin:staff_backup_codes"))
    assert "noch 1 unbenutzten Backup-Code" in page.content.decode()
    response = client.post(reverse("admin:staff_backup_codes"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert "aaaa2222" not in codes
    assert not StaticToken.objects.filter(token="aaaa2222").exists()
    assert StaffEvent.objects.get().action == StaffEvent.Action.BACKUP_CODES_ISSUED


def test_otp_device_admins_are_not_registered():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_demo_data_prints_the_demo_accounts_second_factor(settings):
    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    call_command("demo_data", stdout=first)
    call_command("demo_data", stdout=second)
    lines = [line for line in first.getvalue().splitlines() if line.startswith("Demo-2FA: ")]
    assert len(lines) == 1
    url = lines[0].removeprefix("Demo-2FA: ")
    assert url.startswith("otpauth://totp/") and "secret=" in url
    assert url in second.getvalue()  # the same device on every run
    totp = pyotp.TOTP(pyotp.parse_uri(url).secret)
    device = TOTPDevice.objects.get(user__username="admin")
    assert device.confirmed
    assert device.verify_token(totp.now())
    assert first.getvalue().splitlines()[-1].startswith("Demo-Bestelllink: ")
