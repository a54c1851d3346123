"""Public pages: the info page at ``/`` and the order link's pages.

Every page behind a link sends ``Cache-Control: no-store, private`` (the URL
carries the secret) and asks robots not to index it. GET and HEAD never write.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from billing import selectors as billing_selectors
from lenze_support.http import personal_page
from lenze_support.logs import log_event
from lenze_support.ratelimits import limit
from orders import selectors, services
from orders.errors import OrderError
from orders.forms import OrderForm
from orders.models import SupportRequest

logger = logging.getLogger(__name__)

# Cache-Control: no-store, private; Expires: 0; X-Robots-Tag: noindex (docs/security.md).
no_store = personal_page

#: Seconds the retry page asks the browser to wait (Retry-After).
RETRY_AFTER_SECONDS = 30


def _see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST, the browser fetches the result with GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _language() -> str:
    return (get_language() or "de").split("-")[0]


@require_safe
def info_page(request: HttpRequest) -> HttpResponse:
    """The public page: how it works, TeamViewer, privacy, prices; no order form."""
    # The offer the order page shows (cached); its tariff is the one in force.
    offer = selectors.offer_for_page(language=_language())
    return render(
        request,
        "orders/info.html",
        {"offer": offer, "example_minutes": billing_selectors.EXAMPLE_MINUTES},
    )


def _retry_page(request: HttpRequest) -> HttpResponse:
    """503 after a database failure while ordering: nothing was ordered, try again."""
    response = render(request, "retry.html", {"retry_url": request.path}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _link_state(request: HttpRequest, state: str, status: int) -> HttpResponse:
    return render(request, "orders/link_state.html", {"state": state}, status=status)


def _order_form_page(
    request: HttpRequest,
    support_request: SupportRequest,
    *,
    offer: selectors.Offer,
    consent_error: object = None,
    notice: object = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "support_request": support_request,
        "offer": offer,
        "example_minutes": billing_selectors.EXAMPLE_MINUTES,
        "consent_error": consent_error,
        "notice": notice,
        "vat_treatment": billing_selectors.vat_treatment_for(support_request=support_request),
    }
    return render(request, "orders/order_page.html", context, status=status)


# Rate limits per client address (docs/security.md): look-ups and submits counted apart.
link_lookups = limit(group="orders.link", setting="ORDER_LINK_RATE_LIMIT", methods=["GET", "HEAD"])
submits = limit(group="orders.submit", setting="ORDER_SUBMIT_RATE_LIMIT", methods="POST")


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
@link_lookups
@submits
def order_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the e-mailed link: information, one checkbox, one button."""
    support_request = selectors.support_request_by_token(token=token)
    if support_request is None:
        return _link_state(request, "unknown", 404)
    state = support_request.state
    if state == SupportRequest.State.ORDERED:
        if request.method == "POST":  # a repeated submit: show the order, never a second one
            return _see_other(reverse("orders:placed", kwargs={"token": token}))
        return render(
            request,
            "orders/order_placed.html",
            {"order": support_request.order, "just_placed": False},
        )
    if state in (SupportRequest.State.EXPIRED, SupportRequest.State.REVOKED):
        return _link_state(request, state, 410)

    language = _language()
    if request.method != "POST":
        # Cached for display only; every answer to a submit below reads the
        # database, so a customer told "changed" sees the new versions at once.
        offer = selectors.offer_for_page(language=language)
        return _order_form_page(request, support_request, offer=offer)

    form = OrderForm(request.POST)
    if not form.is_valid():  # tampered hidden fields: show the current texts again
        offer = selectors.offer_current(language=language)
        return _order_form_page(
            request, support_request, offer=offer, notice=OrderError.STALE, status=400
        )
    shown = services.Shown(
        privacy_id=form.cleaned_data["privacy_version"],
        asb_id=form.cleaned_data["asb_version"],
        tariff_id=form.cleaned_data["tariff_version"],
    )
    try:
        services.order_place(
            support_request=support_request,
            consent=form.cleaned_data["consent"],
            shown=shown,
            language=language,
        )
    except DatabaseError as error:
        # The transaction was rolled back: no order, no event, no number used up.
        log_event(
            logger,
            "orders.order.place_failed",
            level=logging.ERROR,
            error=type(error).__name__,
        )
        return _retry_page(request)
    except OrderError as error:
        offer = selectors.offer_current(language=language)
        if error.message == OrderError.CONSENT_MISSING:
            return _order_form_page(
                request, support_request, offer=offer, consent_error=error.message
            )
        if error.message == OrderError.EXPIRED:
            return _link_state(request, SupportRequest.State.EXPIRED, 410)
        if error.message == OrderError.REVOKED:
            return _link_state(request, SupportRequest.State.REVOKED, 410)
        if error.message == OrderError.UNAVAILABLE:
            return _order_form_page(request, support_request, offer=offer, status=503)
        # STALE: the versions changed since the page was shown; show the new ones.
        return _order_form_page(
            request, support_request, offer=offer, notice=error.message, status=409
        )
    return _see_other(reverse("orders:placed", kwargs={"token": token}))


@no_store
@require_safe
@link_lookups
def order_placed(request: HttpRequest, token: str) -> HttpResponse:
    """The success page after the order: number, time, versions, what happens now."""
    support_request = selectors.support_request_by_token(token=token)
    if support_request is None:
        return _link_state(request, "unknown", 404)
    if not support_request.has_order:
        return redirect(reverse("orders:order", kwargs={"token": token}))
    return render(
        request, "orders/order_placed.html", {"order": support_request.order, "just_placed": True}
    )
