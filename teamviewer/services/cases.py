"""Service cases: requesting, opening, retrying and
closing an order's service case.

Calls to TeamViewer happen in background tasks (``teamviewer.tasks``) and
commands, never in a customer's request, and never while a database row is
locked: a worker *claims* a case for a short time with one conditional UPDATE,
talks to TeamViewer, then writes the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from background import queue
from lenze_support.logs import log_event
from orders.models import Order, OrderEvent
from teamviewer.client import TeamViewerClient
from teamviewer.errors import TeamViewerError
from teamviewer.models import ServiceCase

logger = logging.getLogger(__name__)

Status = ServiceCase.Status
#: How long a worker may hold a case while it talks to TeamViewer.
CLAIM = timedelta(minutes=2)
#: Order statuses that end the service case in TeamViewer.
CLOSING_STATUSES = frozenset(
    {Order.Status.COMPLETED, Order.Status.TRANSFERRED, Order.Status.CANCELLED}
)

ClientFactory = Callable[[], TeamViewerClient]


def integration_enabled() -> bool:
    """Token set: the portal opens cases. Empty: the portal behaves as without TeamViewer."""
    return bool(settings.TEAMVIEWER_API_TOKEN)


def backoff(attempts: int) -> timedelta:
    """Wait before try ``attempts + 1``: 30 s, 1, 2, 4 … minutes, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def case_description(order: Order) -> str:
    """What TeamViewer shows in the queue: order number and company, nothing personal."""
    return f"{order.number} - {order.support_request.company}"[:200]


# --- enqueueing ------------------------------------------------------------


def _enqueue(task_name: str, *, delay: timedelta | None = None, **kwargs: Any) -> None:
    """Enqueue a task of ``teamviewer.tasks`` as part of the current transaction
    (``background.queue.enqueue``: with the database queue it commits or rolls
    back with the order; other backends get it after the commit, so the
    customer's request never waits for TeamViewer)."""
    from teamviewer import tasks

    task = getattr(tasks, task_name)
    if delay is not None:
        if not task.get_backend().supports_defer:
            return  # no deferred tasks: the periodic sync pass picks the case up when due
        task = task.using(run_after=timezone.now() + delay)
    queue.enqueue(task, **kwargs)


def sync_schedule() -> bool:
    """Keep exactly one sync pass queued, ``TEAMVIEWER_SYNC_MINUTES`` ahead.

    Called after every pass and whenever a case is requested. Needs a queue that
    can hold a task until later (the database backend); with one that cannot,
    passes run on demand (command, admin action) and returns False.
    """
    from teamviewer import tasks

    backend = tasks.sync.get_backend()
    if not backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(
        task_path=tasks.sync.module_path, status__in=["READY", "RUNNING"]
    )
    if pending.filter(status="READY").exists():
        return False
    minutes = settings.TEAMVIEWER_SYNC_MINUTES
    tasks.sync.using(run_after=timezone.now() + timedelta(minutes=minutes)).enqueue()
    return True


# --- requesting and opening --------------------------------------------------


def case_request(*, order: Order) -> ServiceCase:
    """Record that ``order`` needs a service case and enqueue the task opening it.

    Called in the order's transaction (one small insert); idempotent.
    """
    case, created = ServiceCase.objects.get_or_create(
        order=order, defaults={"next_attempt_at": timezone.now()}
    )
    if created:
        _enqueue("open_case", case_id=case.pk)
        sync_schedule()
    return case


def _claim(case_id: int, condition: Q) -> ServiceCase | None:
    now = timezone.now()
    claimed = (
        ServiceCase.objects.filter(pk=case_id)
        .filter(condition)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM)
    )
    if not claimed:
        return None
    return ServiceCase.objects.select_related("order__support_request").get(pk=case_id)


def _failure(case: ServiceCase, error: TeamViewerError, *, give_up: bool) -> None:
    now = timezone.now()
    case.attempts += 1
    case.last_error = error.for_staff()[:500]
    case.last_error_at = now
    case.claimed_until = None
    if give_up:
        case.next_attempt_at = None
    else:
        case.next_attempt_at = now + backoff(case.attempts)


