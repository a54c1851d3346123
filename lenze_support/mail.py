"""Sending one e-mail from a background task, logged without personal data.

Every mail the portal sends (the order link, the helpdesk's order and contact
notifications) goes through :func:`send_logged`: the outcome is logged as
``mail.sent`` or ``mail.failed`` with what the mail is about (ids and order
numbers, never addresses), and a sending error propagates, so the calling task
is retried (background/worker.py).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage

from lenze_support.logs import log_event


def message_id(*, kind: str, key: str) -> str:
    """A Message-ID fixed by what the mail is about: a repeat has the same one,
    so mail systems and the helpdesk recognise it (docs/decisions.md)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{kind}.{key}@{domain}>"


def send_logged(
    message: EmailMessage,
    *,
    kind: str,
    about: dict[str, Any],
    logger: logging.Logger,
    marks_pending: bool = False,
) -> None:
    """Send ``message`` and log ``mail.sent`` / ``mail.failed`` with ``kind`` and
    ``about`` to the caller's ``logger``. ``marks_pending`` says in the failure's line that a
    marker on the row keeps the mail pending (a retry or
    ``send_pending_notifications`` sends it)."""
    try:
        message.send()
    except Exception as error:
        # The class only: SMTP errors may quote addresses and server replies.
        log_event(
            logger,
            "mail.failed",
            level=logging.ERROR,
            kind=kind,
            **about,
            error=type(error).__name__,
            **({"pending": "yes"} if marks_pending else {}),
        )
        raise
    log_event(logger, "mail.sent", kind=kind, **about)
