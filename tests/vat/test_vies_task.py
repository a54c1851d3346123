"""The VIES check as a background task: queued with the support request, run by
the worker against the fake VIES on loopback, retried while VIES cannot answer,
and stored on the request (status, date, request identifier or error)."""

from __future__ import annotations

import socket

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orders.models import SupportRequest
from tests.vat.support import VAT_ID, saved_request
from vat import services, tasks

pytestmark = pytest.mark.django_db

ViesStatus = SupportRequest.ViesStatus


def queue(request: SupportRequest) -> DBTaskResult:
    assert services.vies_check_queue(support_request=request)
    return DBTaskResult.objects.get(task_path="vat.tasks.check_vat_id")


def checked(vies_worker) -> tuple[SupportRequest, DBTaskResult]:
    """A new request's check queued and run to its end: (request, task row)."""
    request = saved_request()
    task = queue(request)
    vies_worker()
    request.refresh_from_db()
    task.refresh_from_db()
    return request, task


def test_queueing_writes_the_task_and_asks_vies_nothing(fake_vies, vies_worker):
    request = saved_request()
    task = queue(request)
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["kwargs"] == {"support_request_id": request.pk, "vat_id": VAT_ID}
    assert fake_vies.received == []
    request.refresh_from_db()
    assert request.vies_status == ViesStatus.UNCHECKED
    assert services.vies_is_waiting(request)


def test_the_task_stores_the_confirmation_with_date_and_request_identifier(fake_vies, vies_worker):
    request, _task = checked(vies_worker)
    assert request.vies_status == ViesStatus.CONFIRMED
    assert request.vies_checked_at is not None
    assert request.vies_request_identifier.startswith("WAPI")
    assert request.vies_error == ""
    assert not services.vies_is_waiting(request)
    assert fake_vies.received == [
        {
            "countryCode": "AT",
            "vatNumber": "U13585627",
            "requesterMemberStateCode": "DE",
            "requesterNumber": "136695976",
        }
    ]


def test_a_number_vies_does_not_know_is_stored_invalid(fake_vies, vies_worker):
    fake_vies.registered.clear()
    request, _task = checked(vies_worker)
    assert request.vies_status == ViesStatus.INVALID
    assert request.vies_checked_at is not None


def test_timeouts_keep_the_request_waiting_then_mark_it_not_confirmed(
    fake_vies, vies_worker, settings
):
    settings.VIES_TIMEOUT = 0.2
    fake_vies.delay = 1.0
    request = saved_request()
    task = queue(request)

    vies_worker(max_tasks=1)
    request.refresh_from_db()
    task.refresh_from_db()
    assert services.vies_is_waiting(request)
    assert request.vies_error == "TIMEOUT"
    assert task.status == TaskResultStatus.READY  # retried

    vies_worker()
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.vies_status == ViesStatus.NOT_CONFIRMED
    assert request.vies_error == "TIMEOUT"
    assert not services.vies_is_waiting(request)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == tasks.VIES_ATTEMPTS


def test_unreachable_vies_marks_the_request_not_confirmed_after_the_retries(
    fake_vies, vies_worker, settings
):
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        settings.VIES_URL = f"http://127.0.0.1:{sock.getsockname()[1]}"
    request, task = checked(vies_worker)
    assert request.vies_status == ViesStatus.NOT_CONFIRMED
    assert request.vies_error == "UNREACHABLE"
    assert len(task.worker_ids) == tasks.VIES_ATTEMPTS


def test_an_error_answer_marks_the_request_not_confirmed_at_once(fake_vies, vies_worker):
    fake_vies.errors[VAT_ID] = (200, "VAT_BLOCKED")
    request, task = checked(vies_worker)
    assert request.vies_status == ViesStatus.NOT_CONFIRMED
    assert request.vies_error == "VAT_BLOCKED"
    assert len(task.worker_ids) == 1  # another attempt would get the same answer


def test_vies_back_within_the_retries_confirms_the_number(fake_vies, vies_worker):
    fake_vies.errors[VAT_ID] = (500, "MS_UNAVAILABLE")
    request = saved_request()
    queue(request)
    vies_worker(max_tasks=1)
    request.refresh_from_db()
    assert services.vies_is_waiting(request)
    assert request.vies_error == "MS_UNAVAILABLE"

    del fake_vies.errors[VAT_ID]
    vies_worker()
    request.refresh_from_db()
    assert request.vies_status == ViesStatus.CONFIRMED
    assert request.vies_error == ""


