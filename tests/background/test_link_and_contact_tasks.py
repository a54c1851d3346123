"""The customer's link e-mail and the contact form's copy to the helpdesk as tasks."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background import sealing
from contact import tasks as contact_tasks
from contact.models import ContactMessage
from contact.services import contact_message_submit
from orders import tasks
from orders.models import SupportRequest
from orders.services import support_request_create, support_request_reissue, support_request_revoke

pytestmark = pytest.mark.django_db


def create(**fields):
    return support_request_create(
        company="ACME GmbH", email="it@acme.example", case_reference="HD-1", **fields
    )


def test_the_link_task_carries_the_token_sealed_never_in_clear(offer, db_tasks):
    issued = create()
    task = DBTaskResult.objects.get()
    assert task.task_path == "orders.tasks.send_order_link"
    assert issued.token not in json.dumps(task.args_kwargs)
    sealed = task.args_kwargs["kwargs"]["sealed_token"]
    assert sealing.unseal(sealed) == issued.token
    assert mail.outbox == []  # sent by the worker, not by the agent's request


def test_the_worker_mails_the_link_once(offer, run_worker):
    issued = create()
    run_worker()
    [message] = mail.outbox
    assert message.to == ["it@acme.example"] and issued.url in message.body
    issued.support_request.refresh_from_db()
    assert issued.support_request.emailed_at is not None
    # The same task again (a worker died after sending): not a second mail.
    tasks.send_order_link.enqueue(
        support_request_id=issued.support_request.pk, sealed_token=sealing.seal(issued.token)
    )
    run_worker()
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("return_value", flat=True)) == {
        "sent",
        "already sent",
    }


def test_a_link_replaced_before_it_was_sent_is_not_mailed(offer, run_worker):
    issued = create()
    newer = support_request_reissue(support_request=issued.support_request)
    run_worker()
    [message] = mail.outbox  # only the current link
    assert newer.url in message.body and issued.url not in message.body


def test_a_revoked_requests_link_is_not_mailed(offer, run_worker):
    issued = create()
    support_request_revoke(support_request=issued.support_request)
    run_worker()
    assert mail.outbox == []
    assert DBTaskResult.objects.get().return_value == "revoked"


def test_a_link_task_for_a_purged_request_fails_with_a_clear_reason(offer, run_worker):
    issued = create()
    SupportRequest.objects.filter(pk=issued.support_request.pk).delete()
    run_worker()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED and len(task.worker_ids) == 1
    assert task.exception_class_path == "background.worker.PermanentTaskError"
    assert task.traceback.endswith(
        f"PermanentTaskError: support request {issued.support_request.pk} "
        "no longer exists (purged?)\n"
    )


def test_a_link_sealed_under_an_unknown_key_fails_at_once(offer, run_worker, settings):
    issued = create(send_email=False)
    sealed = sealing.seal(issued.token)
    original_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    tasks.send_order_link.enqueue(support_request_id=issued.support_request.pk, sealed_token=sealed)
    run_worker()
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    settings.SECRET_KEY_FALLBACKS = [original_key]
    assert sealing.unseal(sealed) == issued.token  # a rotated key still opens it


def contact_message(**fields):
    return contact_message_submit(
        name="Erika Mustermann",
        company="Muster GmbH",
        email="erika@muster.example",
        message="Bitte um Rückruf.",
        **fields,
    )


def test_the_contact_message_copy_is_a_task_sent_once(run_worker):
    message = contact_message()
    assert mail.outbox == []
    run_worker()
    [copy] = mail.outbox
    assert copy.to == ["helpdesk@example.com"] and copy.reply_to == ["erika@muster.example"]
    message.refresh_from_db()
    assert message.helpdesk_notified_at is not None
    contact_tasks.notify_helpdesk_of_contact_message.enqueue(contact_message_id=message.pk)
    run_worker()
    assert len(mail.outbox) == 1


def test_a_contact_task_for_a_purged_message_fails_with_a_clear_reason(run_worker):
    message = contact_message()
    ContactMessage.objects.filter(pk=message.pk).update(handled_at=timezone.now())
    ContactMessage.objects.filter(pk=message.pk).delete()
    run_worker()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "background.worker.PermanentTaskError"
