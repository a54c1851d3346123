import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from orders.errors import OrderError
from orders.models import SupportRequest
from orders.selectors import support_request_by_token, token_hash
from orders.services import (
    support_request_create,
    support_request_reissue,
    support_request_revoke,
)
from tests.factories import support_request

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_a_256_bit_token_is_stored(offer):
    request, token = support_request()
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert request.token_hash == token_hash(token)
    row = SupportRequest.objects.filter(pk=request.pk).values()[0]
    assert token not in {str(value) for value in row.values()}


def test_link_expires_after_configured_days(offer, settings):
    settings.SUPPORT_REQUEST_EXPIRY_DAYS = 3
    request, _token = support_request()
    assert (request.expires_at - request.created_at).days == 3
    assert request.state == SupportRequest.State.OPEN


def test_email_with_conditions_and_link_is_sent_after_commit(
    offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = support_request_create(
            company="ACME GmbH", email="it@acme.example", case_reference="HD-1"
        )
    message = mail.outbox[0]
    assert message.to == ["it@acme.example"]
    assert "HD-1" in message.subject
    assert issued.url in message.body
    for text in ("100,00 €", "25,00 €", "15-Minuten-Takten", "Umsatzsteuer", "Field-Service"):
        assert text in message.body
    assert "helpdesk@example.com" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert isinstance(html, str)
    assert issued.url in html
    issued.support_request.refresh_from_db()
    assert issued.support_request.emailed_at is not None


def test_english_request_gets_english_email_and_link(offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = support_request_create(company="ACME Ltd", email="it@acme.example", language="en")
    assert "/en/order/" in issued.url
    assert "Commercial conditions" in mail.outbox[0].body
    assert "€100.00" in mail.outbox[0].body


def test_no_email_option_sends_nothing(offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        support_request_create(company="ACME", email="a@acme.example", send_email=False)
    assert mail.outbox == []


def test_reissue_invalidates_the_old_link(offer):
    request, old_token = support_request()
    issued = support_request_reissue(support_request=request, send_email=False)
    assert support_request_by_token(token=old_token) is None
    found = support_request_by_token(token=issued.token)
    assert found is not None
    assert found.pk == request.pk


def test_reissue_revives_an_expired_link(offer):
    request, _token = support_request()
    SupportRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=30),
        expires_at=timezone.now() - timedelta(days=1),
    )
    issued = support_request_reissue(support_request=request, send_email=False)
    assert issued.support_request.state == SupportRequest.State.OPEN


def test_revoked_request_cannot_be_reissued(offer):
    request, _token = support_request()
    support_request_revoke(support_request=request)
    with pytest.raises(OrderError) as error:
        support_request_reissue(support_request=request, send_email=False)
    assert error.value.message == OrderError.REVOKED
    request.refresh_from_db()
    assert request.state == SupportRequest.State.REVOKED


def test_create_support_request_command_prints_link_last(offer):
    from io import StringIO

    out = StringIO()
    call_command(
        "create_support_request",
        "--company=ACME GmbH",
        "--email=it@acme.example",
        "--case-ref=HD-9",
        "--country=AT",
        "--vat-id=ATU13585627",
        "--no-email",
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    match = re.fullmatch(r"http://127\.0\.0\.1:8000/auftrag/([A-Za-z0-9_-]{43})/", last)
    assert match is not None
    request = support_request_by_token(token=match.group(1))
    assert request is not None
    assert request.company == "ACME GmbH" and request.country == "AT"
    assert request.vat_id == "ATU13585627"
    assert mail.outbox == []


def test_create_support_request_command_refuses_invalid_email(offer):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_support_request", "--company=ACME", "--email=not-an-email")
    assert SupportRequest.objects.count() == 0
