"""The VIES client against a fake VIES on loopback: answers, refusals, faults."""

import socket

import pytest

from tests.fakes.vies import fake_vies_server
from vat import vies
from vat.vies import ViesStatus


@pytest.fixture
def fake():
    with fake_vies_server() as server:
        server.registered.add("ATU13585627")
        yield server


def test_registered_number_is_confirmed_with_date_and_request_identifier(fake):
    result = vies.check(vat_id="ATU13585627", base_url=fake.url, requester_vat_id="DE136695976")
    assert result.status is ViesStatus.CONFIRMED
    assert result.request_identifier.startswith("WAPI")
    assert result.checked_at.tzinfo is not None
    assert result.error == ""
    assert fake.received == [
        {
            "countryCode": "AT",
            "vatNumber": "U13585627",
            "requesterMemberStateCode": "DE",
            "requesterNumber": "136695976",
        }
    ]


def test_without_requester_there_is_no_request_identifier(fake):
    result = vies.check(vat_id="ATU13585627", base_url=fake.url)
    assert result.status is ViesStatus.CONFIRMED
    assert result.request_identifier == ""


def test_unregistered_number_is_invalid(fake):
    result = vies.check(vat_id="DE136695976", base_url=fake.url)
    assert result.status is ViesStatus.INVALID


@pytest.mark.parametrize("http_status", [200, 500])
def test_member_state_unavailable_is_not_confirmed_with_its_code(fake, http_status):
    fake.errors["ATU13585627"] = (http_status, "MS_UNAVAILABLE")
    result = vies.check(vat_id="ATU13585627", base_url=fake.url)
    assert result.status is ViesStatus.NOT_CONFIRMED
    assert result.error == "MS_UNAVAILABLE"


def test_timeout_is_not_confirmed(fake):
    fake.delay = 1.0
    result = vies.check(vat_id="ATU13585627", base_url=fake.url, timeout=0.2)
    assert result.status is ViesStatus.NOT_CONFIRMED
    assert result.error == "TIMEOUT"


def test_answer_that_is_not_json_is_not_confirmed(fake):
    fake.raw_answer = (502, "<html>Bad Gateway</html>")
    result = vies.check(vat_id="ATU13585627", base_url=fake.url)
    assert result.status is ViesStatus.NOT_CONFIRMED
    assert result.error == "HTTP_502"
    fake.raw_answer = (200, "<html>maintenance</html>")
    assert vies.check(vat_id="ATU13585627", base_url=fake.url).error == "BAD_RESPONSE"


def test_unreachable_vies_is_not_confirmed():
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = vies.check(vat_id="ATU13585627", base_url=f"http://127.0.0.1:{port}", timeout=1)
    assert result.status is ViesStatus.NOT_CONFIRMED
    assert result.error == "UNREACHABLE"
