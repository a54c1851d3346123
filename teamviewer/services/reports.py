"""Writes of the TeamViewer connection, second half: connection reports become
remote sessions of their order, and the billing marks go back to TeamViewer.

Each record is imported in its own transaction under the order's row lock, and
its TeamViewer id is unique: a pass that stops half-way (timeout, a paging
error) keeps what it imported, and the next pass neither loses nor doubles a
session.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from billing.models import RemoteSession
from billing.services import session_counted
from lenze_support.logs import log_event
from orders.models import Order, OrderEvent
from orders.services import order_lock
from teamviewer.client import BillingState, ConnectionRecord, TeamViewerClient
from teamviewer.errors import TeamViewerError
from teamviewer.models import ConnectionReport, ServiceCase
from teamviewer.services.cases import ClientFactory, ImportResult, backoff

logger = logging.getLogger(__name__)

#: Orders whose cases still take connection reports (billed, transferred and
#: cancelled orders never import again).
IMPORTING_STATUSES = (Order.Status.PLACED, Order.Status.IN_PROGRESS, Order.Status.COMPLETED)
#: The mark each final order status asks TeamViewer to hold.
MARK_FOR_STATUS: dict[str, str] = {
    Order.Status.BILLED: BillingState.BILLED,
    Order.Status.TRANSFERRED: BillingState.DO_NOT_BILL,
    Order.Status.CANCELLED: BillingState.DO_NOT_BILL,
}
Problem = ConnectionReport.Problem


def _overlaps(report: ConnectionReport, order: Order) -> bool:
    # Voided sessions no longer count, so they cannot block TeamViewer's record.
    return RemoteSession.objects.filter(
        order=order,
        voided_at__isnull=True,
        started_at__lt=report.ended_at,
        ended_at__gt=report.started_at,
    ).exists()


def _session_from(report: ConnectionReport, order: Order) -> bool:
    """The report's session on the order, unless it overlaps a session already
    recorded (then the report is flagged for the agent, never summed twice)."""
    if _overlaps(report, order):
        report.problem = Problem.OVERLAP
        report.save(update_fields=["problem"])
        return False
    session = RemoteSession(
        order=order,
        started_at=report.started_at,
        ended_at=report.ended_at,
        agent=None,
        source=RemoteSession.Source.TEAMVIEWER,
        supporter_name=report.supporter_name,
    )
    session.full_clean(exclude=["agent"], validate_constraints=False)
    session.save()
    report.session = session
    report.problem = Problem.NONE
    report.save(update_fields=["session", "problem"])
    session_counted(order=order, by=None, note="Erste Remote-Sitzung aus TeamViewer übernommen.")
    return True


def _flag(order: Order, report: ConnectionReport) -> None:
    OrderEvent.objects.create(
        order=order,
        action="teamviewer.report.flagged",
        actor_label="TeamViewer",
        note=f"{report.record_id}: {report.get_problem_display()}",
    )


def _import_record(*, case: ServiceCase, record: ConnectionRecord, result: ImportResult) -> None:
    """One record into one report row and, when it is sound, a session of the order."""
    if record.end_date is None:
        result.running += 1  # still connected: the next pass takes it
        return
    if record.session_code != case.code:
        result.foreign += 1  # another case's record: never on this order
        return
    with transaction.atomic():
        order = order_lock(case.order)
        if ConnectionReport.objects.filter(record_id=record.id).exists():
            result.known += 1
            return
        report = ConnectionReport(
            record_id=record.id,
            case=case,
            started_at=record.start_date,
            ended_at=record.end_date,
            supporter_name=record.username[:200],
            supporter_id=record.userid[:50],
            billing_state=record.billing_state[:10],
        )
        if record.end_date <= record.start_date:
            report.problem = Problem.END_BEFORE_START
        elif order.status not in IMPORTING_STATUSES:
            report.problem = Problem.ORDER_FINAL
        report.save()
        if report.problem or not _session_from(report, order):
            _flag(order, report)
            result.flagged += 1
            return
        result.imported += 1


def case_reports_import(
    *, case: ServiceCase, client: TeamViewerClient, result: ImportResult
) -> None:
    """Every page of ``case``'s connection report into reports and sessions."""
    try:
        for page in client.connections(session_code=case.code):
            for record in page.records:
                _import_record(case=case, record=record, result=result)
    except TeamViewerError as error:
        result.errors.append(f"{case.order.number}: {error.for_staff()}")
        log_event(
            logger,
            "teamviewer.reports_failed",
            level=logging.WARNING,
            order=case.order.number,
            status=error.status,
            error=error.code,
        )
        return
    ServiceCase.objects.filter(pk=case.pk).update(reports_synced_at=timezone.now())


