"""The real client against the fake over loopback HTTP: typed results, error
bodies, paging, timeouts, no redirects, no token in logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from teamviewer.client import TeamViewerClient
from teamviewer.errors import TeamViewerError

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(tv_fake):
    with TeamViewerClient() as client:
        yield client


def test_ping_accepts_the_token(client):
    assert client.ping() is True


def test_ping_reports_a_revoked_token(client, tv_fake):
    tv_fake.revoke()
    assert client.ping() is False


def test_create_case_returns_the_case_and_does_not_follow_location(client, tv_fake):
    case = client.create_case(
        groupid=tv_fake.group_id, description="RS-1 - ACME", custom_api="RS-1"
    )
    assert case.code.startswith("s") and len(case.code) == 11
    assert case.state == "open"
    assert case.end_customer_link.endswith(case.code)
    assert case.supporter_link
    assert case.valid_until is not None and case.created_at is not None
    # One POST, and no GET to the Location header's URL.
    assert len(tv_fake.calls_to("POST", "/api/v1/sessions")) == 1
    assert tv_fake.calls_to("GET", "/api/v1/sessions/") == []


def test_create_case_sends_only_order_number_and_company(client, tv_fake):
    until = datetime(2030, 1, 1, 12, tzinfo=UTC)
    client.create_case(
        groupid=tv_fake.group_id, description="RS-1 - ACME", custom_api="RS-1", valid_until=until
    )
    (body,) = tv_fake.calls_to("POST", "/api/v1/sessions")
    assert body == {
        "groupid": tv_fake.group_id,
        "description": "RS-1 - ACME",
        "custom_api": "RS-1",
        "valid_until": "2030-01-01T12:00:00Z",
    }


def test_error_body_becomes_one_exception_with_teamviewer_code(client, tv_fake):
    tv_fake.revoke()
    with pytest.raises(TeamViewerError) as caught:
        client.get_case(code="s00-000-000")
    assert caught.value.status == 401
    assert caught.value.code == "invalid_token"
    assert caught.value.error_code == 2
    assert caught.value.token_rejected and not caught.value.retryable


def test_rate_limit_is_retryable(client, tv_fake):
    tv_fake.rate_limit("POST", "/sessions")
    with pytest.raises(TeamViewerError) as caught:
        client.create_case(groupid=tv_fake.group_id, description="x", custom_api="x")
    assert caught.value.rate_limited and caught.value.retryable


def test_server_error_and_malformed_json(client, tv_fake):
    tv_fake.fail("GET", "/ping", status=500)
    with pytest.raises(TeamViewerError) as caught:
        client.ping()
    assert caught.value.status == 500 and caught.value.retryable
    tv_fake.fail("GET", "/ping", status=200, raw_body=b"{not json")
    with pytest.raises(TeamViewerError) as caught:
        client.ping()
    assert caught.value.code == "malformed"


def test_timeout_becomes_a_retryable_error(tv_fake):
    tv_fake.fail("GET", "/ping", status=200, delay=0.5, raw_body=b'{"token_valid": true}')
    with TeamViewerClient(timeout=0.1) as client, pytest.raises(TeamViewerError) as caught:
        client.ping()
    assert caught.value.code == "timeout" and caught.value.status == 0 and caught.value.retryable


def test_redirects_are_not_followed(client, tv_fake):
    tv_fake.fail("GET", "/ping", status=302, error="moved")
    with pytest.raises(TeamViewerError) as caught:
        client.ping()
    assert caught.value.status == 302


def test_connections_follow_next_offset_over_all_pages(client, tv_fake):
    now = datetime.now(UTC).replace(microsecond=0)
    ids = {
        tv_fake.add_connection(
            session_code="s11-111-111",
            start=now - timedelta(minutes=10 * i + 5),
            end=now - timedelta(minutes=10 * i),
        )
        for i in range(5)
    }
    tv_fake.add_connection(session_code="s22-222-222", start=now, end=now + timedelta(minutes=1))
    pages = list(client.connections(session_code="s11-111-111"))
    assert [len(page.records) for page in pages] == [2, 2, 1]
    assert {record.id for page in pages for record in page.records} == ids
    # Newest end first within the walk.
    ends = [r.end_date for page in pages for r in page.records]
    assert ends == sorted(ends, reverse=True)


def test_invalid_offset_is_an_error(client, tv_fake):
    with pytest.raises(TeamViewerError) as caught:
        client.connection_page(offset_id="nope")
    assert caught.value.status == 400 and caught.value.error_code == 4


def test_unreadable_records_are_skipped_not_fatal(client, tv_fake):
    now = datetime.now(UTC)
    good = tv_fake.add_connection(session_code="s11-111-111", start=now, end=now)
    tv_fake.state.records["broken"] = {"id": "", "start_date": "yesterday"}
    page = client.connection_page()
    assert [r.id for r in page.records] == [good]
    assert page.skipped == 1


def test_mark_connection_sets_billing_state_and_notes(client, tv_fake):
    now = datetime.now(UTC)
    record = tv_fake.add_connection(session_code="s11-111-111", start=now, end=now)
    client.mark_connection(record_id=record, billing_state="Billed", notes="RS-2026-000001")
    assert tv_fake.state.records[record]["billing_state"] == "Billed"
    assert tv_fake.state.records[record]["notes"] == "RS-2026-000001"


def test_close_case(client, tv_fake):
    case = client.create_case(groupid=tv_fake.group_id, description="x", custom_api="x")
    client.close_case(code=case.code)
    assert client.get_case(code=case.code).state == "closed"


def test_token_never_appears_in_logs_or_errors(client, tv_fake, caplog):
    caplog.set_level(logging.DEBUG)
    tv_fake.fail("POST", "/sessions", status=500)
    with pytest.raises(TeamViewerError) as caught:
        client.create_case(groupid=tv_fake.group_id, description="x", custom_api="x")
    assert tv_fake.token not in str(caught.value)
    assert tv_fake.token not in caplog.text
    assert "teamviewer.call_failed" in caplog.text


def test_plain_http_to_a_remote_host_is_refused(settings):
    settings.TEAMVIEWER_API_TOKEN = "t"
    with pytest.raises(TeamViewerError) as caught:
        TeamViewerClient(base_url="http://webapi.example.com/api/v1")
    assert caught.value.code == "insecure_url"


def test_plain_http_to_loopback_is_refused_outside_debug(settings, tv_fake):
    settings.TEAMVIEWER_ALLOW_HTTP_LOOPBACK = False
    with pytest.raises(TeamViewerError) as caught:
        TeamViewerClient()
    assert caught.value.code == "insecure_url"
