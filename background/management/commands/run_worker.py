"""``manage.py run_worker``: process background tasks (e-mails, outside APIs).

The database backend's ``db_worker`` with the portal's retries and visibility
timeout (background/worker.py). Run one or more per installation; each task
is claimed by exactly one worker (docs/operations.md, "Background tasks").
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from background.schedule import schedule_ensure
from background.signals import worker_starting
from background.worker import Worker


class Command(DBWorkerCommand):
    help = "Runs background tasks from the database queue, with retries (see docs/operations.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:  # type: ignore[override]
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
        parser.add_argument(
            "--visibility-timeout",
            type=float,
            default=settings.TASK_VISIBILITY_TIMEOUT,
            help="Seconds after which a task still marked running is taken to belong to "
            "a dead worker and run again (default: %(default)s).",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        visibility_timeout: float,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if backend_name == "default":
            if not batch:
                # The daily maintenance runs are tasks too; queue any that is missing.
                schedule_ensure()
            worker_starting.send(sender=self.__class__, batch=batch)
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            visibility_timeout=visibility_timeout,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