def overlaps_retry() -> int:
    """Reports flagged as overlapping whose conflict an agent resolved (the manual
    session voided) become sessions now. Returns how many."""
    resolved = 0
    flagged = ConnectionReport.objects.filter(
        problem=Problem.OVERLAP, session__isnull=True, case__order__status__in=IMPORTING_STATUSES
    ).select_related("case")
    for report_id in list(flagged.values_list("pk", flat=True)):
        with transaction.atomic():
            report = ConnectionReport.objects.select_related("case__order").get(pk=report_id)
            order = order_lock(report.case.order)
            if order.status in IMPORTING_STATUSES and _session_from(report, order):
                resolved += 1
    return resolved


def reports_import(
    *, client_factory: ClientFactory = TeamViewerClient, result: ImportResult | None = None
) -> ImportResult:
    """Connection reports of every case whose order still takes sessions, counted
    into ``result`` (a pass's ``SyncResult``) or a new one."""
    result = ImportResult() if result is None else result
    result.imported += overlaps_retry()
    cases = list(
        ServiceCase.objects.exclude(code="")
        .filter(order__status__in=IMPORTING_STATUSES)
        .select_related("order")
        .order_by("pk")
    )
    if not cases:
        return result
    with client_factory() as client:
        for case in cases:
            case_reports_import(case=case, client=client, result=result)
    return result


# --- billing marks -------------------------------------------------------------------


def marks_request(*, order: Order) -> int:
    """The order reached a final status: ask TeamViewer to hold the matching mark
    (Billed with the order number in the notes; DoNotBill) on every record whose
    session belongs to the order. Returns how many records wait for the mark."""
    wanted = MARK_FOR_STATUS.get(str(order.status))
    if wanted is None:
        return 0
    notes = order.number if wanted == BillingState.BILLED else ""
    return ConnectionReport.objects.filter(case__order=order, session__isnull=False).update(
        wanted_billing_state=wanted,
        wanted_notes=notes,
        next_mark_at=timezone.now(),
        mark_attempts=0,
        mark_error="",
    )


def marks_push(*, client_factory: ClientFactory = TeamViewerClient) -> tuple[int, int]:
    """Send every pending mark that is due. Returns (set, failed)."""
    now = timezone.now()
    due = (
        ConnectionReport.objects.exclude(wanted_billing_state="")
        .exclude(wanted_billing_state=F("billing_state"))
        .filter(Q(next_mark_at__isnull=True) | Q(next_mark_at__lte=now))
        .order_by("pk")
    )
    reports = list(due)
    if not reports:
        return 0, 0
    done = failed = 0
    with client_factory() as client:
        for report in reports:
            try:
                client.mark_connection(
                    record_id=report.record_id,
                    billing_state=report.wanted_billing_state,
                    notes=report.wanted_notes or None,
                )
            except TeamViewerError as error:
                failed += 1
                attempts = report.mark_attempts + 1
                ConnectionReport.objects.filter(pk=report.pk).update(
                    mark_attempts=attempts,
                    next_mark_at=timezone.now() + backoff(attempts),
                    mark_error=error.for_staff()[:500],
                )
                continue
            done += 1
            ConnectionReport.objects.filter(pk=report.pk).update(
                billing_state=report.wanted_billing_state,
                marked_at=timezone.now(),
                next_mark_at=None,
                mark_error="",
            )
    if done or failed:
        log_event(logger, "teamviewer.marks_pushed", done=done, failed=failed)
    return done, failed
