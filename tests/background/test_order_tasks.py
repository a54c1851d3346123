"""The helpdesk's e-mail about a new order is a durable task, never part of the request.

Database backend (production default), worker loop run in-process; the real
worker process is tested in test_worker_process.py.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orders import tasks
from orders.models import Order
from tests.factories import support_request
from tests.reliability.test_faults import FlakyHelpdeskMailbox

pytestmark = pytest.mark.django_db

TASK_PATH = "orders.tasks.notify_helpdesk_of_order"


def place(client, consented_form_data):
    _request, token = support_request()
    return client.post(f"/auftrag/{token}/", consented_form_data)


def test_the_order_request_writes_the_task_and_sends_nothing(
    client, consented_form_data, db_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = place(client, consented_form_data)
    assert response.status_code == 303
    order = Order.objects.get()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (TASK_PATH, TaskResultStatus.READY)
    assert task.args_kwargs == {"args": [], "kwargs": {"order_id": order.pk}}
    assert mail.outbox == [] and order.helpdesk_notified_at is None


def test_database_failing_while_enqueueing_rolls_back_the_whole_order(
    client, consented_form_data, db_tasks, monkeypatch
):
    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DBTaskResult.objects, "create", unreachable)
    response = place(client, consented_form_data)
    assert response.status_code == 503  # the retry page, and it is true
    assert not Order.objects.exists() and not DBTaskResult.objects.exists()


def test_an_error_after_the_commit_never_shows_the_nothing_ordered_page(
    client, consented_form_data, monkeypatch, django_capture_on_commit_callbacks
):
    # A backend outside the database (here: the immediate one) is fed after the
    # commit; its failure is logged, the customer sees the success page.
    def broken(self, task, args, kwargs):
        raise OperationalError("queue unreachable")

    monkeypatch.setattr(
        "django_tasks.backends.immediate.ImmediateBackend.enqueue", broken, raising=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = place(client, consented_form_data)
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
    assert Order.objects.count() == 1


def test_the_worker_sends_the_mail_once_and_marks_the_order(
    client, consented_form_data, run_worker, settings
):
    place(client, consented_form_data)
    run_worker()
    order = Order.objects.get()
    assert order.helpdesk_notified_at is not None
    [message] = mail.outbox
    assert message.to == ["helpdesk@example.com"] and order.number in message.subject
    host = urlsplit(settings.SITE_URL).hostname
    assert message.extra_headers["Message-ID"] == f"<order-placed.{order.number}@{host}>"
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == "sent"

    # A second task for the same order (enqueued twice by mistake): no second mail.
    tasks.notify_helpdesk_of_order.enqueue(order_id=order.pk)
    run_worker()
    assert len(mail.outbox) == 1
    assert sorted(str(v) for v in DBTaskResult.objects.values_list("return_value", flat=True)) == [
        "already sent",
        "sent",
    ]


def test_a_refused_mail_is_retried_with_growing_delays_until_the_server_accepts(
    client, consented_form_data, run_worker, start_smtp
):
    place(client, consented_form_data)  # the SMTP port is closed: connection refused
    task = DBTaskResult.objects.get()
    delays = []
    for _attempt in range(3):
        before = timezone.now()
        run_worker()
        task.refresh_from_db()
        assert task.status == TaskResultStatus.READY
        delays.append(round((task.run_after - before).total_seconds() / 60))
        DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())  # time passes
    assert delays == [1, 5, 30]
    assert task.exception_class_path == "builtins.ConnectionRefusedError"
    assert "Errno" not in task.traceback  # the class, never the message
    assert Order.objects.get().helpdesk_notified_at is None

    mailbox = start_smtp(FlakyHelpdeskMailbox(refusals=1))
    run_worker()  # 451: still waiting
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.exception_class_path == "smtplib.SMTPDataError"
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
    run_worker()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 5
    assert len(mailbox.received) == 1
    assert Order.objects.get().helpdesk_notified_at is not None


def test_an_exhausted_task_is_marked_failed_not_dropped(
    client, consented_form_data, run_worker, smtp_port, settings
):
    settings.TASK_RETRY_DELAYS = [60]
    place(client, consented_form_data)
    run_worker()
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED and len(task.worker_ids) == 2
    assert task.exception_class_path == "builtins.ConnectionRefusedError"


def test_a_task_for_a_deleted_order_fails_at_once_with_a_clear_reason(run_worker):
    tasks.notify_helpdesk_of_order.enqueue(order_id=987654)
    run_worker()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED and len(task.worker_ids) == 1
    assert task.exception_class_path == "background.worker.PermanentTaskError"


def test_a_task_of_a_dead_worker_is_run_again_after_the_visibility_timeout(
    client, consented_form_data, run_worker
):
    place(client, consented_form_data)
    # A worker claimed it and was killed: the row stays "running".
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
        worker_ids=["killed"],
    )
    run_worker(visibility_timeout=600)  # not yet
    assert mail.outbox == []
    run_worker(visibility_timeout=60)
    assert len(mail.outbox) == 1
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["killed", "test-worker"]
