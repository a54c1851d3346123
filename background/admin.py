"""Admin "Hintergrundaufgaben": the task queue, read-only, for the helpdesk lead.

Lists every task with its state, attempts, next try and the last error's class
(never its message: SMTP errors quote addresses). The only write is the action
"Jetzt erneut versuchen" (permission ``retry_backgroundtask``): a failed or
waiting task is due again at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background import selectors
from background.models import BackgroundTask

# The backend's own (English, editable) admin is replaced by this one.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

#: What each task does, as the helpdesk says it.
TASK_LABELS = {
    "orders.tasks.notify_helpdesk_of_order": _("Helpdesk über neuen Auftrag informieren"),
    "orders.tasks.send_order_link": _("Bestelllink an den Kunden senden"),
    "contact.tasks.notify_helpdesk_of_contact_message": _("Kontaktnachricht an den Helpdesk"),
    "background.tasks.run_scheduled_command": _("Geplante Wartung"),
    "vat.tasks.check_vat_id": _("USt-IdNr. bei VIES prüfen"),
    "teamviewer.tasks.open_case": _("TeamViewer-Servicefall anlegen"),
    "teamviewer.tasks.close_case": _("TeamViewer-Servicefall schließen"),
    "teamviewer.tasks.push_marks": _("Abrechnungsstand an TeamViewer melden"),
    "teamviewer.tasks.sync": _("TeamViewer abgleichen"),
}

STATUS_LABELS: dict[str, StrOrPromise] = {
    TaskResultStatus.READY: _("wartet"),
    TaskResultStatus.RUNNING: _("läuft"),
    TaskResultStatus.SUCCESSFUL: _("erledigt"),
    TaskResultStatus.FAILED: _("fehlgeschlagen"),
}


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(admin.ModelAdmin):
    list_display = [
        "task_label",
        "state",
        "subject",
        "attempt_count",
        "enqueued_at",
        "next_attempt",
        "last_error",
        "finished_at",
    ]
    list_filter = ["status", "task_path"]
    ordering = ["-enqueued_at"]
    date_hierarchy = "enqueued_at"
    list_per_page = 50
    fields = readonly_fields = (
        "task_label",
        "state",
        "subject",
        "attempt_count",
        "enqueued_at",
        "started_at",
        "next_attempt",
        "finished_at",
        "last_error",
        "queue_name",
        "id",
    )
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("background.retry_backgroundtask")

    @admin.display(description=_("Aufgabe"), ordering="task_path")
    def task_label(self, task: BackgroundTask) -> str:
        return str(TASK_LABELS.get(task.task_path, task.task_path))

    @admin.display(description=_("Status"), ordering="status")
    def state(self, task: BackgroundTask) -> str:
        label = str(STATUS_LABELS.get(task.status, task.status))
        if task.status == TaskResultStatus.READY and task.exception_class_path:
            return str(_("wartet auf erneuten Versuch"))
        return label

    @admin.display(description=_("Betrifft"))
    def subject(self, task: BackgroundTask) -> str:
        # Object ids only: secret arguments (the sealed link token) stay hidden.
        kwargs = task.args_kwargs.get("kwargs", {})
        return ", ".join(
            f"{name.removesuffix('_id')} {value}"
            for name, value in kwargs.items()
            if name.endswith("_id")
        )

    @admin.display(description=_("Versuche"))
    def attempt_count(self, task: BackgroundTask) -> int:
        return selectors.attempts(task)

    @admin.display(description=_("Nächster Versuch"), ordering="run_after")
    def next_attempt(self, task: BackgroundTask) -> datetime | None:
        return selectors.next_attempt_at(task)

    @admin.display(description=_("Letzter Fehler"), ordering="exception_class_path")
    def last_error(self, task: BackgroundTask) -> str:
        return selectors.error_class(task)

    @admin.action(description=_("Jetzt erneut versuchen"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[BackgroundTask]) -> None:
        count = queryset.filter(
            status__in=[TaskResultStatus.FAILED, TaskResultStatus.READY]
        ).update(status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None)
        skipped = queryset.count() - count
        messages.success(
            request,
            ngettext(
                "%(count)d Aufgabe wird sofort erneut versucht.",
                "%(count)d Aufgaben werden sofort erneut versucht.",
                count,
            )
            % {"count": count},
        )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d Aufgabe läuft gerade oder ist erledigt: unverändert.",
                    "%(count)d Aufgaben laufen gerade oder sind erledigt: unverändert.",
                    skipped,
                )
                % {"count": skipped},
            )
