"""Refusals at start-up that the settings module leaves to the entry points."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

#: Commands that put the portal into service and so need the production key.
KEY_REQUIRED_COMMANDS = frozenset({"collectstatic"})


def require_secret_key() -> None:
    """Stop with the settings' KEY_MISSING_MESSAGE message when no key is set
    (debug off): the web server and deploying commands never run without one."""
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 (Django validates the key on access)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(settings.KEY_MISSING_MESSAGE) from None
