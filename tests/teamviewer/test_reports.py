"""Minutes from TeamViewer: connection reports become sessions of the order
(once), faults change nothing, and the billing marks go back to TeamViewer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import RemoteSession
from orders.models import Order, OrderEvent
from orders.services import order_transition
from teamviewer import services
from teamviewer.models import ConnectionReport, ServiceCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(placed_order, tv_fake) -> ServiceCase:
    case = services.case_open(case_id=placed_order.teamviewer_case.pk)
    assert case is not None and case.status == ServiceCase.Status.OPEN
    return case


@pytest.fixture
def lead(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("lead", "lead@example.com", "pw")


def _ago(minutes: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes)


def _two_connections(tv_fake, case: ServiceCase) -> list[str]:
    """12 and 9 minutes, the billing rule's worked example (2 blocks)."""
    return [
        tv_fake.add_connection(session_code=case.code, start=_ago(60), end=_ago(48)),
        tv_fake.add_connection(session_code=case.code, start=_ago(30), end=_ago(21)),
    ]


def test_reports_become_sessions_bill_two_blocks_and_are_marked_billed(
    open_case, tv_fake, lead, django_capture_on_commit_callbacks
):
    from billing import selectors as billing_selectors

    order = open_case.order
    ids = _two_connections(tv_fake, open_case)
    result = services.sync_pass()
    assert result.imported == 2
    sessions = list(RemoteSession.objects.filter(order=order).order_by("started_at"))
    assert [s.minutes for s in sessions] == [Decimal("12.00"), Decimal("9.00")]
    assert {s.source for s in sessions} == {RemoteSession.Source.TEAMVIEWER}
    assert sessions[0].supporter_name == "Helpdesk Agent" and sessions[0].agent is None
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS

    charge = billing_selectors.charge_of_annotated(
        billing_selectors.with_recorded_time(Order.objects.filter(pk=order.pk)).get()
    )
    assert charge.blocks == 2
    assert (charge.net, charge.vat, charge.gross) == (
        Decimal("150.00"),
        Decimal("28.50"),
        Decimal("178.50"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to=Order.Status.COMPLETED, by=lead)
        order_transition(order=order, to=Order.Status.BILLED, by=lead)
    services.sync_pass()
    for record_id in ids:
        assert tv_fake.state.records[record_id]["billing_state"] == "Billed"
        assert tv_fake.state.records[record_id]["notes"] == order.number
    assert all(r.in_agreement for r in ConnectionReport.objects.filter(case=open_case))

    calls = len(tv_fake.state.calls)
    again = services.sync_pass()
    assert (again.imported, again.marked) == (0, 0)
    assert RemoteSession.objects.filter(order=order).count() == 2
    # A billed order's case is not even asked for reports any more.
    assert all(
        path != "/api/v1/reports/connections" for _m, path, _b in tv_fake.state.calls[calls:]
    )


def test_importing_twice_changes_nothing(open_case, tv_fake):
    _two_connections(tv_fake, open_case)
    services.sync_pass()
    second = services.sync_pass()
    assert second.imported == 0 and second.known == 2
    assert RemoteSession.objects.filter(order=open_case.order).count() == 2


def test_running_connection_waits_for_the_next_pass(open_case, tv_fake):
    record = tv_fake.add_connection(session_code=open_case.code, start=_ago(5), end=None)
    assert services.sync_pass().imported == 0
    assert not ConnectionReport.objects.exists()
    tv_fake.state.records[record]["end_date"] = _ago(1).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert services.sync_pass().imported == 1


def test_end_before_start_is_flagged_not_imported(open_case, tv_fake):
    tv_fake.add_connection(session_code=open_case.code, start=_ago(10), end=_ago(20))
    result = services.sync_pass()
    assert (result.imported, result.flagged) == (0, 1)
    assert not RemoteSession.objects.exists()
    report = ConnectionReport.objects.get()
    assert report.problem == ConnectionReport.Problem.END_BEFORE_START
    assert OrderEvent.objects.filter(action="teamviewer.report.flagged").count() == 1
    assert services.sync_pass().flagged == 0  # flagged once


def test_duplicate_record_id_in_one_answer_is_one_session(open_case, tv_fake):
    record = tv_fake.add_connection(session_code=open_case.code, start=_ago(30), end=_ago(20))
    # The same record again on a later page (TeamViewer paging shifted under us).
    tv_fake.state.records["copy"] = {
        **tv_fake.state.records[record],
        "end_date": _ago(19).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    tv_fake.state.records["copy"]["id"] = record
    services.sync_pass()
    assert RemoteSession.objects.count() == 1


def test_record_of_an_unknown_session_code_is_ignored(open_case, tv_fake):
    tv_fake.add_connection(session_code="s99-999-999", start=_ago(30), end=_ago(20))
    services.sync_pass()
    assert not RemoteSession.objects.exists() and not ConnectionReport.objects.exists()


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500},
        {"status": 401, "error": "invalid_token"},
        {"status": 403, "error": "rate_limit_reached"},
        {"status": 200, "raw_body": b"{oops"},
        {"status": 200, "delay": 1.5, "raw_body": b"{}"},
    ],
    ids=["500", "401", "rate-limit", "malformed", "timeout"],
)
def test_faults_while_reading_reports_lose_and_double_nothing(open_case, tv_fake, failure):
    for i in range(5):  # three pages of two
        tv_fake.add_connection(
            session_code=open_case.code, start=_ago(100 - 10 * i), end=_ago(95 - 10 * i)
        )
    # The second page fails: the first page's records are kept.
    tv_fake.fail("GET", "/reports/connections", after=1, **failure)
    first = services.sync_pass()
    assert first.errors
    assert first.imported == 2
    second = services.sync_pass()
    assert not second.errors
    assert RemoteSession.objects.count() == 5
    assert ConnectionReport.objects.count() == 5


