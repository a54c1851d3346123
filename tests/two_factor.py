"""Test helpers for the staff's second factor: devices and the codes a phone would show."""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import pyotp
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator (created once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    return device


def secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now for ``device`` (pyotp, RFC 6238).

    When the current step was already used (the device refuses replays), the next
    step's code: the device accepts one step of drift either way.
    """
    device.refresh_from_db()
    totp = pyotp.TOTP(secret(device), interval=device.step, digits=device.digits)
    now = int(time.time())
    step = (now - device.t0) // device.step + offset_steps
    if offset_steps == 0 and step <= device.last_t:
        step = device.last_t + 1
    return totp.at(device.t0 + step * device.step)


def mark_verified(client: Any, user: Any) -> None:
    """Give ``client``'s (logged-in) session the second factor, as a passed code would."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
