"""E-mails of the orders app; sent by background tasks (orders/tasks.py), never
inside a customer's request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lenze_support import mail

logger = logging.getLogger(__name__)


def _send(
    *,
    kind: str,
    about: dict[str, Any],
    subject: str,
    to: list[str],
    text: str,
    html: str | None = None,
    message_id: str | None = None,
    marks_pending: bool = False,
) -> None:
    """Send one mail through :func:`lenze_support.mail.send_logged` (logged with
    ``kind`` and ``about``; a sending error propagates, so the task is retried)."""
    headers = {"Message-ID": message_id} if message_id else None
    # A subject rendered from a template: one line, whatever its newlines.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    mail.send_logged(message, kind=kind, about=about, logger=logger, marks_pending=marks_pending)


def send_support_request_link(*, support_request_id: int, token: str) -> str:
    """E-mail the customer the commercial conditions and the personal link.

    Runs in the worker (task ``orders.tasks.send_order_link``). Sends nothing,
    and says why, when the link is no longer the request's current one (a newer
    link was issued), the request was revoked or already ordered, or this link
    was e-mailed before (``emailed_at``). Returns "sent" or the reason. A
    sending error propagates, so the task is retried.

    Raises SupportRequest.DoesNotExist if the request is gone (purged).
    """
    from billing import selectors
    from orders.models import Order, SupportRequest
    from orders.selectors import token_hash as hash_token
    from orders.services import support_request_link_url

    support_request = SupportRequest.objects.get(pk=support_request_id)
    token_hash = hash_token(token)
    if support_request.token_hash != token_hash:
        return "superseded"
    if support_request.revoked_at is not None:
        return "revoked"
    if Order.objects.filter(support_request=support_request).exists():
        return "ordered"
    if support_request.emailed_at is not None:
        return "already sent"
    language = support_request.language
    with translation.override(language):
        tariff = selectors.tariff_current()
        context = {
            "support_request": support_request,
            "link": support_request_link_url(token=token, language=language),
            "tariff": tariff,
            "example": selectors.price_example(tariff=tariff) if tariff else None,
            "example_minutes": selectors.EXAMPLE_MINUTES,
            "vat_treatment": selectors.vat_treatment_for(support_request=support_request),
            "expires_at": support_request.expires_at,
            "helpdesk_email": settings.HELPDESK_EMAIL,
            "helpdesk_phone": settings.HELPDESK_PHONE,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("orders/email/support_request_subject.txt", context)
        text = render_to_string("orders/email/support_request.txt", context)
        html = render_to_string("orders/email/support_request.html", context)
    _send(
        kind="support_request_link",
        about={"support_request": support_request_id},
        subject=subject,
        to=[support_request.email],
        text=text,
        html=html,
        # One ID per link (not the token itself): a repeat is recognisable.
        message_id=mail.message_id(
            kind="order-link", key=f"{support_request_id}.{token_hash[:16]}"
        ),
    )
    SupportRequest.objects.filter(pk=support_request_id, token_hash=token_hash).update(
        emailed_at=timezone.now()
    )
    return "sent"


def send_order_placed(*, order_id: int) -> bool:
    """Tell the helpdesk (in German, its working language) that an order came in.

    Runs in the worker (task ``orders.tasks.notify_helpdesk_of_order``). Sends
    at most once per order: an order whose ``helpdesk_notified_at`` is set is
    skipped (returns False), and the mark is written right after the mail
    server accepted the message. A sending error propagates, so the task is
    retried. The message's ``Message-ID`` is derived from the order number:
    should a worker die between the server's acceptance and the mark, the
    repeat carries the same ID and the same order number in the subject, so
    mail systems and the helpdesk recognise it (docs/decisions.md).

    Raises Order.DoesNotExist if the order is gone.
    """
    from orders.models import Order

    # The TeamViewer case (if any) in the same query: the mail names its code.
    order = Order.objects.select_related("support_request", "teamviewer_case").get(pk=order_id)
    if order.helpdesk_notified_at is not None:
        return False
    with translation.override("de"):
        context = {
            "order": order,
            "support_request": order.support_request,
            "admin_url": settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk]),
        }
        subject = render_to_string("orders/email/order_placed_subject.txt", context)
        text = render_to_string("orders/email/order_placed.txt", context)
    _send(
        kind="order_placed",
        about={"order": order.number},
        subject=subject,
        to=[settings.HELPDESK_EMAIL],
        text=text,
        message_id=mail.message_id(kind="order-placed", key=order.number),
        marks_pending=True,
    )
    Order.objects.filter(pk=order_id, helpdesk_notified_at__isnull=True).update(
        helpdesk_notified_at=timezone.now()
    )
    return True
