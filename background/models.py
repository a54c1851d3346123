"""The queue's task rows as the helpdesk sees them (admin "Hintergrundaufgaben")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class BackgroundTask(DBTaskResult):
    """A task row of the database backend; no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("Hintergrundaufgabe")
        verbose_name_plural = _("Hintergrundaufgaben")
        permissions = [
            ("retry_backgroundtask", _("Hintergrundaufgaben sofort erneut versuchen")),
        ]
