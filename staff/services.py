"""Writes on staff accounts' second factor: enrolment, verification, backup codes, reset.

The second factor is a TOTP authenticator (RFC 6238, django-otp's ``TOTPDevice``:
a code is valid for its 30-second step and the one before and after, never
twice, and repeated failures slow the device down) plus ten single-use backup
codes (django-otp's ``StaticDevice``). See docs/security.md, "Staff accounts".
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lenze_support.logs import log_event
from staff.errors import TwoFactorError
from staff.models import StaffEvent
from staff.selectors import has_second_factor

logger = logging.getLogger(__name__)

AUTHENTICATOR_NAME = "Authenticator"
BACKUP_DEVICE_NAME = "Backup-Codes"
BACKUP_CODE_COUNT = 10

#: What an authenticator shows: six digits.
TOTP_CODE = re.compile(r"\A[0-9]{6}\Z")
#: django-otp's static tokens: eight characters of lower-case base32.
BACKUP_CODE = re.compile(r"\A[a-z2-7]{8}\Z")


def normalise_code(raw: str) -> str:
    """A typed code without the spaces and hyphens people add while copying it."""
    return re.sub(r"[\s-]+", "", raw).lower()


def enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator the enrolment page shows.

    Created on the first visit and reused when enrolment was interrupted
    (the QR code scanned earlier stays valid). Raises ``TwoFactorError``
    (ALREADY_ENROLLED) once the account has a confirmed authenticator.
    """
    if has_second_factor(user=user):
        raise TwoFactorError(TwoFactorError.ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code it shows; returns it and fresh backup codes.

    Raises ``TwoFactorError``: MALFORMED (not six digits), NOT_ENROLLED (no
    enrolment started), ALREADY_ENROLLED, THROTTLED or INVALID. A refused code
    changes nothing but django-otp's failure counter of the device.
    """
    code = normalise_code(code)
    if not TOTP_CODE.match(code):
        raise TwoFactorError(TwoFactorError.MALFORMED)
    with transaction.atomic():
        if has_second_factor(user=user):
            raise TwoFactorError(TwoFactorError.ALREADY_ENROLLED)
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise TwoFactorError(TwoFactorError.NOT_ENROLLED)
        allowed, _detail = device.verify_is_allowed()
        accepted = allowed and device.verify_token(code)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
            codes = _backup_codes_replace(user=user)
            StaffEvent.objects.create(user=user, actor=user, action=StaffEvent.Action.ENROLLED)
    # Raised outside the transaction: django-otp's failure count must stay committed.
    if not allowed:
        raise TwoFactorError(TwoFactorError.THROTTLED)
    if not accepted:
        raise TwoFactorError(TwoFactorError.INVALID)
    log_event(logger, StaffEvent.Action.ENROLLED.value, user_id=user.pk)
    return device, codes


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code`` (an authenticator code or an unused backup code).

    A backup code is used up; an authenticator code is never accepted twice.
    Raises ``TwoFactorError``: MALFORMED, NOT_ENROLLED, THROTTLED (django-otp's
    back-off after failures) or INVALID.
    """
    code = normalise_code(code)
    if TOTP_CODE.match(code):
        model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice
    elif BACKUP_CODE.match(code):
        model = StaticDevice
    else:
        raise TwoFactorError(TwoFactorError.MALFORMED)
    if not has_second_factor(user=user):
        raise TwoFactorError(TwoFactorError.NOT_ENROLLED)
    matched: Device | None = None
    throttled = False
    with transaction.atomic():
        devices = model.objects.select_for_update().filter(user_id=user.pk, confirmed=True)
        for device in devices.order_by("pk"):
            allowed, _detail = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                matched = device
                break
    if matched is None:
        raise TwoFactorError(TwoFactorError.THROTTLED if throttled else TwoFactorError.INVALID)
    return matched


def backup_codes_issue(*, user: User) -> list[str]:
    """Replace the account's backup codes with ten new ones (the old ones stop working)."""
    with transaction.atomic():
        if not has_second_factor(user=user):
            raise TwoFactorError(TwoFactorError.NOT_ENROLLED)
        codes = _backup_codes_replace(user=user)
        StaffEvent.objects.create(
            user=user, actor=user, action=StaffEvent.Action.BACKUP_CODES_ISSUED
        )
    log_event(logger, StaffEvent.Action.BACKUP_CODES_ISSUED.value, user_id=user.pk)
    return codes


def second_factor_reset(*, user: User, by: User) -> None:
    """Remove every second-factor device of ``user`` (lost phone): at the next login
    they enrol again. Their open sessions lose the second factor at once.

    Recorded as an event with the actor; who may call this is the caller's check
    (permission ``staff.reset_second_factor``).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
        StaffEvent.objects.create(user=user, actor=by, action=StaffEvent.Action.RESET)
    log_event(logger, StaffEvent.Action.RESET.value, user_id=user.pk, by_user_id=by.pk)


def demo_authenticator(*, user: User) -> TOTPDevice:
    """The confirmed authenticator of the local demo account (created once, then reused),
    so ``make run`` can print its ``otpauth://`` URL. Only ``demo_data`` and the
    benchmarks' staff sessions (bench/) call this."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
        device.full_clean()
        device.save()
    return device


def _backup_codes_replace(*, user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
