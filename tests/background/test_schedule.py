"""Daily maintenance (retention purges, login-failure reset) as deferred tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.schedule import next_run_at, schedule_ensure
from background.tasks import run_scheduled_command
from contact.models import ContactMessage

pytestmark = pytest.mark.django_db


def test_next_run_is_the_next_time_the_local_clock_shows_it():
    # 02:00 UTC on 2 Dec = 03:00 in Berlin: 03:15 today; 04:00 Berlin: tomorrow.
    assert next_run_at(daily_at="03:15", now=datetime(2026, 12, 2, 2, 0, tzinfo=UTC)) == (
        datetime(2026, 12, 2, 2, 15, tzinfo=UTC)
    )
    assert next_run_at(daily_at="03:15", now=datetime(2026, 12, 2, 3, 0, tzinfo=UTC)) == (
        datetime(2026, 12, 3, 2, 15, tzinfo=UTC)
    )
    # Summer time: 03:15 in Berlin is 01:15 UTC.
    assert next_run_at(daily_at="03:15", now=datetime(2026, 7, 1, 0, 0, tzinfo=UTC)) == (
        datetime(2026, 7, 1, 1, 15, tzinfo=UTC)
    )


def test_each_command_has_exactly_one_waiting_run(db_tasks, settings):
    assert sorted(schedule_ensure()) == sorted(settings.TASK_SCHEDULE)
    assert schedule_ensure() == []  # idempotent: a worker restart adds nothing
    call_command("schedule_tasks")
    runs = DBTaskResult.objects.all()
    assert runs.count() == len(settings.TASK_SCHEDULE)
    assert all(run.run_after > timezone.now() for run in runs)
    assert DBTaskResult.objects.ready().count() == 0  # none due before its time


def test_a_due_run_queues_the_next_one_and_then_does_its_work(run_worker, settings):
    settings.CONTACT_RETENTION_DAYS = 30
    old = ContactMessage.objects.create(
        name="A",
        company="B",
        email="a@b.example",
        message="x",
        handled_at=timezone.now() - timedelta(days=40),
    )
    schedule_ensure()
    DBTaskResult.objects.filter(args_kwargs__kwargs__command="purge_contact_messages").update(
        run_after=timezone.now()
    )
    run_worker()
    assert not ContactMessage.objects.filter(pk=old.pk).exists()
    runs = DBTaskResult.objects.filter(args_kwargs__kwargs__command="purge_contact_messages")
    done = runs.get(status=TaskResultStatus.SUCCESSFUL)
    waiting = runs.get(status=TaskResultStatus.READY)
    # The next daily slot: later today or tomorrow, whatever the time of the run.
    assert timezone.now() < waiting.run_after <= timezone.now() + timedelta(days=1)
    assert done.return_value  # the command's summary line
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == len(
        settings.TASK_SCHEDULE
    )


def test_a_command_outside_the_schedule_is_refused(run_worker):
    run_scheduled_command.enqueue(command="flush")
    run_worker()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert "'flush' is not in TASK_SCHEDULE" in task.traceback


def test_prune_tasks_deletes_finished_rows_past_their_retention_only(db_tasks, settings):
    settings.TASK_DONE_RETENTION_DAYS = 14
    settings.TASK_FAILED_RETENTION_DAYS = 180
    now = timezone.now()
    for name, status, age_days in [
        ("old done", TaskResultStatus.SUCCESSFUL, 15),
        ("recent done", TaskResultStatus.SUCCESSFUL, 13),
        ("failed a month ago", TaskResultStatus.FAILED, 30),
        ("failed long ago", TaskResultStatus.FAILED, 181),
        ("waiting", TaskResultStatus.READY, None),
    ]:
        result = run_scheduled_command.enqueue(command=name)
        finished = now - timedelta(days=age_days) if age_days is not None else None
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    output = StringIO()
    call_command("prune_tasks", stdout=output)
    left = set(DBTaskResult.objects.values_list("args_kwargs__kwargs__command", flat=True))
    assert left == {"recent done", "failed a month ago", "waiting"}
    assert output.getvalue().strip() == "deleted 2 finished task rows"
    assert "prune_tasks" in settings.TASK_SCHEDULE


def test_the_task_table_is_vacuumed_after_a_thousand_changed_rows(on_postgres):
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        (options,) = cursor.fetchone()
    assert "autovacuum_vacuum_threshold=1000" in options
    assert "autovacuum_vacuum_scale_factor=0" in options
