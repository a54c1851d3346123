"""Where each order's helpdesk notification stands, and queueing the missing ones."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orders.models import Order
from orders.notifications import (
    notification_states,
    notifications_enqueue_missing,
    orders_with_failed_notification,
)
from tests.factories import billing_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsent(db_tasks):
    """An order whose notification was never sent and has no task (from before the queue)."""
    order = billing_order()
    Order.objects.filter(pk=order.pk).update(helpdesk_notified_at=None)
    order.refresh_from_db()
    return order


def test_states_sent_missing_waiting_failed(unsent):
    sent = billing_order(company="Andere GmbH")
    Order.objects.filter(pk=sent.pk).update(helpdesk_notified_at=timezone.now())
    sent.refresh_from_db()
    assert notification_states([sent])[sent.pk].code == "sent"
    assert notification_states([unsent])[unsent.pk].code == "missing"

    notifications_enqueue_missing()
    assert notification_states([unsent])[unsent.pk].code == "waiting"

    DBTaskResult.objects.update(
        status=TaskResultStatus.FAILED, exception_class_path="smtplib.SMTPAuthenticationError"
    )
    state = notification_states([unsent])[unsent.pk]
    assert (state.code, str(state.label)) == ("failed", "fehlgeschlagen (SMTPAuthenticationError)")


def test_the_command_queues_each_missing_notification_once(unsent, run_worker, capsys):
    call_command("send_pending_notifications")
    assert f"Queued 1 helpdesk notification(s): {unsent.number}" in capsys.readouterr().out
    call_command("send_pending_notifications")  # one is waiting already
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert len(mail.outbox) == 1
    call_command("send_pending_notifications")
    assert DBTaskResult.objects.count() == 1  # sent: nothing to queue


def test_a_failed_notification_can_be_queued_again(unsent, run_worker):
    notifications_enqueue_missing()
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)
    assert notifications_enqueue_missing() == [unsent.number]
    run_worker()
    assert len(mail.outbox) == 1


def test_the_order_list_and_page_show_the_state_in_one_query(unsent, admin_client):
    notifications_enqueue_missing()
    DBTaskResult.objects.update(exception_class_path="builtins.ConnectionRefusedError")
    for number in range(3):
        billing_order(company=f"Firma {number}")
    Order.objects.exclude(pk=unsent.pk).update(helpdesk_notified_at=timezone.now())
    changelist = reverse("admin:orders_order_changelist")
    admin_client.get(changelist)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        html = admin_client.get(changelist).content.decode()
    assert "wartet (ConnectionRefusedError)" in html
    assert html.count('<td class="field-helpdesk_notification">gesendet</td>') == 3
    task_queries = [q for q in queries.captured_queries if "dbtaskresult" in q["sql"].lower()]
    assert len(task_queries) == 1
    page = admin_client.get(reverse("admin:orders_order_change", args=[unsent.pk]))
    assert "wartet (ConnectionRefusedError)" in page.content.decode()


def test_the_admin_action_queues_and_the_worker_sends(unsent, admin_client, run_worker):
    response = admin_client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "action_notify_helpdesk", "_selected_action": [unsent.pk]},
        follow=True,
    )
    assert "Helpdesk-Benachrichtigung wird gesendet (Hintergrundaufgabe)" in (
        response.content.decode()
    )
    assert mail.outbox == []  # not inside the agent's request
    run_worker()
    assert len(mail.outbox) == 1


def test_the_migration_queues_the_notifications_pending_before_the_queue(unsent):
    migration = importlib.import_module("background.migrations.0002_queue_pending_notifications")
    migration.queue_pending(apps, None)
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"order_id": unsent.pk}}
    assert DBTaskResult.objects.ready().count() == 1  # due at once


def test_the_failed_filter_agrees_with_the_states(unsent):
    # Failed, then queued again (waiting now): no longer failed. Failed and sent
    # since (by hand): not failed either. Only the plain failed one is.
    retried, sent = billing_order(company="B GmbH"), billing_order(company="C GmbH")
    Order.objects.filter(pk__in=[retried.pk, sent.pk]).update(helpdesk_notified_at=None)
    notifications_enqueue_missing()
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)
    notifications_enqueue_missing(order_ids=[retried.pk])
    Order.objects.filter(pk=sent.pk).update(helpdesk_notified_at=timezone.now())

    failed = set(orders_with_failed_notification(Order.objects.all()))
    assert failed == {unsent}
    states = notification_states(Order.objects.all())
    assert {pk for pk, state in states.items() if state.code == "failed"} == {unsent.pk}