def case_open(
    *, case_id: int, client_factory: ClientFactory = TeamViewerClient
) -> ServiceCase | None:
    """Create the service case in TeamViewer for a pending case that is due.

    Transient failures (no answer, 5xx, 403 rate limit) are retried with
    backoff up to ``TEAMVIEWER_MAX_ATTEMPTS``; a rejected token (401) or a
    refused request (400, missing permission) marks the case failed with the
    reason for the agent. Returns the case, or None when there was nothing to do
    (not pending, not due, or held by another worker).
    """
    now = timezone.now()
    case = _claim(
        case_id,
        Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)),
    )
    if case is None:
        return None
    order = case.order
    valid_hours = settings.TEAMVIEWER_CASE_VALID_HOURS
    try:
        with client_factory() as client:
            created = client.create_case(
                groupid=settings.TEAMVIEWER_GROUP_ID,
                description=case_description(order),
                custom_api=order.number,
                valid_until=now + timedelta(hours=valid_hours),
            )
    except TeamViewerError as error:
        give_up = not error.retryable or case.attempts + 1 >= settings.TEAMVIEWER_MAX_ATTEMPTS
        _failure(case, error, give_up=give_up)
        if give_up:
            case.status = Status.FAILED
        case.save()
        log_event(
            logger,
            "teamviewer.case_open_failed",
            level=logging.ERROR if give_up else logging.WARNING,
            order=order.number,
            status=error.status,
            error=error.code,
            attempt=case.attempts,
            final="yes" if give_up else "no",
        )
        if not give_up:
            _enqueue("open_case", delay=backoff(case.attempts), case_id=case.pk)
        return case
    with transaction.atomic():
        case.status = Status.OPEN
        case.code = created.code
        case.end_customer_link = created.end_customer_link
        case.supporter_link = created.supporter_link
        case.webclient_supporter_link = created.webclient_supporter_link
        case.created_at = created.created_at or now
        case.valid_until = created.valid_until
        case.attempts += 1
        case.next_attempt_at = None
        case.claimed_until = None
        case.last_error = ""
        case.full_clean(exclude=["order"], validate_constraints=False)
        case.save()
        OrderEvent.objects.create(
            order=order,
            action="teamviewer.case.opened",
            actor_label="TeamViewer",
            note=created.code,
        )
        current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
        if current in CLOSING_STATUSES:
            # The order ended while the case was being created.
            case_request_close(case=case)
    log_event(logger, "teamviewer.case_opened", order=order.number, code=created.code)
    return case


def case_retry(*, case: ServiceCase, by: Any) -> ServiceCase:
    """Staff: try a failed case again from the start (after fixing the token, say).

    Raises TeamViewerError ``not_retryable`` for a case that is not failed.
    """
    with transaction.atomic():
        updated = ServiceCase.objects.filter(pk=case.pk, status=Status.FAILED).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_until=None,
        )
        if not updated:
            raise TeamViewerError(status=0, code="not_retryable", description=str(case))
        OrderEvent.objects.create(
            order_id=case.order_id, action="teamviewer.case.retried", actor=by
        )
        _enqueue("open_case", case_id=case.pk)
    case.refresh_from_db()
    return case


def cases_missing_create(*, since: timedelta = timedelta(days=1)) -> int:
    """Pending rows for recent open orders that have none (a case request lost to a
    database error): returns how many were added."""
    orders = Order.objects.filter(
        teamviewer_case__isnull=True,
        placed_at__gte=timezone.now() - since,
        status__in=[Order.Status.PLACED, Order.Status.IN_PROGRESS],
    )
    count = 0
    for order in orders.select_related("support_request"):
        with transaction.atomic():
            case_request(order=order)
        count += 1
    return count


def cases_due_open(*, client_factory: ClientFactory = TeamViewerClient) -> tuple[int, int]:
    """Open every pending case that is due. Returns (opened, failed or postponed)."""
    due = ServiceCase.objects.filter(status=Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    )
    opened = failed = 0
    for case_id in list(due.values_list("pk", flat=True)):
        case = case_open(case_id=case_id, client_factory=client_factory)
        if case is None:
            continue
        if case.status == Status.OPEN:
            opened += 1
        else:
            failed += 1
    return opened, failed


# --- closing -----------------------------------------------------------------


def case_request_close(*, case: ServiceCase) -> None:
    """The order ended: close its case in TeamViewer (in the background)."""
    if case.closed_at is not None or case.close_requested_at is not None:
        return
    ServiceCase.objects.filter(pk=case.pk).update(close_requested_at=timezone.now())
    case.close_requested_at = timezone.now()
    if case.status == Status.OPEN:
        _enqueue("close_case", case_id=case.pk)


def order_status_changed(*, order: Order) -> None:
    """Called after an order's status was saved: a completed, cancelled or
    transferred order closes its case (a case still pending is not opened any
    more); a billed, cancelled or transferred one asks for billing marks."""
    from teamviewer.services import reports

    if reports.marks_request(order=order):
        _enqueue("push_marks")
    if order.status not in CLOSING_STATUSES:
        return
    case = ServiceCase.objects.filter(order=order).first()
    if case is None:
        return
    if case.status == Status.PENDING:
        ServiceCase.objects.filter(pk=case.pk, status=Status.PENDING).update(
            status=Status.CLOSED, next_attempt_at=None, closed_at=timezone.now()
        )
        return
    case_request_close(case=case)


