"""Admin "Hintergrundaufgaben" (helpdesk lead) and ``manage.py check_tasks``."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.admin import TASK_LABELS
from orders import tasks
from tests.factories import agent

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:background_backgroundtask_changelist")


@pytest.fixture
def failed_task(db_tasks):
    tasks.notify_helpdesk_of_order.enqueue(order_id=4711)
    DBTaskResult.objects.update(
        status=TaskResultStatus.FAILED,
        worker_ids=["w1"] * 13,
        finished_at=timezone.now(),
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback="Traceback ...\nSMTPRecipientsRefused\n",
    )
    return DBTaskResult.objects.get()


@pytest.fixture
def lead_client(client):
    client.force_login(agent("lead", "Helpdesk lead"))
    return client


def test_the_lead_sees_the_tasks_in_german_without_error_messages(lead_client, failed_task):
    response = lead_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Hintergrundaufgaben",
        "Helpdesk über neuen Auftrag informieren",
        "fehlgeschlagen",
        "SMTPRecipientsRefused",
        "order 4711",
        '<td class="field-attempt_count">13</td>',
        "Jetzt erneut versuchen",
    ):
        assert text in html, text
    detail = lead_client.get(
        reverse("admin:background_backgroundtask_change", args=[failed_task.pk])
    )
    assert detail.status_code == 200
    assert "Traceback" not in detail.content.decode()


def test_an_agent_without_the_lead_role_does_not_see_the_tasks(client, failed_task):
    client.force_login(agent("agent", "Helpdesk"))
    assert client.get(CHANGELIST).status_code == 403


def test_retry_now_makes_a_failed_task_due_again(lead_client, failed_task):
    response = lead_client.post(
        CHANGELIST,
        {"action": "retry_now", "_selected_action": [str(failed_task.pk)]},
        follow=True,
    )
    assert "1 Aufgabe wird sofort erneut versucht." in response.content.decode()
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.READY
    assert failed_task.run_after <= timezone.now()
    assert DBTaskResult.objects.ready().count() == 1


def test_the_tasks_cannot_be_added_edited_or_deleted(lead_client, failed_task):
    assert lead_client.get(reverse("admin:background_backgroundtask_add")).status_code == 403
    delete = reverse("admin:background_backgroundtask_delete", args=[failed_task.pk])
    assert lead_client.post(delete, {"post": "yes"}).status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_check_tasks_passes_on_a_healthy_queue(db_tasks, capsys):
    tasks.notify_helpdesk_of_order.enqueue(order_id=1)  # just enqueued
    call_command("check_tasks")
    assert "due=1 oldest_due_waiting=0s" in capsys.readouterr().out


def test_check_tasks_fails_when_a_due_task_waits_too_long(db_tasks):
    tasks.notify_helpdesk_of_order.enqueue(order_id=1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    with pytest.raises(CommandError, match=r"waited 6\d\ds for a worker"):
        call_command("check_tasks", "--max-wait", "300")
    call_command("check_tasks", "--max-wait", "900")


def test_check_tasks_counts_a_retry_as_due_from_its_next_attempt(db_tasks):
    tasks.notify_helpdesk_of_order.enqueue(order_id=1)
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - timedelta(hours=5),
        run_after=timezone.now() + timedelta(hours=1),
        exception_class_path="builtins.ConnectionRefusedError",
        worker_ids=["w"] * 5,
    )
    call_command("check_tasks")  # waiting for its next attempt is not overdue


def test_check_tasks_fails_on_failed_tasks(failed_task):
    with pytest.raises(CommandError, match=r"1 task\(s\) failed for good"):
        call_command("check_tasks")
    call_command("check_tasks", "--max-failed", "1")


def test_every_task_of_the_portal_has_a_name_for_the_lead():
    # A task without a label would appear under its dotted code: find every
    # task object in the apps' tasks modules.
    paths = set()
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
            continue
        paths |= {obj.module_path for obj in vars(module).values() if isinstance(obj, Task)}
    assert "orders.tasks.notify_helpdesk_of_order" in paths
    assert paths - set(TASK_LABELS) == set()
