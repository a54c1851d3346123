"""E-mails of the orders app; called after commit by the services.

A failing mail server must not turn a committed order into an error page, so
sending errors are logged, not raised.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lenze_support.logs import log_event

logger = logging.getLogger(__name__)


def _send(*, subject: str, to: list[str], text: str, html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def send_support_request_link(*, support_request_id: int, token: str) -> bool:
    """E-mail the customer the commercial conditions and the personal link."""
    from billing import selectors
    from orders.models import SupportRequest
    from orders.services import support_request_link_url

    support_request = SupportRequest.objects.get(pk=support_request_id)
    language = support_request.language
    with translation.override(language):
        tariff = selectors.tariff_current()
        context = {
            "support_request": support_request,
            "link": support_request_link_url(token=token, language=language),
            "tariff": tariff,
            "example": selectors.price_example(tariff=tariff) if tariff else None,
            "example_minutes": selectors.EXAMPLE_MINUTES,
            "reverse_charge": selectors.vat_treatment_for(
                country=support_request.country, vat_id=support_request.vat_id
            )
            == "reverse_charge",
            "expires_at": support_request.expires_at,
            "helpdesk_email": settings.HELPDESK_EMAIL,
            "helpdesk_phone": settings.HELPDESK_PHONE,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("orders/email/support_request_subject.txt", context)
        text = render_to_string("orders/email/support_request.txt", context)
        html = render_to_string("orders/email/support_request.html", context)
    try:
        _send(subject=" ".join(subject.split()), to=[support_request.email], text=text, html=html)
    except Exception as error:
        # The class only: SMTP errors may quote the customer's address.
        log_event(
            logger,
            "mail.failed",
            level=logging.ERROR,
            kind="support_request_link",
            support_request=support_request_id,
            error=type(error).__name__,
        )
        return False
    SupportRequest.objects.filter(pk=support_request_id).update(emailed_at=timezone.now())
    return True


def send_order_placed(*, order_id: int) -> bool:
    """Tell the helpdesk (in German, its working language) that an order came in.

    On success the order's ``helpdesk_notified_at`` is set; while it is empty the
    notification is pending and ``orders.notifications.pending_notifications_send``
    (command ``send_pending_notifications``, admin action) tries again.
    """
    from orders.models import Order

    order = Order.objects.select_related("support_request").get(pk=order_id)
    with translation.override("de"):
        context = {
            "order": order,
            "support_request": order.support_request,
            "admin_url": settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk]),
        }
        subject = render_to_string("orders/email/order_placed_subject.txt", context)
        text = render_to_string("orders/email/order_placed.txt", context)
    try:
        _send(subject=" ".join(subject.split()), to=[settings.HELPDESK_EMAIL], text=text)
    except Exception as error:
        log_event(
            logger,
            "mail.failed",
            level=logging.ERROR,
            kind="order_placed",
            order=order.number,
            error=type(error).__name__,
            pending="yes",
        )
        return False
    Order.objects.filter(pk=order_id, helpdesk_notified_at__isnull=True).update(
        helpdesk_notified_at=timezone.now()
    )
    log_event(logger, "mail.sent", kind="order_placed", order=order.number)
    return True
