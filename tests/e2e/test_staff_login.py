"""The staff login with its second factor in a real browser: enrolment from the
portal's own QR page, codes computed by pyotp as a phone app would, a wrong and
a replayed code, a backup code (used once)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from staff.errors import TwoFactorError
from tests.e2e.support import assert_accessible, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "e2e-zwei-faktor-2026"


def password_step(page: Page, base: str) -> None:
    page.goto(base + reverse("admin:index"))
    page.get_by_label("Benutzername").fill("e2e-staff")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_enrol_log_in_refuse_wrong_and_replayed_codes_and_use_a_backup_code(
    live_server, page: Page
):
    problems = watch_console(page)
    get_user_model().objects.create_user(
        "e2e-staff", password=PASSWORD, is_staff=True, is_superuser=True
    )
    base = live_server.url

    # Password only: led to enrolment, whatever admin page was asked for.
    password_step(page, base)
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:staff_enrol"))))
    qr = page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App")
    expect(qr).to_be_visible()
    # The SVG served by the portal loads and is drawn (not a broken image). Polled
    # from here: page.wait_for_function evaluates its text with eval() in the
    # page, which the portal's CSP (no 'unsafe-eval') refuses.
    deadline = time.monotonic() + 10
    while not qr.evaluate("img => img.complete && img.naturalWidth > 0"):
        assert time.monotonic() < deadline, "the QR code image did not load"
        page.wait_for_timeout(50)
    assert_accessible(page)
    page.goto(base + reverse("admin:orders_order_changelist"))
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:staff_enrol"))))

    # The key typed by hand, as for an app without a camera.
    key = page.locator("#second-factor-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Einrichten").click()
    expect(page.locator("#code-error")).to_have_text(str(TwoFactorError.MALFORMED))
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")

    enrol_code = totp.now()
    page.get_by_label("Code").fill(enrol_code)
    page.get_by_role("button", name="Einrichten").click()
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Weiter zur Verwaltung").click()
    # Back to the page first asked for.
    expect(page).to_have_url(base + reverse("admin:orders_order_changelist"))

    # Log out; log in again: the code just used is refused (replay), a wrong one too.
    page.get_by_role("button", name="Abmelden").click()
    password_step(page, base)
    expect(page.get_by_role("heading", name="Bestätigungscode")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(enrol_code)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#code-error")).to_have_text(str(TwoFactorError.INVALID))
    page.get_by_label("Code").fill(f"{(int(totp.now()) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#code-error")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:staff_verify"))))

    # A backup code (after django-otp's short back-off from the failures).
    page.wait_for_timeout(2100)
    page.get_by_label("Code").fill(codes[0].upper())
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(base + reverse("admin:index"))

    # That backup code is used up.
    page.get_by_role("button", name="Abmelden").click()
    password_step(page, base)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#code-error")).to_have_text(str(TwoFactorError.INVALID))
    assert not problems, problems
