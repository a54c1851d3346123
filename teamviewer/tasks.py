"""Background tasks of the TeamViewer connection (Django's Tasks API).

Each task only calls a service; the services decide what is due, so a task that
runs twice, late or not at all changes nothing that the next sync pass would
not repair.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from teamviewer import services


@task()
def open_case(*, case_id: int) -> str:
    """Create the order's service case in TeamViewer."""
    case = services.case_open(case_id=case_id)
    return case.status if case is not None else "skipped"


@task()
def close_case(*, case_id: int) -> str:
    """Close the case in TeamViewer after the order ended."""
    case = services.case_close(case_id=case_id)
    return case.status if case is not None else "skipped"


@task()
def sync() -> dict[str, Any]:
    """One pass: missing cases, due cases, closings, connection reports, marks."""
    return services.sync_pass().__dict__
