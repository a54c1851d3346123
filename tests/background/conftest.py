"""Fixtures for the background queue: the database backend and a worker in-process."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from background.worker import Worker
from tests.reliability.test_faults import smtp_port, start_smtp  # noqa: F401 (fixtures)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings) -> None:
    """The production backend: tasks are rows in the test database."""
    settings.TASKS = DATABASE_TASKS


def make_worker(*, visibility_timeout: float = 600, max_tasks: int | None = None) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
        visibility_timeout=visibility_timeout,
    )


@pytest.fixture
def run_worker(db_tasks, monkeypatch) -> Callable[..., None]:
    """Run the real worker loop in this process until no task is ready.

    The loop closes stale connections between tasks; inside a test's
    transaction that would close the test's own connection.
    """
    monkeypatch.setattr("background.worker.close_old_connections", lambda: None)

    def run(**kwargs) -> None:
        make_worker(**kwargs).run()

    return run
