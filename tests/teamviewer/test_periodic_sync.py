"""The sync pass every TEAMVIEWER_SYNC_MINUTES on the database queue: exactly one
pass waits at any time, and a pass that runs queues the next one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from teamviewer import tasks
from teamviewer.services.cases import sync_schedule
from tests.background.conftest import make_worker

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _passes():
    return DBTaskResult.objects.filter(task_path=tasks.sync.module_path)


def test_one_pass_waits_the_configured_minutes_ahead(settings, tv_fake):
    settings.TASKS = DATABASE_TASKS
    settings.TEAMVIEWER_SYNC_MINUTES = 5
    before = timezone.now()
    assert sync_schedule() is True
    assert sync_schedule() is False  # one waiting pass is enough
    waiting = _passes().get()
    assert waiting.status == TaskResultStatus.READY
    assert (
        before + timedelta(minutes=5) <= waiting.run_after <= timezone.now() + timedelta(minutes=5)
    )


def test_a_pass_that_runs_queues_the_next(settings, tv_fake, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr("background.worker.close_old_connections", lambda: None)
    sync_schedule()
    _passes().update(run_after=timezone.now())
    make_worker(max_tasks=1).run()
    assert _passes().filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    waiting = _passes().get(status=TaskResultStatus.READY)
    assert waiting.run_after > timezone.now()
