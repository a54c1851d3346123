"""Reads about staff accounts' second factor."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_second_factor(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """True once the account has a confirmed authenticator (enrolment finished)."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def backup_codes_left(*, user: AbstractBaseUser) -> int:
    """How many unused backup codes the account still has."""
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def is_verified(user: object) -> bool:
    """True when this request's user passed the second factor (django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())
