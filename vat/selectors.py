"""Reads of the VAT facts: which support requests still lack their VIES check."""

from __future__ import annotations

from django.db.models import QuerySet

from background import queue
from background.selectors import tasks_waiting
from orders.models import SupportRequest
from vat.ids import EU_COUNTRIES


def vies_checks_queued() -> set[tuple[int, str]]:
    """(support request id, VAT ID) of every check waiting in the database queue.

    Empty with a backend outside the database (its queue cannot be read here)."""
    from vat import tasks

    if not queue.runs_in_transaction(tasks.check_vat_id):
        return set()
    rows = tasks_waiting(task_path=tasks.check_vat_id.module_path).values_list(
        "args_kwargs", flat=True
    )
    return {
        (kwargs["support_request_id"], kwargs["vat_id"])
        for kwargs in (row.get("kwargs", {}) for row in rows)
        if "support_request_id" in kwargs and "vat_id" in kwargs
    }


def vies_checks_missing() -> list[SupportRequest]:
    """Requests whose VIES check is due but neither stored nor queued: saved
    while ``VIES_CHECK`` was off, or their task was lost outside the database.

    Due means what ``vat.services.vies_check_due`` says (an EU VAT ID outside
    Germany); the caller decides whether checks are on."""
    candidates: QuerySet[SupportRequest] = (
        SupportRequest.objects.filter(
            vies_status=SupportRequest.ViesStatus.UNCHECKED,
            country__in=EU_COUNTRIES - {"DE"},
        )
        .exclude(vat_id="")
        .order_by("pk")
    )
    queued = vies_checks_queued()
    return [r for r in candidates if (r.pk, r.vat_id) not in queued]
