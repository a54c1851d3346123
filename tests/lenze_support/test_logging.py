"""Structured log lines: events as key=value or JSON, no personal data."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from lenze_support.logs import JsonFormatter, KeyValueFormatter, RedactTokensFilter, log_event
from tests.factories import order_offer, support_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """The configured console handler, writing into a buffer for the test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokensFilter) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


def test_console_handler_writes_key_value_lines_by_default(console):
    log_event(logging.getLogger("orders.services"), "orders.order.placed", order="RS-2026-000001")
    line = console.getvalue().strip().splitlines()[-1]
    assert line.startswith("ts=")
    assert (
        "level=INFO logger=orders.services event=orders.order.placed order=RS-2026-000001" in line
    )


def test_values_with_spaces_are_quoted_and_exceptions_stay_on_one_line():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "m", (), None)
    record.event, record.fields = "mail.failed", {"reason": 'connection "refused" now'}
    try:
        raise ConnectionRefusedError("no")
    except ConnectionRefusedError:
        import sys

        record.exc_info = sys.exc_info()
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert 'reason="connection \\"refused\\" now"' in line
    assert "exc_type=ConnectionRefusedError" in line


def test_json_format_has_one_object_per_line_with_the_event_fields():
    record = logging.LogRecord("orders", logging.INFO, __file__, 1, "m", (), None)
    record.event, record.fields = "orders.order.status_changed", {"order": "RS-1", "to": "billed"}
    data = json.loads(JsonFormatter().format(record))
    assert data["event"] == "orders.order.status_changed"
    assert data["order"] == "RS-1" and data["to"] == "billed" and data["level"] == "INFO"


def test_order_link_tokens_never_reach_the_log(client, console):
    order_offer()
    _request, token = support_request()
    client.get("/auftrag/not-a-token-but-a-secret/")  # Django logs "Not Found: <path>"
    client.get(f"/en/order/{token}x/")
    output = console.getvalue()
    assert "Not Found: /auftrag/[token]/" in output
    assert "/en/order/[token]/" in output
    assert "not-a-token-but-a-secret" not in output and token not in output


def test_failed_admin_login_is_logged_without_username_or_address(client, console):
    client.post(
        reverse("admin:login"),
        {"username": "erika.mustermann", "password": "wrong"},
        REMOTE_ADDR="192.0.2.77",
    )
    output = console.getvalue()
    assert "event=auth.login.failed" in output
    assert "erika.mustermann" not in output and "192.0.2.77" not in output


def test_order_placement_and_status_change_are_logged_with_the_order_number_only(
    client, console, django_capture_on_commit_callbacks
):
    from orders.models import Order
    from orders.services import order_transition
    from tests.factories import agent

    offer = order_offer()
    request, token = support_request()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/auftrag/{token}/",
            {
                "privacy_version": offer["privacy"].pk,
                "asb_version": offer["asb"].pk,
                "tariff_version": offer["tariff"].pk,
                "consent": "on",
            },
        )
    order = Order.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to="in_progress", by=agent())
    output = console.getvalue()
    assert f"event=orders.order.placed order={order.number} language=de" in output
    assert f"event=mail.sent kind=order_placed order={order.number}" in output
    assert (
        f"event=orders.order.status_changed order={order.number} from_status=placed to=in_progress"
        in output
    )
    for personal in (request.email, request.company, request.contact_name, token):
        assert personal not in output


def test_libraries_stay_quiet_unless_asked():
    # `make run` and every command print the portal's lines, not the libraries'
    # narration (a PDF render alone wrote a dozen WeasyPrint INFO lines).
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "lenze_support.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "AXES" not in result.stderr + result.stdout
    for name in ("weasyprint", "fontTools", "httpx", "django.db.backends"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING, name
