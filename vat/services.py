"""Writes of the VAT facts: the VIES confirmation of a support request's VAT ID.

Saving a request only queues the check (:func:`vies_check_queue`); a background
task (``vat.tasks.check_vat_id``) asks VIES and stores the answer
(:func:`vies_check_record`), so no web request ever waits for VIES. Until the
answer is stored the request's VIES status stays "unchecked", which the admin
shows as waiting while a check is due (:func:`vies_is_waiting`).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from background import queue
from lenze_support.logs import log_event
from orders.models import SupportRequest
from vat import selectors, vies
from vat.ids import is_eu

logger = logging.getLogger(__name__)

ViesStatus = SupportRequest.ViesStatus

#: Statuses that hold no answer of VIES about the number: a failed check may
#: fill them in, but never replaces an earlier confirmation or refusal.
WITHOUT_ANSWER = (ViesStatus.UNCHECKED, ViesStatus.NOT_CONFIRMED)


class ViesUnavailable(Exception):
    """VIES could not answer for now; the task is retried (message: the error code)."""


def vies_check_due(support_request: SupportRequest) -> bool:
    """True if VIES is to confirm the request's VAT ID: ``VIES_CHECK`` is on and
    the VAT ID is of another EU country (only that decides on reverse charge)."""
    country = str(support_request.country)
    return bool(
        settings.VIES_CHECK and support_request.vat_id and is_eu(country) and country != "DE"
    )


def vies_is_waiting(support_request: SupportRequest) -> bool:
    """True while a due check has not stored its outcome yet."""
    return support_request.vies_status == ViesStatus.UNCHECKED and vies_check_due(support_request)


def vies_check_queue(*, support_request: SupportRequest) -> bool:
    """Queue the VIES check of ``support_request``'s VAT ID, if one is due.

    Part of the caller's transaction (``background.queue.enqueue``). A request
    marked "not confirmed" goes back to waiting; a stored confirmation or
    refusal stays until the new answer replaces it. Returns whether a check was
    queued. Never calls VIES itself.
    """
    if not vies_check_due(support_request):
        return False
    from vat import tasks

    with transaction.atomic():
        if support_request.vies_status == ViesStatus.NOT_CONFIRMED:
            SupportRequest.objects.filter(
                pk=support_request.pk, vies_status=ViesStatus.NOT_CONFIRMED
            ).update(vies_status=ViesStatus.UNCHECKED, vies_checked_at=None, vies_error="")
            support_request.vies_status = ViesStatus.UNCHECKED
            support_request.vies_checked_at = None
            support_request.vies_error = ""
        queue.enqueue(
            tasks.check_vat_id,
            support_request_id=support_request.pk,
            vat_id=support_request.vat_id,
        )
    return True


def vies_checks_queue_missing() -> int:
    """Queue the VIES checks that are due but were never queued, so that no
    request shows "waiting" without a check on its way: requests saved while
    ``VIES_CHECK`` was off, once it is on. Run when the worker starts
    (``manage.py run_worker``); returns how many were queued."""
    if not settings.VIES_CHECK:
        return 0
    queued = sum(
        vies_check_queue(support_request=request) for request in selectors.vies_checks_missing()
    )
    if queued:
        log_event(logger, "vat.vies.checks_queued", count=queued)
    return queued


def vies_check_record(*, support_request_id: int, vat_id: str, last_attempt: bool) -> str:
    """Ask VIES about ``vat_id`` and store the outcome on the support request:
    status, the date VIES answered for, its request identifier, or the error.

    ``vat_id`` is the number the check was queued for: a request since deleted
    or holding another number is left alone ("skipped"). While VIES cannot
    answer for now and ``last_attempt`` is false, only the error is noted and
    :class:`ViesUnavailable` raised so the worker retries; after the last
    attempt, and for any other error, the request is marked "not confirmed".
    Failures never replace an earlier answer of VIES. Returns the outcome.
    """
    if not SupportRequest.objects.filter(pk=support_request_id, vat_id=vat_id).exists():
        return "skipped"
    result = vies.check(
        vat_id=vat_id,
        base_url=settings.VIES_URL,
        requester_vat_id=settings.VIES_REQUESTER_VAT_ID,
        timeout=settings.VIES_TIMEOUT,
    )
    rows = SupportRequest.objects.filter(pk=support_request_id, vat_id=vat_id)
    answered = result.status is not vies.ViesStatus.NOT_CONFIRMED
    if not answered:
        rows = rows.filter(vies_status__in=WITHOUT_ANSWER)
    if result.is_transient and not last_attempt:
        rows.filter(vies_status=ViesStatus.UNCHECKED).update(vies_error=result.error)
        raise ViesUnavailable(result.error)
    rows.update(
        vies_status=result.status.value,
        vies_checked_at=result.checked_at,
        vies_request_identifier=result.request_identifier,
        vies_error=result.error,
    )
    log_event(
        logger,
        "vat.vies.checked",
        support_request=support_request_id,
        status=result.status.value,
        error=result.error,
    )
    return result.status.value
