"""Background tasks of the orders app (run by ``manage.py run_worker``).

Enqueued with :func:`background.queue.enqueue` inside the transaction that
creates the rows they are about; retried with growing delays when they fail
(background/worker.py).
"""

from __future__ import annotations

from django_tasks.base import task

from background import sealing
from background.worker import PermanentTaskError
from orders import emails
from orders.models import Order, SupportRequest


@task()
def notify_helpdesk_of_order(*, order_id: int) -> str:
    """E-mail the helpdesk about a new order, once (``Order.helpdesk_notified_at``)."""
    try:
        sent = emails.send_order_placed(order_id=order_id)
    except Order.DoesNotExist as error:
        raise PermanentTaskError(f"order {order_id} no longer exists") from error
    return "sent" if sent else "already sent"


@task()
def send_order_link(*, support_request_id: int, sealed_token: str) -> str:
    """E-mail the customer the order link (token sealed: background/sealing.py)."""
    try:
        token = sealing.unseal(sealed_token)
    except sealing.InvalidToken as error:
        raise PermanentTaskError(
            "the link's token cannot be opened (secret key rotated without fallback?)"
        ) from error
    try:
        return emails.send_support_request_link(support_request_id=support_request_id, token=token)
    except SupportRequest.DoesNotExist as error:
        raise PermanentTaskError(
            f"support request {support_request_id} no longer exists (purged?)"
        ) from error
