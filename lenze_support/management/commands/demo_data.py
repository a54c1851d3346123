"""Idempotent demo data for a local installation (``make run``)."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from legal.initial import load_initial_documents
from orders.demo import demo_support_request

DEMO_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Creates (or refreshes) local demo data: the initial legal texts, an admin account, "
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
        # Last line: the demo customer's order link (a fresh one each run).
        issued = demo_support_request()
        self.stdout.write(f"Demo-Bestelllink: {issued.url}")
