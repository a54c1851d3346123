"""The real worker process (``manage.py run_worker``) against SQLite and PostgreSQL.

An order's helpdesk task is written to the database, the worker is started as
its own process with the production settings, and a real SMTP listener on
127.0.0.1 receives the e-mail.
"""

from __future__ import annotations

import sqlite3

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orders import tasks
from tests.factories import billing_order
from tests.reliability.test_faults import FlakyHelpdeskMailbox
from tests.support import processes
from tests.vat.support import fake_vies_fixture  # noqa: F401


def worker_env(*, database_url: str, smtp_port: int) -> dict[str, str]:
    return processes.production_env(
        drop=("TASK",),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        HELPDESK_EMAIL="helpdesk@lenze.example",
    )


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = processes.run_python("manage.py", *args, env=env, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def run_worker_batch(env: dict[str, str]) -> None:
    manage(env, "run_worker", "--batch", "--no-startup-delay", "--no-reload")


def test_the_worker_process_sends_the_order_mail_on_sqlite(tmp_path, smtp_port, start_smtp):
    database = tmp_path / "portal.sqlite3"
    env = worker_env(database_url=f"sqlite:///{database}", smtp_port=smtp_port)
    manage(env, "migrate", "--noinput", "-v", "0")
    number = manage(
        env,
        "shell",
        "-c",
        "from tests.factories import billing_order\n"
        "from orders import tasks\n"
        "order = billing_order()\n"
        "tasks.notify_helpdesk_of_order.enqueue(order_id=order.pk)\n"
        "print('order', order.number)",
        "-v",
        "0",
    ).split()[-1]
    mailbox = start_smtp(FlakyHelpdeskMailbox())

    run_worker_batch(env)

    [(recipients, content)] = mailbox.received
    assert recipients == ["helpdesk@lenze.example"] and number in content
    with sqlite3.connect(database) as db:
        [(notified,)] = db.execute("SELECT helpdesk_notified_at FROM orders_order").fetchall()
        table = DBTaskResult._meta.db_table
        [(status,)] = db.execute(f"SELECT status FROM {table}").fetchall()
    assert notified is not None and status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_sends_the_order_mail_on_postgres(
    on_postgres, db_tasks, smtp_port, start_smtp
):
    order = billing_order()
    tasks.notify_helpdesk_of_order.enqueue(order_id=order.pk)
    mailbox = start_smtp(FlakyHelpdeskMailbox(refusals=1))
    env = worker_env(database_url=processes.shared_database_url(), smtp_port=smtp_port)

    run_worker_batch(env)  # 451 from the server: the task waits for its retry
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY and mailbox.received == []
    DBTaskResult.objects.update(run_after=task.enqueued_at)
    run_worker_batch(env)

    [(recipients, content)] = mailbox.received
    assert recipients == ["helpdesk@lenze.example"] and order.number in content
    order.refresh_from_db()
    assert order.helpdesk_notified_at is not None
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_process_queues_and_runs_the_missing_vies_checks(
    on_postgres, db_tasks, fake_vies, smtp_port
):
    from orders.models import SupportRequest
    from tests.vat.support import saved_request

    request = saved_request()  # saved while the check was off: nothing queued
    env = worker_env(database_url=processes.shared_database_url(), smtp_port=smtp_port)
    env.update(
        VIES_CHECK="1",
        VIES_URL=fake_vies.url,
        VIES_REQUESTER_VAT_ID="DE136695976",
        VIES_TIMEOUT="2",
    )

    run_worker_batch(env)

    request.refresh_from_db()
    assert request.vies_status == SupportRequest.ViesStatus.CONFIRMED
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
