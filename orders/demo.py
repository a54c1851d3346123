"""Demo data for ``make run``: the initial tariff and one open demo request."""

from __future__ import annotations

from billing.services import tariff_ensure_initial
from orders import services
from orders.models import Order, SupportRequest

DEMO_CASE_REFERENCE = "DEMO-0001"


def demo_support_request() -> services.IssuedLink:
    """An open demo request with a fresh link (only the hash is stored, so each run
    issues a new one); a new request once the previous demo request was ordered
    or revoked. No e-mail is sent."""
    tariff_ensure_initial()
    candidate = (
        SupportRequest.objects.filter(case_reference=DEMO_CASE_REFERENCE, revoked_at__isnull=True)
        .exclude(pk__in=Order.objects.values("support_request_id"))
        .order_by("-created_at")
        .first()
    )
    if candidate is not None:
        return services.support_request_reissue(support_request=candidate, send_email=False)
    return services.support_request_create(
        company="Demo Maschinenbau GmbH",
        email="technik@demo-maschinenbau.example",
        contact_name="Erika Musterfrau",
        case_reference=DEMO_CASE_REFERENCE,
        send_email=False,
    )
