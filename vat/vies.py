"""Client for the EU's VIES VAT number check (REST interface).

``POST {VIES_URL}/check-vat-number`` with ``countryCode`` and ``vatNumber``
(and, when ``VIES_REQUESTER_VAT_ID`` is set, the requester's own VAT ID, for
which VIES returns a ``requestIdentifier``: the consultation number that
proves the check to a tax auditor). The answer carries ``valid``,
``requestDate`` and ``requestIdentifier``; a refusal carries
``actionSucceed: false`` and ``errorWrappers`` with a code such as
``MS_UNAVAILABLE`` or ``TIMEOUT``, on HTTP 200 as well as on 4xx/5xx.

The check never raises: whatever goes wrong (timeout, refused connection, an
error answer, a body that is not the documented JSON) becomes a result with
status ``not_confirmed`` and the reason; ``ViesResult.is_transient`` tells
whether asking again later may help. Only background tasks call it
(``vat.tasks``): a web request never waits for VIES.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

logger = logging.getLogger(__name__)


class ViesStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    INVALID = "invalid"
    NOT_CONFIRMED = "not_confirmed"


#: Failures that say nothing about the number and pass: VIES or the member
#: state's register is down or busy. Worth asking again later; any other error
#: (``INVALID_INPUT``, ``VAT_BLOCKED``, a body that is not VIES's JSON) stays.
TRANSIENT_ERRORS = frozenset(
    {
        "TIMEOUT",
        "UNREACHABLE",
        "SERVICE_UNAVAILABLE",
        "MS_UNAVAILABLE",
        "GLOBAL_MAX_CONCURRENT_REQ",
        "GLOBAL_MAX_CONCURRENT_REQ_TIME",
        "MS_MAX_CONCURRENT_REQ",
        "MS_MAX_CONCURRENT_REQ_TIME",
    }
)


@dataclass(frozen=True, slots=True)
class ViesResult:
    """What one VIES check found; stored on the support request."""

    status: ViesStatus
    checked_at: datetime
    request_identifier: str = ""
    # VIES's error code, or what kept the answer from arriving ("TIMEOUT",
    # "UNREACHABLE", "HTTP_503", "BAD_RESPONSE"); empty for an answer.
    error: str = ""

    @property
    def is_transient(self) -> bool:
        """VIES could not answer for now; another attempt later may."""
        return self.error in TRANSIENT_ERRORS or self.error.startswith("HTTP_5")


def _split(vat_id: str) -> tuple[str, str]:
    return vat_id[:2].upper(), vat_id[2:]


def _checked_at(answer: dict[str, Any]) -> datetime:
    # VIES states the date it answered for; the REST interface sends a
    # timestamp ("2026-03-02T10:15:00.000Z"), older answers a date only.
    raw = str(answer.get("requestDate") or "")
    moment = parse_datetime(raw.replace("Z", "+00:00")) if raw else None
    if moment is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    day = parse_date(raw[:10]) if raw else None
    if day is not None:
        return timezone.make_aware(datetime(day.year, day.month, day.day))
    return timezone.now()


def _error_code(answer: Any) -> str:
    if isinstance(answer, dict):
        for wrapper in answer.get("errorWrappers") or []:
            if isinstance(wrapper, dict) and wrapper.get("error"):
                return str(wrapper["error"])[:100]
    return ""


def check(
    *,
    vat_id: str,
    base_url: str,
    requester_vat_id: str = "",
    timeout: float = 5.0,
) -> ViesResult:
    """Ask VIES whether ``vat_id`` (compact, with its prefix: ``ATU13585627``) is
    registered. Never raises: failures come back as ``NOT_CONFIRMED``."""
    country, number = _split(vat_id)
    payload: dict[str, str] = {"countryCode": country, "vatNumber": number}
    if requester_vat_id:
        requester_country, requester_number = _split(requester_vat_id)
        payload["requesterMemberStateCode"] = requester_country
        payload["requesterNumber"] = requester_number
    url = base_url.rstrip("/") + "/check-vat-number"
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.post(url, json=payload, headers={"Accept": "application/json"})
    except httpx.TimeoutException:
        return _not_confirmed(vat_id, "TIMEOUT")
    except httpx.HTTPError as error:
        logger.warning("VIES unreachable for %s: %s", country, type(error).__name__)
        return _not_confirmed(vat_id, "UNREACHABLE")
    try:
        answer = response.json()
    except ValueError:
        answer = None
    code = _error_code(answer)
    if code or (isinstance(answer, dict) and answer.get("actionSucceed") is False):
        return _not_confirmed(vat_id, code or "ERROR")
    if response.status_code != 200:
        return _not_confirmed(vat_id, f"HTTP_{response.status_code}")
    if not isinstance(answer, dict) or not isinstance(answer.get("valid"), bool):
        return _not_confirmed(vat_id, "BAD_RESPONSE")
    return ViesResult(
        status=ViesStatus.CONFIRMED if answer["valid"] else ViesStatus.INVALID,
        checked_at=_checked_at(answer),
        request_identifier=str(answer.get("requestIdentifier") or "")[:100],
    )


def _not_confirmed(vat_id: str, error: str) -> ViesResult:
    logger.info("VIES check of a %s VAT ID not confirmed: %s", vat_id[:2], error)
    return ViesResult(status=ViesStatus.NOT_CONFIRMED, checked_at=timezone.now(), error=error)
