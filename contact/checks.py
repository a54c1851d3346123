"""System checks for the contact settings, so a typo fails `manage.py check`
(run by CI and on every migrate) instead of the first customer's post."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks

RATE = re.compile(r"\A[1-9][0-9]*/[0-9]*[smhd]\Z")


@checks.register()
def contact_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if not RATE.match(str(settings.CONTACT_RATE_LIMIT)):
        errors.append(
            checks.Error(
                f"CONTACT_RATE_LIMIT={settings.CONTACT_RATE_LIMIT!r} is not a rate.",
                hint="Use count/period, e.g. 10/h, 5/10m, 100/d.",
                id="contact.E001",
            )
        )
    if not isinstance(settings.CONTACT_RETENTION_DAYS, int) or settings.CONTACT_RETENTION_DAYS < 1:
        errors.append(
            checks.Error(
                "CONTACT_RETENTION_DAYS must be a whole number of days, at least 1.",
                id="contact.E002",
            )
        )
    return errors