def test_a_failed_recheck_keeps_the_earlier_confirmation(fake_vies, vies_worker):
    request, _task = checked(vies_worker)
    confirmed = (request.vies_checked_at, request.vies_request_identifier)

    fake_vies.errors[VAT_ID] = (200, "MS_UNAVAILABLE")
    assert services.vies_check_queue(support_request=request)
    vies_worker()
    request.refresh_from_db()
    assert request.vies_status == ViesStatus.CONFIRMED
    assert (request.vies_checked_at, request.vies_request_identifier) == confirmed


def test_a_recheck_of_a_not_confirmed_number_waits_again(fake_vies, vies_worker):
    fake_vies.errors[VAT_ID] = (200, "VAT_BLOCKED")
    request, _task = checked(vies_worker)
    assert request.vies_status == ViesStatus.NOT_CONFIRMED

    assert services.vies_check_queue(support_request=request)
    request.refresh_from_db()
    assert services.vies_is_waiting(request)
    assert (request.vies_checked_at, request.vies_error) == (None, "")


def test_a_task_for_another_number_or_a_purged_request_changes_nothing(fake_vies, vies_worker):
    request = saved_request()
    outcome = services.vies_check_record(
        support_request_id=request.pk, vat_id="ATU99999999", last_attempt=True
    )
    assert outcome == "skipped"
    outcome = services.vies_check_record(
        support_request_id=request.pk + 1, vat_id=VAT_ID, last_attempt=True
    )
    assert outcome == "skipped"
    assert fake_vies.received == []
    request.refresh_from_db()
    assert request.vies_status == ViesStatus.UNCHECKED


@pytest.mark.parametrize(
    ("vies_check", "country", "vat_id"),
    [(False, "AT", VAT_ID), (True, "DE", "DE136695976"), (True, "AT", ""), (True, "CH", "")],
)
def test_nothing_is_queued_when_no_check_is_due(
    fake_vies, vies_worker, settings, vies_check, country, vat_id
):
    request = saved_request(country=country, vat_id=vat_id)
    settings.VIES_CHECK = vies_check
    assert not services.vies_check_queue(support_request=request)
    assert not DBTaskResult.objects.exists()
    assert not services.vies_is_waiting(request)


def test_without_a_retrying_worker_the_one_attempt_decides(
    fake_vies, django_capture_on_commit_callbacks
):
    # The immediate backend (development, tests) runs each task once, at the
    # commit: a request must not stay waiting for retries that never come.
    fake_vies.errors[VAT_ID] = (500, "MS_UNAVAILABLE")
    request = saved_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.vies_check_queue(support_request=request)
    request.refresh_from_db()
    assert request.vies_status == ViesStatus.NOT_CONFIRMED
    assert request.vies_error == "MS_UNAVAILABLE"


def test_switching_the_check_on_queues_the_checks_saved_while_it_was_off(fake_vies, vies_worker):
    waiting = saved_request()  # saved with the check off: "unchecked", nothing queued
    saved_request(country="DE", vat_id="DE136695976")  # Germany: never a VIES check
    saved_request(country="AT", vat_id="")  # no VAT ID
    confirmed, _task = checked(vies_worker)
    assert (
        services.vies_is_waiting(waiting)
        and not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    )

    assert services.vies_checks_queue_missing() == 1
    assert services.vies_checks_queue_missing() == 0  # queued once, however often asked
    [task] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert task.args_kwargs["kwargs"] == {"support_request_id": waiting.pk, "vat_id": VAT_ID}

    vies_worker()
    waiting.refresh_from_db()
    assert waiting.vies_status == ViesStatus.CONFIRMED
    # VIES asked once for each: the confirmed request was not queued again.
    assert confirmed.vies_status == ViesStatus.CONFIRMED and len(fake_vies.received) == 2


def test_nothing_is_queued_while_the_check_is_off(fake_vies, vies_worker, settings):
    saved_request()
    settings.VIES_CHECK = False
    assert services.vies_checks_queue_missing() == 0
    assert not DBTaskResult.objects.exists()


def test_a_starting_worker_queues_the_missing_checks(fake_vies, vies_worker):
    from background.signals import worker_starting

    request = saved_request()
    worker_starting.send(sender=object, batch=True)
    vies_worker()
    request.refresh_from_db()
    assert request.vies_status == ViesStatus.CONFIRMED