def case_close(
    *, case_id: int, client_factory: ClientFactory = TeamViewerClient
) -> ServiceCase | None:
    """Set the case's state to closed in TeamViewer. Retried with backoff on
    transient failures; a case TeamViewer no longer knows (404) counts as closed."""
    case = _claim(
        case_id,
        Q(status=Status.OPEN, close_requested_at__isnull=False)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())),
    )
    if case is None:
        return None
    try:
        with client_factory() as client:
            client.close_case(code=case.code)
    except TeamViewerError as error:
        if error.status != 404:
            give_up = not error.retryable
            _failure(case, error, give_up=give_up)
            case.save()
            log_event(
                logger,
                "teamviewer.case_close_failed",
                level=logging.WARNING,
                order=case.order.number,
                status=error.status,
                error=error.code,
            )
            if not give_up:
                _enqueue("close_case", delay=backoff(case.attempts), case_id=case.pk)
            return case
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    case.claimed_until = None
    case.next_attempt_at = None
    case.last_error = ""
    case.save()
    OrderEvent.objects.create(
        order=case.order, action="teamviewer.case.closed", actor_label="TeamViewer", note=case.code
    )
    log_event(logger, "teamviewer.case_closed", order=case.order.number, code=case.code)
    return case


def cases_due_close(*, client_factory: ClientFactory = TeamViewerClient) -> int:
    due = ServiceCase.objects.filter(status=Status.OPEN, close_requested_at__isnull=False).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    )
    closed = 0
    for case_id in list(due.values_list("pk", flat=True)):
        case = case_close(case_id=case_id, client_factory=client_factory)
        if case is not None and case.status == Status.CLOSED:
            closed += 1
    return closed


# --- one pass -------------------------------------------------------------------


@dataclass
class ImportResult:
    """What importing connection reports did (``reports.reports_import``)."""

    imported: int = 0
    known: int = 0
    running: int = 0
    flagged: int = 0
    foreign: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class SyncResult(ImportResult):
    """What one pass did (printed by ``teamviewer_sync``, shown by the admin action):
    the import's counts and those of the case and mark steps."""

    requested: int = 0
    opened: int = 0
    open_failed: int = 0
    closed: int = 0
    marked: int = 0
    mark_failed: int = 0

    def summary(self) -> str:
        """One line for the agent, in the admin's language."""
        text = _(
            "Abgleich: %(opened)s Sitzungen angelegt, %(failed)s nicht angelegt "
            "(neuer Versuch oder fehlgeschlagen), %(closed)s geschlossen, %(imported)s "
            "Verbindungen übernommen, %(flagged)s zur Prüfung markiert, %(marked)s "
            "Abrechnungsmarkierungen gesetzt."
        ) % {
            "opened": self.opened,
            "failed": self.open_failed,
            "closed": self.closed,
            "imported": self.imported,
            "flagged": self.flagged,
            "marked": self.marked,
        }
        return " ".join([text, *self.errors])

    def lines(self) -> list[str]:
        return [
            f"cases requested: {self.requested}",
            f"cases opened: {self.opened}",
            f"cases not opened (retry or failed): {self.open_failed}",
            f"cases closed: {self.closed}",
            f"connections imported: {self.imported}",
            f"connections already imported: {self.known}",
            f"connections still running (next pass): {self.running}",
            f"connections flagged for review: {self.flagged}",
            f"billing marks set: {self.marked}",
            f"billing marks failed (retry): {self.mark_failed}",
            *(f"error: {error}" for error in self.errors),
        ]


def sync_pass(*, client_factory: ClientFactory = TeamViewerClient) -> SyncResult:
    """One pass: create missing cases, open due ones, close ended ones, import
    connection reports, push billing marks. A failure in one step is reported and
    the next step still runs."""
    from teamviewer.services import reports

    result = SyncResult()
    if not integration_enabled():
        result.errors.append("integration off (TEAMVIEWER_API_TOKEN is empty)")
        return result
    result.requested = cases_missing_create()
    try:
        result.opened, result.open_failed = cases_due_open(client_factory=client_factory)
        result.closed = cases_due_close(client_factory=client_factory)
        reports.reports_import(client_factory=client_factory, result=result)
        result.marked, result.mark_failed = reports.marks_push(client_factory=client_factory)
    except TeamViewerError as error:  # the client could not even be built (URL, token)
        result.errors.append(error.for_staff())
    return result
