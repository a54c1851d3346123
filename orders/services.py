"""Writes: support requests (issue, re-issue, revoke), placing orders, their
status workflow and the retention of requests that were never ordered."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from background import queue, sealing
from billing import charges
from billing.selectors import charge_to_freeze, vat_treatment_for
from lenze_support.logs import log_event
from orders import selectors, tasks
from orders.errors import OrderError
from orders.models import (
    FINAL_STATUSES,
    Order,
    OrderEvent,
    OrderNumberCounter,
    SupportRequest,
)
from orders.texts import ACTOR_CUSTOMER, CONSENT_SENTENCE, ORDER_BUTTON_LABEL
from vat import services as vat_services
from vat.ids import is_eu, vat_id_normalise

logger = logging.getLogger(__name__)

# --- Support requests -----------------------------------------------------------


@dataclass(frozen=True)
class IssuedLink:
    """A freshly issued order link; the token exists only here and in the e-mail."""

    support_request: SupportRequest
    token: str

    @property
    def url(self) -> str:
        return support_request_link_url(token=self.token, language=self.support_request.language)


def support_request_link_url(*, token: str, language: str) -> str:
    """Absolute link to the order page in ``language`` (base: ``SITE_URL``)."""
    with translation.override(language):
        path = reverse("orders:order", kwargs={"token": token})
    return settings.SITE_URL + path


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, selectors.token_hash(token)


def _expiry(now):
    return now + timedelta(days=settings.SUPPORT_REQUEST_EXPIRY_DAYS)


def _enqueue_link_email(support_request: SupportRequest, token: str) -> None:
    # A task row in the caller's transaction; the token travels sealed, since
    # the database otherwise holds only its hash (background/sealing.py).
    queue.enqueue(
        tasks.send_order_link,
        support_request_id=support_request.pk,
        sealed_token=sealing.seal(token),
    )


def support_request_create(
    *,
    company: str,
    email: str,
    contact_name: str = "",
    case_reference: str = "",
    language: str = "de",
    country: str = "DE",
    vat_id: str = "",
    business_evidence: str = "",
    created_by: Any = None,
    send_email: bool = True,
) -> IssuedLink:
    """Create a support request with a fresh link and (by a background task) e-mail it.

    ``vat_id`` is normalised and checked against ``country`` (format, check
    digit); with ``VIES_CHECK`` on, a background task then confirms it with
    VIES and stores the result (an unreachable VIES leaves it "not confirmed",
    never an error). ``business_evidence`` (customers outside the EU only) records that
    ``created_by`` confirmed the customer is a business, with that evidence.
    ``created_by``: the agent (None for the command line). ``send_email=False``
    leaves sending to the agent, who gets the link from the returned value.

    Raises django.core.exceptions.ValidationError for invalid fields (the VAT ID
    and business evidence under their field names).
    """
    token, hashed = _new_token()
    now = timezone.now()
    country = country.upper() if isinstance(country, str) else country
    business_evidence = " ".join(business_evidence.split())
    errors: dict[str, list[Any]] = {}
    try:
        vat_id = vat_id_normalise(vat_id=vat_id, country=str(country))
    except ValidationError as error:
        errors["vat_id"] = error.error_list
    if business_evidence and is_eu(str(country)):
        errors["business_evidence"] = [ValidationError(OrderError.BUSINESS_EVIDENCE_IN_EU)]
    if errors:
        raise ValidationError(errors)
    support_request = SupportRequest(
        company=company.strip(),
        email=email.strip(),
        contact_name=contact_name.strip(),
        case_reference=case_reference.strip(),
        language=language,
        country=country,
        vat_id=vat_id,
        business_evidence=business_evidence,
        business_confirmed_by=created_by if business_evidence else None,
        business_confirmed_at=now if business_evidence else None,
        created_by=created_by,
        created_at=now,
        expires_at=_expiry(now),
        token_hash=hashed,
    )
    support_request.full_clean()
    with transaction.atomic():
        support_request.save()
        if send_email:
            _enqueue_link_email(support_request, token)
        # VIES answers the worker, never this request (vat/services.py).
        vat_services.vies_check_queue(support_request=support_request)
    return IssuedLink(support_request=support_request, token=token)


def support_request_reissue(
    *, support_request: SupportRequest, by: Any = None, send_email: bool = True
) -> IssuedLink:
    """Issue a new link (the old one stops working), restart the expiry period and
    (by a background task) e-mail it. Also revives an expired request.

    Raises OrderError ALREADY_ORDERED or REVOKED.
    """
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
        if Order.objects.filter(support_request=locked).exists():
            raise OrderError(OrderError.ALREADY_ORDERED)
        if locked.revoked_at is not None:
            raise OrderError(OrderError.REVOKED)
        token, hashed = _new_token()
        locked.token_hash = hashed
        locked.expires_at = _expiry(timezone.now())
        locked.emailed_at = None
        locked.full_clean()
        locked.save(update_fields=["token_hash", "expires_at", "emailed_at"])
        if send_email:
            _enqueue_link_email(locked, token)
    logger.info("support request %s: link re-issued by %s", locked.pk, by or "system")
    return IssuedLink(support_request=locked, token=token)


def support_request_revoke(*, support_request: SupportRequest, by: Any = None) -> SupportRequest:
    """Make the request's link stop working for good (idempotent).

    Raises OrderError ALREADY_ORDERED: an order cannot be undone by revoking its link.
    """
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
        if Order.objects.filter(support_request=locked).exists():
            raise OrderError(OrderError.ALREADY_ORDERED)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    logger.info("support request %s: link revoked by %s", locked.pk, by or "system")
    return locked


# --- Orders -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """The versions the order page displayed (carried by the form)."""

    privacy_id: int
    asb_id: int
    tariff_id: int


def _next_order_number(year: int) -> str:
    # One statement (PostgreSQL, and SQLite >= 3.35): insert the year's counter at
    # 1 or increment it, and return the new value. The upsert keeps the counter's
    # row locked until commit: numbers are never handed out twice, and a
    # rolled-back order leaves no gap. (It replaced insert-if-missing, update and
    # select: two round trips fewer per order.)
    table = connection.ops.quote_name(OrderNumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"RS-{year}-{number:06d}"


def order_evidence(
    *,
    support_request: SupportRequest,
    privacy: Any,
    asb: Any,
    tariff: Any,
    language: str,
) -> dict[str, Any]:
    """What an order copies when it is placed: the documents shown with their
    SHA-256, the consent sentence and button label in the page's language, the
    tariff's values, the VAT treatment and the customer's country and VAT ID."""
    with translation.override(language):
        consent_text, button_label = str(CONSENT_SENTENCE), str(ORDER_BUTTON_LABEL)
    return {
        "support_request": support_request,
        "language": language,
        "privacy_document": privacy,
        "privacy_sha256": privacy.sha256,
        "asb_document": asb,
        "asb_sha256": asb.sha256,
        "consent_text": consent_text,
        "button_label": button_label,
        "tariff": tariff,
        "base_fee": tariff.base_fee,
        "block_price": tariff.block_price,
        "block_minutes": tariff.block_minutes,
        "vat_rate": tariff.vat_rate,
        "currency": tariff.currency,
        "vat_treatment": vat_treatment_for(support_request=support_request),
        "customer_country": support_request.country,
        "customer_vat_id": support_request.vat_id,
    }


def order_place(
    *, support_request: SupportRequest, consent: bool, shown: Shown, language: str
) -> Order:
    """Place the order for ``support_request``: the customer ticked the box and
    pressed the button on the page in ``language`` showing ``shown``.

    One transaction, the request row locked. Idempotent: if the request already
    has an order, that order is returned and nothing is written. The helpdesk's
    e-mail is a background task written in the same transaction; the customer
    gets none (the client's rule).

    Raises OrderError: REVOKED, EXPIRED, CONSENT_MISSING, UNAVAILABLE (documents
    or tariff missing), STALE (a shown version is no longer current).
    """
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
        existing = Order.objects.filter(support_request=locked).first()
        if existing is not None:
            return existing
        now = timezone.now()
        if locked.revoked_at is not None:
            raise OrderError(OrderError.REVOKED)
        if locked.expires_at <= now:
            raise OrderError(OrderError.EXPIRED)
        if not consent:
            raise OrderError(OrderError.CONSENT_MISSING)
        offer = selectors.offer_current(language=language, at=now)
        if not offer.complete:
            raise OrderError(OrderError.UNAVAILABLE)
        assert offer.privacy and offer.asb and offer.tariff
        if (offer.privacy.pk, offer.asb.pk, offer.tariff.pk) != (
            shown.privacy_id,
            shown.asb_id,
            shown.tariff_id,
        ):
            raise OrderError(OrderError.STALE)
        order = Order(
            number=_next_order_number(timezone.localtime(now).year),
            status=Order.Status.PLACED,
            placed_at=now,
            **order_evidence(
                support_request=locked,
                privacy=offer.privacy,
                asb=offer.asb,
                tariff=offer.tariff,
                language=language,
            ),
        )
        # Field validation here; references, uniqueness and checks are enforced by
        # the database (constraints), which spares one look-up query each. The
        # country was validated with the request; validating its copy again
        # would build the list of all countries on every order.
        order.full_clean(
            exclude=[
                "support_request",
                "privacy_document",
                "asb_document",
                "tariff",
                "customer_country",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
        # The request's row lock serialises submits of one link; should two still
        # race, the one-to-one constraint rejects the second with IntegrityError.
        order.save()
        OrderEvent.objects.create(
            order=order,
            action="orders.order.placed",
            actor=None,
            actor_label=ACTOR_CUSTOMER,
            from_status="",
            to_status=Order.Status.PLACED,
            created_at=now,
        )
        # A task row in this transaction: the helpdesk's e-mail exists exactly
        # when the order does, and is sent by the worker, not by this request.
        queue.enqueue(tasks.notify_helpdesk_of_order, order_id=order.pk)
    log_event(logger, "orders.order.placed", order=order.number, language=language)
    return order


# --- Status workflow, retention --------------------------------------------------

Status = Order.Status

# The only status changes there are; anything else is refused.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PLACED: frozenset({Status.IN_PROGRESS, Status.TRANSFERRED, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED, Status.TRANSFERRED}),
    # Completed -> in progress is the lead's "reopen", with a reason.
    Status.COMPLETED: frozenset({Status.BILLED, Status.TRANSFERRED, Status.IN_PROGRESS}),
}
# Entering one of these freezes what the order bills (Order.billed_*), unless it
# is frozen already (billing a completed order keeps the figures of completion).
FREEZING_STATUSES = frozenset({Status.COMPLETED, Status.TRANSFERRED, Status.BILLED})
FROZEN_FIELDS = (
    "billed_seconds",
    "billed_blocks",
    "billed_net",
    "billed_vat_rate",
    "billed_vat",
    "billed_gross",
    "billing_rule_version",
    "figures_frozen_at",
)
# Transitions into a final status are the lead's (permission orders.close_order).
CLOSE_PERMISSION = "orders.close_order"


def transition_is_reopening(*, from_status: str, to: str) -> bool:
    """Completed back to in progress: the lead's "reopen", with a reason."""
    return from_status == Status.COMPLETED and to == Status.IN_PROGRESS


def transition_needs_close_permission(*, from_status: str, to: str) -> bool:
    """Moving into a final status and reopening a completed order are the lead's
    (``CLOSE_PERMISSION``); every other allowed change is any agent's."""
    return to in FINAL_STATUSES or transition_is_reopening(from_status=from_status, to=to)


def order_lock(order: Order) -> Order:
    """``order`` read again with its row locked until the transaction ends."""
    return Order.objects.select_for_update().get(pk=order.pk)


def transition_write(
    *,
    order: Order,
    to: str,
    by: Any,
    note: str = "",
    field_service_reference: str = "",
    action: str = "",
    also_save: tuple[str, ...] = (),
) -> Order:
    """Write the status change of the locked ``order`` and its event (``action``,
    default ``orders.order.<to>``); ``also_save`` names fields set by the caller."""
    from_status = order.status
    order.status = to
    update_fields = ["status", *also_save]
    if field_service_reference:
        order.field_service_reference = field_service_reference
        update_fields.append("field_service_reference")
    order.full_clean()
    order.save(update_fields=update_fields)
    event = OrderEvent(
        order=order,
        action=action or f"orders.order.{to}",
        actor=by,
        from_status=from_status,
        to_status=to,
        note=note,
    )
    event.full_clean()
    event.save()
    # After commit: a change that is rolled back must not be logged as done.
    number = order.number
    transaction.on_commit(
        lambda: log_event(
            logger, "orders.order.status_changed", order=number, from_status=from_status, to=to
        )
    )
    return order


def order_transition(
    *,
    order: Order,
    to: str,
    by: Any,
    note: str = "",
    field_service_reference: str = "",
) -> Order:
    """Move ``order`` to status ``to`` and record an ``OrderEvent``.

    Allowed: placed -> in_progress -> completed -> billed; placed, in_progress
    or completed -> transferred (needs ``field_service_reference``); placed ->
    cancelled (needs the reason as ``note``); completed -> in_progress is
    reopening (needs the reason as ``note``). Moving into a final status and
    reopening need the permission ``orders.close_order`` (group "Helpdesk lead").

    Completing or transferring freezes what the order bills (``Order.billed_*``,
    computed from its counting sessions under the row lock); reopening clears
    those figures until the order is completed again.

    Raises ``OrderError`` (``TRANSITION_NOT_ALLOWED``, ``TRANSITION_FORBIDDEN``,
    ``REFERENCE_MISSING``, ``REASON_MISSING``, ``REOPEN_FORBIDDEN``,
    ``REOPEN_REASON_MISSING``). Returns the updated order.
    """
    note = (note or "").strip()
    field_service_reference = (field_service_reference or "").strip()
    with transaction.atomic():
        locked = order_lock(order)
        if to not in ALLOWED_TRANSITIONS.get(locked.status, frozenset()):
            raise OrderError(
                OrderError.TRANSITION_NOT_ALLOWED,
                number=locked.number,
                from_status=Status(locked.status).label,
                to_status=Status(to).label if to in Status.values else to,
            )
        reopening = transition_is_reopening(from_status=locked.status, to=to)
        may_close = by is not None and by.has_perm(CLOSE_PERMISSION)
        if transition_needs_close_permission(from_status=locked.status, to=to) and not may_close:
            raise OrderError(
                OrderError.REOPEN_FORBIDDEN if reopening else OrderError.TRANSITION_FORBIDDEN
            )
        if to == Status.TRANSFERRED and not field_service_reference:
            raise OrderError(OrderError.REFERENCE_MISSING)
        if to == Status.CANCELLED and not note:
            raise OrderError(OrderError.REASON_MISSING)
        if reopening and not note:
            raise OrderError(OrderError.REOPEN_REASON_MISSING)
        if to == Status.TRANSFERRED and not note:
            note = field_service_reference
        also_save: tuple[str, ...] = ()
        if to in FREEZING_STATUSES and locked.figures_frozen_at is None:
            figures = charges.frozen_figures(charge_to_freeze(locked))
            for field, value in figures.items():
                setattr(locked, field, value)
            locked.figures_frozen_at = timezone.now()
            also_save = FROZEN_FIELDS
        elif reopening:
            for field in FROZEN_FIELDS:
                setattr(locked, field, "" if field == "billing_rule_version" else None)
            also_save = FROZEN_FIELDS
        transition_write(
            order=locked,
            to=to,
            by=by,
            note=note,
            field_service_reference=field_service_reference,
            action="orders.order.reopened" if reopening else "",
            also_save=also_save,
        )
    order.refresh_from_db()
    return order


def support_requests_purge_expired(*, before: datetime, dry_run: bool = False) -> list[int]:
    """Delete support requests without an order whose link expired or was revoked
    before ``before`` (their personal data is no longer needed). Returns the ids
    deleted (or, with ``dry_run``, those that would be)."""
    expired = SupportRequest.objects.filter(order__isnull=True).filter(
        Q(expires_at__lt=before) | Q(revoked_at__lt=before)
    )
    with transaction.atomic():
        ids = list(expired.order_by("pk").values_list("pk", flat=True))
        if ids and not dry_run:
            SupportRequest.objects.filter(pk__in=ids, order__isnull=True).delete()
    return ids
