"""Writes on contact messages: submit, mark handled, purge."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from background import queue
from contact import tasks
from contact.errors import ContactError
from contact.models import ContactMessage
from contact.selectors import contact_messages_purgeable
from lenze_support import mail

logger = logging.getLogger(__name__)


def contact_message_submit(
    *,
    name: str,
    company: str,
    email: str,
    message: str,
    phone: str = "",
    reference: str = "",
    language: str = "de",
) -> ContactMessage:
    """Store a message from the contact form; a background task e-mails it to the helpdesk.

    The values are stored exactly as given (markup stays text; every page, the
    admin and the plain-text e-mail show it as text).

    Raises ``ContactError(INVALID_MESSAGE)`` when a value fails validation;
    nothing is stored then.
    """
    contact_message = ContactMessage(
        name=name,
        company=company,
        email=email,
        phone=phone,
        reference=reference,
        message=message,
        language=language,
    )
    try:
        contact_message.full_clean()
    except ValidationError as exc:
        raise ContactError(
            ContactError.INVALID_MESSAGE, details=", ".join(sorted(exc.message_dict))
        ) from exc
    with transaction.atomic():
        contact_message.save()
        # The helpdesk's copy is a background task written with the message.
        queue.enqueue(
            tasks.notify_helpdesk_of_contact_message, contact_message_id=contact_message.pk
        )
    logger.info("contact.message.submitted id=%s", contact_message.pk)
    return contact_message


def contact_message_notify_helpdesk(*, contact_message_id: int) -> bool:
    """Send the helpdesk a plain-text copy (German, the agents' language), once.

    Runs in the worker (``contact.tasks.notify_helpdesk_of_contact_message``).
    Returns False without sending if the copy was sent before. A sending error
    propagates (the task is retried); the message's ``Message-ID`` is fixed by
    the message's id, so a repeat after a worker died mid-send is recognisable.

    Raises ContactMessage.DoesNotExist if the message was deleted (purged).
    """
    contact_message = ContactMessage.objects.get(pk=contact_message_id)
    if contact_message.helpdesk_notified_at is not None:
        return False
    with translation.override("de"):
        context = {"contact_message": contact_message, "site_url": settings.SITE_URL}
        subject = gettext("Kontaktformular: Nachricht von %(company)s") % {
            "company": contact_message.company
        }
        body = render_to_string("contact/email/helpdesk_notification.txt", context)
    pk = contact_message.pk
    about = {"contact_message": pk}
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[settings.HELPDESK_EMAIL],
        reply_to=[contact_message.email],
        headers={"Message-ID": mail.message_id(kind="contact-message", key=str(pk))},
    )
    mail.send_logged(message, kind="contact_message", about=about, logger=logger)
    ContactMessage.objects.filter(pk=pk, helpdesk_notified_at__isnull=True).update(
        helpdesk_notified_at=timezone.now()
    )
    return True


def contact_message_mark_handled(
    *, contact_message: ContactMessage, by: AbstractBaseUser, at: datetime | None = None
) -> ContactMessage:
    """Record that ``by`` handled the message (now, unless ``at`` is given).

    Raises ``ContactError(ALREADY_HANDLED)`` if it was handled before; the first
    record of who handled it stays.
    """
    with transaction.atomic():
        locked = ContactMessage.objects.select_for_update().get(pk=contact_message.pk)
        if locked.handled_at is not None:
            raise ContactError(ContactError.ALREADY_HANDLED)
        locked.handled_at = at or timezone.now()
        locked.handled_by = by  # type: ignore[assignment]
        locked.full_clean()
        locked.save(update_fields=["handled_at", "handled_by"])
    logger.info("contact.message.handled id=%s by=%s", locked.pk, by.pk)
    return locked


def contact_messages_purge(*, days: int, now: datetime | None = None) -> int:
    """Delete handled messages whose handling is more than ``days`` days ago.

    Returns the number of deleted messages. Raises ``ContactError(INVALID_RETENTION)``
    for fewer than one day.
    """
    if days < 1:
        raise ContactError(ContactError.INVALID_RETENTION)
    with transaction.atomic():
        deleted, _per_model = contact_messages_purgeable(days=days, now=now).delete()
    logger.info("contact.messages.purged count=%s days=%s", deleted, days)
    return deleted
