from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contact.models import ContactMessage
from tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def messages(admin_user):
    return {
        "handled_old": ContactMessageFactory.create(
            created_at=days_ago(400), handled_at=days_ago(200), handled_by=admin_user
        ),
        "handled_recent": ContactMessageFactory.create(
            created_at=days_ago(400), handled_at=days_ago(10), handled_by=admin_user
        ),
        "open_old": ContactMessageFactory.create(created_at=days_ago(1000)),
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("purge_contact_messages", *args, stdout=out)
    return out.getvalue()


def test_deletes_only_handled_messages_older_than_n_days(messages):
    output = run("--days", "30")
    assert "Deleted 1 " in output
    remaining = set(ContactMessage.objects.values_list("pk", flat=True))
    assert remaining == {messages["handled_recent"].pk, messages["open_old"].pk}


def test_default_period_comes_from_setting(messages, settings):
    settings.CONTACT_RETENTION_DAYS = 5
    # The default is read when the parser is built, i.e. on each call.
    output = run()
    assert "Deleted 2 " in output
    assert list(ContactMessage.objects.all()) == [messages["open_old"]]


def test_default_setting_is_180_days(messages):
    output = run()
    assert "older than 180 days" in output
    assert "Deleted 1 " in output


def test_unhandled_messages_are_never_deleted(messages):
    run("--days", "1")
    assert ContactMessage.objects.filter(pk=messages["open_old"].pk).exists()


def test_dry_run_deletes_nothing(messages):
    output = run("--days", "30", "--dry-run")
    assert "Would delete 1 " in output
    assert ContactMessage.objects.count() == 3


def test_nothing_to_delete_reports_zero():
    assert "Deleted 0 " in run("--days", "30")


def test_days_below_one_is_refused(messages):
    with pytest.raises(CommandError):
        run("--days", "0")
    assert ContactMessage.objects.count() == 3
