"""Whatever the mail server does, the customer's submit only writes rows; the task
is retried until the server accepts. A REAL SMTP listener on 127.0.0.1 first is
not there (connection refused), then hangs (longer than EMAIL_TIMEOUT), then
answers 451, then accepts. Also: a worker killed mid-send (SIGKILL), and two
workers sharing 200 tasks on PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orders import tasks
from orders.models import Order
from tests.background.smtp import SwitchableMailbox
from tests.background.test_worker_process import worker_env
from tests.factories import billing_order, support_request
from tests.support import processes
from tests.support.processes import ROOT


def due_now() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


@pytest.mark.django_db
def test_refused_hanging_refusing_then_accepting_server(
    client, consented_form_data, run_worker, smtp_port, start_smtp, settings
):
    settings.EMAIL_TIMEOUT = 1
    _request, token = support_request()
    response = client.post(f"/auftrag/{token}/", consented_form_data)  # nothing listens
    assert response.status_code == 303 and Order.objects.count() == 1
    task = DBTaskResult.objects.get()

    run_worker()
    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == (
        TaskResultStatus.READY,
        "builtins.ConnectionRefusedError",
    )

    mailbox = start_smtp(SwitchableMailbox("hang"))
    due_now()
    run_worker()  # gives up after EMAIL_TIMEOUT
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    # smtplib reports the read timeout as a lost connection.
    assert task.exception_class_path == "smtplib.SMTPServerDisconnected"

    mailbox.mode = "refuse"
    due_now()
    run_worker()
    task.refresh_from_db()
    assert task.exception_class_path == "smtplib.SMTPDataError"

    mailbox.mode = "accept"
    due_now()
    run_worker()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 4
    [(_recipients, content)] = mailbox.received
    assert Order.objects.get().number in content


@pytest.mark.django_db
def test_the_submit_never_talks_to_a_hanging_mail_server(
    client, consented_form_data, db_tasks, start_smtp
):
    mailbox = start_smtp(SwitchableMailbox("hang"))
    _request, token = support_request()
    response = client.post(f"/auftrag/{token}/", consented_form_data)
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
    assert mailbox.connections == 0  # the request only wrote rows
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


def start_worker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_is_replaced_and_the_helpdesk_gets_one_mail(
    on_postgres, db_tasks, smtp_port, start_smtp
):
    order = billing_order()
    Order.objects.filter(pk=order.pk).update(helpdesk_notified_at=None)
    tasks.notify_helpdesk_of_order.enqueue(order_id=order.pk)
    mailbox = start_smtp(SwitchableMailbox("hang", hang_seconds=120))
    env = {
        **worker_env(database_url=processes.shared_database_url(), smtp_port=smtp_port),
        "EMAIL_TIMEOUT": "60",
    }
    first = start_worker(env, "--batch")
    try:
        assert mailbox.hanging.wait(timeout=60), "the worker never reached the mail server"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.RUNNING  # claimed by a dead worker

    mailbox.mode = "accept"
    time.sleep(1.5)
    second = processes.run_python(
        "manage.py",
        "run_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--visibility-timeout",
        "1",
        env=env,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert len(mailbox.received) == 1  # one mail: the killed worker's never completed
    order.refresh_from_db()
    assert order.helpdesk_notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_of_200_tasks_exactly_once(on_postgres, db_tasks, tmp_path):
    from tests.background import recorder

    log = tmp_path / "runs.log"
    for number in range(200):
        recorder.record_run.enqueue(number=number, path=str(log))
    env = worker_env(database_url=processes.shared_database_url(), smtp_port=1)
    workers = [
        start_worker(env, "--batch", "--interval", "0", "--worker-id", name) for name in "AB"
    ]
    for worker in workers:
        output, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0, output
    runs = log.read_text().split()
    assert sorted(int(n) for n in runs) == list(range(200))  # each once, none lost
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 200
    claims = [len(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)]
    assert set(claims) == {1}  # never claimed twice
    call_command("check_tasks")
