"""Idempotent demo data for a local installation (``make run``)."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from legal.initial import load_initial_documents
from orders.demo import demo_support_request
from staff.services import demo_authenticator

DEMO_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Creates (or refreshes) local demo data: the initial legal texts, an admin account "
        "with its second factor (printed as an otpauth:// URL), "
        "the tariff and a demo support request whose order link it prints last. "
        "Refuses when DEBUG is off."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_data is for local installations only (DJANGO_DEBUG=1).")
        for document in load_initial_documents():
            self.stdout.write(
                f"{document}: {settings.SITE_URL}{document.get_absolute_url()}"
                f"  PDF: {settings.SITE_URL}{document.get_pdf_url()}"
            )
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "lenze-demo")
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "admin@example.com"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Admin: {settings.SITE_URL}/admin/  user: {DEMO_USERNAME}  password: {password}"
            + ("  (created)" if created else "")
        )
        # The demo account's second factor: add it to any authenticator app (or
        # compute codes with pyotp). Created once, so the app keeps working.
        self.stdout.write(f"Demo-2FA: {demo_authenticator(user=user).config_url}")
        # Last line: the demo customer's order link (a fresh one each run).
        issued = demo_support_request()
        self.stdout.write(f"Demo-Bestelllink: {issued.url}")
