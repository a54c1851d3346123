"""System checks: a half-configured TeamViewer connection fails `manage.py check`
(and so every deploy and migrate) instead of the first order."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks

from teamviewer.client import is_loopback_url, url_allowed

GROUP_ID = re.compile(r"\Ag[0-9]+\Z")


@checks.register()
def teamviewer_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    url = settings.TEAMVIEWER_API_URL
    if not url_allowed(url):
        hint = "Use https://webapi.teamviewer.com/api/v1 (the default)."
        if is_loopback_url(url):
            hint += " Plain http to a loopback address is allowed only in debug mode."
        errors.append(
            checks.Error(
                f"TEAMVIEWER_API_URL={url!r} is not an https URL.", hint=hint, id="teamviewer.E001"
            )
        )
    if settings.TEAMVIEWER_API_TOKEN and not GROUP_ID.match(settings.TEAMVIEWER_GROUP_ID):
        errors.append(
            checks.Error(
                "TEAMVIEWER_API_TOKEN is set but TEAMVIEWER_GROUP_ID is missing or not a group id.",
                hint="Set TEAMVIEWER_GROUP_ID to the service queue's group id (g followed by "
                "digits, see docs/teamviewer.md), or leave the token empty to turn the "
                "integration off.",
                id="teamviewer.E002",
            )
        )
    for name in (
        "TEAMVIEWER_CASE_VALID_HOURS",
        "TEAMVIEWER_SYNC_MINUTES",
        "TEAMVIEWER_MAX_ATTEMPTS",
    ):
        value = getattr(settings, name)
        if not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(f"{name} must be a whole number, at least 1.", id="teamviewer.E003")
            )
    if settings.TEAMVIEWER_TIMEOUT_SECONDS <= 0:
        errors.append(
            checks.Error("TEAMVIEWER_TIMEOUT_SECONDS must be positive.", id="teamviewer.E004")
        )
    if settings.TEAMVIEWER_DEMO and not settings.DEBUG:
        errors.append(
            checks.Error(
                "TEAMVIEWER_DEMO is for local demos (DJANGO_DEBUG=1) only.", id="teamviewer.E005"
            )
        )
    return errors
