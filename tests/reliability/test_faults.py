"""Faults injected, nothing lost.

- A database error in the middle of ``order_place`` (after the order number was
  drawn and the order row written, before its event row): no partial rows, a
  friendly 503 retry page in the customer's language; the retry succeeds.
- The mail server down when an order is placed: the order stands, the customer
  sees success, the failure is logged and the notification stays pending; its
  task's retries against a REAL SMTP listener on 127.0.0.1 are tested in
  tests/background/.
- A PDF render failure at publication: tests/legal/test_publish.py and
  tests/legal/test_admin.py. A lost database connection between requests:
  tests/reliability/test_gunicorn_postgres.py (PostgreSQL).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.db import OperationalError

from orders.models import Order, OrderEvent, OrderNumberCounter
from tests.factories import support_request
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def event_create_fails(monkeypatch):
    """The database fails after the order row was written, before its event row."""

    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(OrderEvent.objects, "create", fail)
    return monkeypatch


# --- database error in the middle of order_place -----------------------------------


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("/auftrag", "Bitte versuchen Sie es noch einmal"), ("/en/order", "Please try again")],
)
def test_database_error_while_ordering_leaves_no_rows_and_shows_a_retry_page(
    client, consented_form_data, event_create_fails, prefix, heading
):
    _request, token = support_request()
    before = row_counts()
    response = client.post(f"{prefix}/{token}/", consented_form_data)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert heading in html
    assert f'href="{prefix}/{token}/"' in html  # back to the order page
    assert row_counts() == before
    assert not OrderNumberCounter.objects.filter(last_number__gt=0).exists()


def test_retry_after_the_database_error_places_the_order_with_the_first_number(
    client, consented_form_data, event_create_fails
):
    _request, token = support_request()
    assert client.post(f"/auftrag/{token}/", consented_form_data).status_code == 503
    event_create_fails.undo()
    assert client.get(f"/auftrag/{token}/").status_code == 200  # the link still works
    response = client.post(f"/auftrag/{token}/", consented_form_data)
    assert response.status_code == 303
    order = Order.objects.get()
    assert order.number.endswith("-000001")  # the failed attempt used up no number
    assert OrderEvent.objects.filter(order=order, action="orders.order.placed").count() == 1


def test_database_error_while_ordering_is_logged_without_personal_data(
    client, consented_form_data, event_create_fails, caplog
):
    request, token = support_request()
    with caplog.at_level(logging.ERROR, logger="orders.views"):
        client.post(f"/auftrag/{token}/", consented_form_data)
    failures = [r for r in caplog.records if getattr(r, "event", "") == "orders.order.place_failed"]
    assert [r.fields for r in failures] == [{"error": "OperationalError"}]
    assert request.email not in caplog.text and token not in caplog.text


# --- mail server down: the order stands, the notification is retried ---------------


class FlakyHelpdeskMailbox:
    """aiosmtpd handler: answers the first ``refusals`` messages with 451, then accepts."""

    def __init__(self, refusals: int = 0) -> None:
        self.refusals = refusals
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_port(settings) -> int:
    """The portal sends through real SMTP to 127.0.0.1:<port>; nothing listens yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def start_smtp(smtp_port) -> Iterator:
    controllers: list[Controller] = []

    def start(handler: FlakyHelpdeskMailbox) -> FlakyHelpdeskMailbox:
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def place_order(client, consented_form_data, capture, prefix: str = "/auftrag"):
    _request, token = support_request()
    with capture(execute=True):
        response = client.post(f"{prefix}/{token}/", consented_form_data)
    return token, response


def test_mail_server_down_the_order_stands_and_the_customer_sees_success(
    client, consented_form_data, smtp_port, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR, logger="orders.emails"):
        _token, response = place_order(
            client, consented_form_data, django_capture_on_commit_callbacks
        )
    assert response.status_code == 303
    success = client.get(response["Location"])
    order = Order.objects.get()
    assert success.status_code == 200 and order.number in success.content.decode()
    assert order.helpdesk_notified_at is None  # pending
    failures = [r.fields for r in caplog.records if getattr(r, "event", "") == "mail.failed"]
    assert failures == [
        {
            "kind": "order_placed",
            "order": order.number,
            "error": "ConnectionRefusedError",
            "pending": "yes",
        }
    ]


def test_a_notification_sent_at_once_is_not_pending(
    client, consented_form_data, start_smtp, django_capture_on_commit_callbacks
):
    mailbox = start_smtp(FlakyHelpdeskMailbox())
    place_order(client, consented_form_data, django_capture_on_commit_callbacks)
    assert Order.objects.get().helpdesk_notified_at is not None
    assert len(mailbox.received) == 1


def test_migration_marks_orders_placed_before_the_marker_existed_as_notified():
    import importlib

    from tests.factories import billing_order

    migration = importlib.import_module("orders.migrations.0005_order_helpdesk_notified_at")
    old = billing_order()
    Order.objects.filter(pk=old.pk).update(helpdesk_notified_at=None)
    migration.mark_existing_orders_notified(apps, None)
    old.refresh_from_db()
    assert old.helpdesk_notified_at == old.placed_at  # not sent again by the command
