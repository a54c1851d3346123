"""Seed what `make bench` drives; prints one JSON line with the addresses.

Runs with bench.settings against the benchmark database: initial legal texts
and tariff, one order link for GET, N fresh links for the submit scenario
(written to a file as "PATH<TAB>BODY<TAB>COOKIE" lines), and a logged-in
Helpdesk agent's session cookie for the admin order list.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from billing.services import tariff_ensure_initial  # noqa: E402
from legal.initial import load_initial_documents  # noqa: E402
from orders import selectors, services  # noqa: E402
from orders.models import SupportRequest  # noqa: E402
from staff.services import demo_authenticator  # noqa: E402


def agent_cookie() -> str:
    user, _ = User.objects.get_or_create(username="bench-agent", defaults={"is_staff": True})
    user.is_staff = True
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name="Helpdesk"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # Past the second factor, as a code entered at login would leave the session.
    session[DEVICE_ID_SESSION_KEY] = demo_authenticator(user=user).persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=15000)
    args = parser.parse_args()
    load_initial_documents()
    tariff_ensure_initial()
    # Links from earlier runs are spent; clear them so the table stays small.
    SupportRequest.objects.filter(order__isnull=True, company__startswith="Bench ").delete()
    offer = selectors.offer_current(language="de")
    if not (offer.complete and offer.privacy and offer.asb and offer.tariff):
        raise SystemExit("initial documents and tariff missing")
    view_link = services.support_request_create(
        company="Bench GmbH", email="bench@example.com", send_email=False
    )
    csrf = _get_new_csrf_string()
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "consent": "on",
            "privacy_version": offer.privacy.pk,
            "asb_version": offer.asb.pk,
            "tariff_version": offer.tariff.pk,
        }
    )
    submit_file = Path(tempfile.gettempdir()) / "lenze-bench-submits.tsv"
    with submit_file.open("w", encoding="ascii") as fh:
        for i in range(args.links):
            link = services.support_request_create(
                company=f"Bench {i} GmbH", email=f"bench{i}@example.com", send_email=False
            )
            path = urlsplit(link.url).path
            fh.write(f"{path}\t{body}\t{settings.CSRF_COOKIE_NAME}={csrf}\n")
    asb = offer.asb
    print(
        json.dumps(
            {
                "info_url": reverse("home"),
                "order_url": urlsplit(view_link.url).path,
                "legal_url": reverse("legal:asb"),
                "pdf_url": asb.get_pdf_url(),
                "submit_file": str(submit_file),
                "admin_list_url": reverse("admin:orders_order_changelist"),
                "admin_cookie": agent_cookie(),
            }
        )
    )


if __name__ == "__main__":
    main()
