"""Background tasks of the VAT facts (run by ``manage.py run_worker``).

The VIES check is queued with the support request (``vat.services``) and
retried by the worker with its growing delays (background/worker.py) while
VIES cannot answer. Running it twice only asks VIES twice: the outcome is
stored for the number it was queued for, and failures never replace an answer.
"""

from __future__ import annotations

from django_tasks.base import TaskContext, task

from background import queue
from background.worker import next_delay
from vat import services

#: Attempts before a VAT ID VIES cannot answer for is shown "not confirmed":
#: with the worker's first delays (1, 5 and 30 minutes) about 36 minutes, so the
#: agent learns the outcome the same hour and can ask again by admin action.
VIES_ATTEMPTS = 4


def is_last_attempt(context: TaskContext) -> bool:
    """True if no further attempt of this run of :func:`check_vat_id` will follow."""
    # Only the database backend's worker retries failed tasks; with any other
    # backend (the immediate one of development and tests) this run is the only one.
    if not queue.runs_in_transaction(check_vat_id):
        return True
    return context.attempt >= VIES_ATTEMPTS or next_delay(attempts=context.attempt) is None


@task(takes_context=True)
def check_vat_id(context: TaskContext, *, support_request_id: int, vat_id: str) -> str:
    """Confirm ``vat_id`` of a support request with VIES and store the outcome."""
    return services.vies_check_record(
        support_request_id=support_request_id,
        vat_id=vat_id,
        last_attempt=is_last_attempt(context),
    )