def test_invalid_offset_error_mid_paging(open_case, tv_fake):
    for i in range(3):
        tv_fake.add_connection(
            session_code=open_case.code, start=_ago(100 - 10 * i), end=_ago(95 - 10 * i)
        )
    # TeamViewer refuses the offset of the second page (the record behind it is gone).
    tv_fake.fail(
        "GET",
        "/reports/connections",
        after=1,
        status=400,
        error="invalid_request",
        description="Invalid offset_id.",
    )
    first = services.sync_pass()
    assert first.imported == 2 and len(first.errors) == 1
    second = services.sync_pass()
    assert (second.imported, second.known) == (1, 2)
    assert RemoteSession.objects.count() == 3


def test_overlap_with_a_manual_session_is_flagged_not_summed(open_case, tv_fake, lead):
    from billing.services import session_record, session_void

    order = open_case.order
    session_record(order=order, started_at=_ago(40), ended_at=_ago(25), by=lead)
    tv_fake.add_connection(session_code=open_case.code, start=_ago(30), end=_ago(20))
    result = services.sync_pass()
    assert result.flagged == 1
    assert RemoteSession.objects.filter(order=order).count() == 1
    report = ConnectionReport.objects.get()
    assert report.problem == ConnectionReport.Problem.OVERLAP
    # The agent voids the manual session: the next pass takes TeamViewer's.
    manual = RemoteSession.objects.get(order=order)
    session_void(session=manual, by=lead, reason="doppelt erfasst, TeamViewer zählt")
    assert services.sync_pass().imported == 1
    report.refresh_from_db()
    assert report.problem == "" and report.session is not None


def test_cancelled_order_marks_do_not_bill_and_retries_failures(
    open_case, tv_fake, lead, django_capture_on_commit_callbacks
):
    order = open_case.order
    record = tv_fake.add_connection(session_code=open_case.code, start=_ago(30), end=_ago(20))
    services.sync_pass()
    order.refresh_from_db()
    tv_fake.fail("PUT", "/reports/connections/", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order=order, to=Order.Status.TRANSFERRED, by=lead, field_service_reference="FS-9"
        )
    result = services.sync_pass()
    report = ConnectionReport.objects.get()
    assert not report.in_agreement and report.mark_error
    assert tv_fake.state.records[record]["billing_state"] == "Bill"
    ConnectionReport.objects.update(next_mark_at=timezone.now())
    result = services.sync_pass()
    assert result.marked == 1
    assert tv_fake.state.records[record]["billing_state"] == "DoNotBill"
