"""Background tasks of the contact form (run by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks.base import task

from background.worker import PermanentTaskError
from contact.models import ContactMessage


@task()
def notify_helpdesk_of_contact_message(*, contact_message_id: int) -> str:
    """E-mail the helpdesk a copy of a contact message, once."""
    from contact.services import contact_message_notify_helpdesk

    try:
        sent = contact_message_notify_helpdesk(contact_message_id=contact_message_id)
    except ContactMessage.DoesNotExist as error:
        raise PermanentTaskError(
            f"contact message {contact_message_id} no longer exists (purged?)"
        ) from error
    return "sent" if sent else "already sent"
