"""Reads on contact messages that carry rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from contact.models import ContactMessage


def contact_messages_purgeable(
    *, days: int, now: datetime | None = None
) -> QuerySet[ContactMessage]:
    """Handled messages whose handling lies more than ``days`` days back.

    Unhandled messages are never purgeable, however old: nobody has answered them yet.
    """
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return ContactMessage.objects.filter(handled_at__isnull=False, handled_at__lt=cutoff)
