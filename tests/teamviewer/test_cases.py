"""Service cases: one per order, opened in the background, retried, failed
clearly, closed when the order ends; the order itself is never affected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, OrderEvent
from orders.services import order_transition
from teamviewer import services
from teamviewer.errors import TOKEN_REJECTED
from teamviewer.models import ServiceCase

pytestmark = pytest.mark.django_db


def _opened(order: Order) -> ServiceCase:
    case = services.case_open(case_id=order.teamviewer_case.pk)
    assert case is not None
    return case


def _due(case: ServiceCase) -> None:
    ServiceCase.objects.filter(pk=case.pk).update(next_attempt_at=timezone.now())


def test_placing_an_order_requests_one_pending_case(placed_order):
    case = ServiceCase.objects.get(order=placed_order)
    assert case.status == ServiceCase.Status.PENDING
    assert case.code == ""


def test_open_case_creates_it_in_the_service_queue_without_personal_data(placed_order, tv_fake):
    case = _opened(placed_order)
    assert case is not None and case.status == ServiceCase.Status.OPEN
    assert case.code in tv_fake.state.cases
    (body,) = tv_fake.calls_to("POST", "/api/v1/sessions")
    assert body["groupid"] == tv_fake.group_id
    assert body["custom_api"] == placed_order.number
    assert body["description"] == f"{placed_order.number} - Maschinenbau Muster GmbH"
    assert "end_customer" not in body
    sent = str(body)
    assert "Erika" not in sent and "technik@muster.example" not in sent
    valid_until = case.valid_until
    assert valid_until is not None
    assert timedelta(hours=23) < valid_until - timezone.now() <= timedelta(hours=24)
    assert OrderEvent.objects.filter(order=placed_order, action="teamviewer.case.opened").exists()


def test_open_case_twice_creates_one_case(placed_order, tv_fake):
    case_id = placed_order.teamviewer_case.pk
    services.case_open(case_id=case_id)
    assert services.case_open(case_id=case_id) is None
    assert len(tv_fake.calls_to("POST", "/api/v1/sessions")) == 1


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500},
        {"status": 403, "error": "rate_limit_reached"},
        {"status": 200, "delay": 1.5, "raw_body": b"{}"},
        {"status": 200, "raw_body": b"<html>"},
    ],
    ids=["500", "rate-limit", "timeout", "malformed"],
)
def test_transient_failures_are_retried_with_backoff(placed_order, tv_fake, failure):
    tv_fake.fail("POST", "/sessions", **failure)
    case = _opened(placed_order)
    assert case is not None and case.status == ServiceCase.Status.PENDING
    assert case.attempts == 1 and case.last_error
    assert case.next_attempt_at is not None and case.next_attempt_at > timezone.now()
    # Not due yet: nothing happens.
    assert services.case_open(case_id=case.pk) is None
    _due(case)
    reopened = services.case_open(case_id=case.pk)
    assert reopened is not None and reopened.status == ServiceCase.Status.OPEN
    assert placed_order.status == Order.Status.PLACED


def test_revoked_token_fails_at_once_with_a_clear_error(placed_order, tv_fake):
    tv_fake.revoke()
    case = _opened(placed_order)
    assert case is not None and case.status == ServiceCase.Status.FAILED
    assert case.last_error == str(TOKEN_REJECTED)
    assert case.next_attempt_at is None
    assert len(tv_fake.calls_to("POST", "/api/v1/sessions")) == 1


def test_gives_up_after_max_attempts(placed_order, tv_fake, settings):
    settings.TEAMVIEWER_MAX_ATTEMPTS = 2
    tv_fake.fail("POST", "/sessions", status=503, times=5)
    case = _opened(placed_order)
    assert case is not None and case.status == ServiceCase.Status.PENDING
    _due(case)
    reopened = services.case_open(case_id=case.pk)
    assert reopened is not None and reopened.status == ServiceCase.Status.FAILED


def test_retry_of_a_failed_case_by_staff(placed_order, tv_fake, django_capture_on_commit_callbacks):
    tv_fake.revoke()
    case = _opened(placed_order)
    tv_fake.set_permissions({"Sessions.Create"})  # the new token
    with django_capture_on_commit_callbacks(execute=True):
        services.case_retry(case=case, by=None)
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.OPEN
    assert OrderEvent.objects.filter(order=placed_order, action="teamviewer.case.retried").exists()


def test_retry_refuses_a_case_that_did_not_fail(placed_order):
    from teamviewer.errors import TeamViewerError

    with pytest.raises(TeamViewerError):
        services.case_retry(case=placed_order.teamviewer_case, by=None)


def test_task_runs_after_commit_and_opens_the_case(
    offer, tv_fake, django_capture_on_commit_callbacks
):
    from orders.services import Shown, order_place
    from tests.factories import support_request

    request, _ = support_request()
    shown = Shown(
        privacy_id=offer["privacy"].pk, asb_id=offer["asb"].pk, tariff_id=offer["tariff"].pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert ServiceCase.objects.get(order=order).status == ServiceCase.Status.OPEN


def test_order_is_placed_even_when_teamviewer_is_down(
    offer, tv_fake, django_capture_on_commit_callbacks
):
    from orders.services import Shown, order_place
    from tests.factories import support_request

    tv_fake.stop()
    request, _ = support_request()
    shown = Shown(
        privacy_id=offer["privacy"].pk, asb_id=offer["asb"].pk, tariff_id=offer["tariff"].pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert Order.objects.filter(pk=order.pk).exists()
    case = ServiceCase.objects.get(order=order)
    assert case.status == ServiceCase.Status.PENDING and case.attempts == 1


def test_integration_off_creates_no_case(offer, settings):
    from orders.services import Shown, order_place
    from tests.factories import support_request

    settings.TEAMVIEWER_API_TOKEN = ""
    request, _ = support_request()
    shown = Shown(
        privacy_id=offer["privacy"].pk, asb_id=offer["asb"].pk, tariff_id=offer["tariff"].pk
    )
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert not ServiceCase.objects.filter(order=order).exists()


def _staff(*perms: str):
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("lead", "lead@example.com", "pw")
    return user


@pytest.mark.parametrize("to", ["cancelled", "transferred"])
def test_ending_the_order_closes_the_case(
    placed_order, tv_fake, django_capture_on_commit_callbacks, to
):
    case = _opened(placed_order)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order=placed_order,
            to=to,
            by=_staff(),
            note="Kunde verzichtet",
            field_service_reference="FS-1",
        )
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.CLOSED and case.closed_at is not None
    assert tv_fake.state.cases[case.code]["state"] == "closed"


def test_closing_retries_after_a_failure(placed_order, tv_fake, django_capture_on_commit_callbacks):
    case = _opened(placed_order)
    tv_fake.fail("PUT", "/sessions/", status=500)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=placed_order, to="cancelled", by=_staff(), note="Kunde verzichtet")
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.OPEN and case.last_error
    _due(case)
    result = services.sync_pass()
    assert result.closed == 1
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.CLOSED


def test_cancelling_while_pending_never_opens_the_case(placed_order, tv_fake):
    order_transition(order=placed_order, to="cancelled", by=_staff(), note="Kunde verzichtet")
    case = ServiceCase.objects.get(order=placed_order)
    assert case.status == ServiceCase.Status.CLOSED
    assert services.sync_pass().opened == 0
    assert tv_fake.calls_to("POST", "/api/v1/sessions") == []


def test_sync_pass_creates_cases_missing_for_recent_orders(placed_order, tv_fake):
    ServiceCase.objects.all().delete()
    result = services.sync_pass()
    assert result.requested == 1 and result.opened == 1
    assert ServiceCase.objects.get(order=placed_order).status == ServiceCase.Status.OPEN


def test_helpdesk_email_names_the_session_and_the_supporter_link(placed_order, tv_fake, mailoutbox):
    from orders.emails import send_order_placed

    case = _opened(placed_order)
    send_order_placed(order_id=placed_order.pk)
    body = mailoutbox[-1].body
    assert f"TeamViewer-Sitzungscode: {case.code}" in body
    assert f"Sitzung in TeamViewer öffnen: {case.supporter_link}" in body


def test_helpdesk_email_while_the_case_is_created(placed_order, mailoutbox):
    from orders.emails import send_order_placed

    send_order_placed(order_id=placed_order.pk)
    assert "TeamViewer-Sitzung: wird angelegt" in mailoutbox[-1].body


def test_helpdesk_email_reads_order_request_and_case_in_one_query(
    placed_order, tv_fake, mailoutbox, django_assert_num_queries
):
    from orders.emails import send_order_placed

    case = _opened(placed_order)
    # One read (order, request and case joined), one write (the "sent" mark).
    with django_assert_num_queries(2):
        send_order_placed(order_id=placed_order.pk)
    assert case.code in mailoutbox[-1].body
