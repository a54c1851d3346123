"""Retention: purge_expired_requests deletes requests that never became orders."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import Order, SupportRequest
from tests.factories import billing_order, support_request

pytestmark = pytest.mark.django_db


def expire(request, days_ago: int) -> None:
    SupportRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago + 20),
        expires_at=timezone.now() - timedelta(days=days_ago),
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired_requests", *args, stdout=out)
    return out.getvalue()


def test_expired_requests_without_order_are_deleted_after_the_retention(settings, offer):
    settings.SUPPORT_REQUEST_RETENTION_DAYS = 90
    old, _ = support_request(email="alt@example.com")
    recent, _ = support_request(email="neu@example.com")
    still_open, _ = support_request(email="offen@example.com")
    expire(old, 91)
    expire(recent, 30)
    output = run()
    assert "Deleted 1 support request " in output
    assert "retention 90 days" in output
    assert set(SupportRequest.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}


def test_revoked_requests_count_from_the_revocation(offer):
    revoked, _ = support_request()
    SupportRequest.objects.filter(pk=revoked.pk).update(
        revoked_at=timezone.now() - timedelta(days=11)
    )
    run("--days", "10")
    assert not SupportRequest.objects.filter(pk=revoked.pk).exists()


def test_requests_with_an_order_are_kept_forever(offer):
    order = billing_order(offer=offer, status="billed")
    expire(order.support_request, 5000)
    output = run("--days", "0")
    assert "Deleted 0 support requests" in output
    assert Order.objects.filter(pk=order.pk).exists()
    assert SupportRequest.objects.filter(pk=order.support_request_id).exists()


def test_dry_run_reports_without_deleting(offer):
    old, _ = support_request()
    expire(old, 400)
    output = run("--dry-run")
    assert "Would delete 1 support request " in output
    assert str(old.pk) in output
    assert SupportRequest.objects.filter(pk=old.pk).exists()


def test_negative_days_are_refused(offer):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        run("--days", "-1")
