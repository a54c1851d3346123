"""VAT facts on support requests: checked VAT IDs, VIES confirmation, business
customers outside the EU, and the treatment the order freezes from them."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from orders.errors import OrderError
from orders.models import Order, SupportRequest
from orders.services import order_place
from tests.factories import support_request
from tests.vat.support import (  # noqa: F401 (fixtures)
    fake_vies_fixture,
    saved_request,
    vies_worker_fixture,
)
from vat.ids import VatIdError

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/orders/supportrequest/add/"


@pytest.fixture
def agent_client(client, db):
    user = User.objects.create_user("agent", password="pw-agent-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Helpdesk"))
    client.force_login(user)
    client.user = user
    return client


def add_form(**fields):
    return {
        "company": "Alpen Antriebe GmbH",
        "email": "it@alpen.example",
        "language": "de",
        "country": "AT",
        "vat_id": "",
        **fields,
    }


# --- the service and the command line -------------------------------------------------


def test_vat_id_is_stored_in_its_compact_form(offer):
    request, _token = support_request(country="AT", vat_id=" atu 135.856-27 ")
    assert request.vat_id == "ATU13585627"
    assert request.vies_status == SupportRequest.ViesStatus.UNCHECKED


def test_invalid_vat_id_is_refused_and_nothing_is_written(offer):
    with pytest.raises(ValidationError) as error:
        support_request(country="AT", vat_id="ATU13585628")
    assert error.value.message_dict["vat_id"] == [
        str(VatIdError.BAD_CHECKSUM % {"vat_id": "ATU13585628", "expected": "AT"})
    ]
    assert SupportRequest.objects.count() == 0


def test_command_line_refuses_a_bad_vat_id_in_german(offer):
    with pytest.raises(CommandError) as error:
        call_command(
            "create_support_request",
            "--company=ACME",
            "--email=it@acme.example",
            "--country=AT",
            "--vat-id=FR40303265045",
        )
    assert "passt also nicht zum Land des Kunden" in str(error.value)
    assert SupportRequest.objects.count() == 0


def test_command_line_confirms_a_business_outside_the_eu(offer):
    out = StringIO()
    call_command(
        "create_support_request",
        "--company=Zuerich Automation AG",
        "--email=it@zuerich.example",
        "--country=CH",
        "--business-evidence=UID CHE-123.456.788",
        "--no-email",
        stdout=out,
    )
    request = SupportRequest.objects.get()
    assert request.business_evidence == "UID CHE-123.456.788"
    assert request.business_confirmed_at is not None
    assert request.business_confirmed_by is None  # the command line has no user


def test_business_evidence_inside_the_eu_is_refused(offer):
    with pytest.raises(ValidationError) as error:
        support_request(country="FR", business_evidence="SIREN 303265045")
    assert error.value.message_dict["business_evidence"] == [
        str(OrderError.BUSINESS_EVIDENCE_IN_EU)
    ]


def created_and_checked(capture, **fields):
    """A request created through the service, with the work it queued run at the
    commit (the immediate task backend: one attempt, no retries)."""
    with capture(execute=True):
        request, _token = support_request(**fields)
    request.refresh_from_db()
    return request


def test_vies_confirmation_is_stored_with_date_and_identifier(
    offer, fake_vies, django_capture_on_commit_callbacks
):
    request = created_and_checked(
        django_capture_on_commit_callbacks, country="AT", vat_id="ATU13585627"
    )
    assert request.vies_status == SupportRequest.ViesStatus.CONFIRMED
    assert request.vies_checked_at is not None
    assert request.vies_request_identifier.startswith("WAPI")
    assert fake_vies.received[0]["requesterNumber"] == "136695976"


def test_unreachable_vies_creates_the_request_marked_not_confirmed(
    offer, fake_vies, django_capture_on_commit_callbacks
):
    fake_vies.delay = 2
    request = created_and_checked(
        django_capture_on_commit_callbacks, country="AT", vat_id="ATU13585627"
    )
    assert request.vies_status == SupportRequest.ViesStatus.NOT_CONFIRMED
    assert request.vies_error == "TIMEOUT"


def test_vies_error_answer_is_recorded(offer, fake_vies, django_capture_on_commit_callbacks):
    fake_vies.errors["ATU13585627"] = (200, "MS_MAX_CONCURRENT_REQ")
    request = created_and_checked(
        django_capture_on_commit_callbacks, country="AT", vat_id="ATU13585627"
    )
    assert request.vies_status == SupportRequest.ViesStatus.NOT_CONFIRMED
    assert request.vies_error == "MS_MAX_CONCURRENT_REQ"


def test_german_customers_are_not_sent_to_vies(
    offer, fake_vies, django_capture_on_commit_callbacks
):
    request = created_and_checked(
        django_capture_on_commit_callbacks, country="DE", vat_id="DE136695976"
    )
    assert fake_vies.received == []
    assert request.vies_status == SupportRequest.ViesStatus.UNCHECKED


# --- the treatment frozen on the order --------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "treatment"),
    [
        ({"country": "DE", "vat_id": "DE136695976"}, "standard"),
        ({"country": "AT", "vat_id": "ATU13585627"}, "reverse_charge"),
        ({"country": "FR", "vat_id": ""}, "standard"),
        ({"country": "CH"}, "standard"),
        ({"country": "CH", "business_evidence": "UID CHE-123.456.788"}, "not_taxable"),
        ({"country": "US", "business_evidence": "EIN 12-3456789"}, "not_taxable"),
    ],
)
def test_treatment_follows_the_checked_facts(offer, shown, fields, treatment):
    request, _token = support_request(**fields)
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert order.vat_treatment == treatment


def test_vat_id_reported_invalid_by_vies_is_billed_with_german_vat(
    offer, shown, fake_vies, django_capture_on_commit_callbacks
):
    fake_vies.registered.clear()
    request = created_and_checked(
        django_capture_on_commit_callbacks, country="AT", vat_id="ATU13585627"
    )
    assert request.vies_status == SupportRequest.ViesStatus.INVALID
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert order.vat_treatment == Order.VatTreatment.STANDARD


def test_unconfirmed_vies_keeps_reverse_charge_on_the_checked_number(
    offer, shown, fake_vies, django_capture_on_commit_callbacks
):
    fake_vies.errors["ATU13585627"] = (500, "MS_UNAVAILABLE")
    request = created_and_checked(
        django_capture_on_commit_callbacks, country="AT", vat_id="ATU13585627"
    )
    assert request.vies_status == SupportRequest.ViesStatus.NOT_CONFIRMED
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert order.vat_treatment == Order.VatTreatment.REVERSE_CHARGE


def test_order_page_names_the_not_taxable_treatment(client, offer):
    _request, token = support_request(country="CH", business_evidence="UID CHE-123.456.788")
    page = client.get(reverse("orders:order", kwargs={"token": token})).content.decode()
    assert "nicht im Inland steuerbar" in page


# --- the admin form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vat_id", "message"),
    [
        ("FR40303265045", "passt also nicht zum Land des Kunden"),
        ("ATU13585628", "Die Prüfziffer der USt-IdNr. ATU13585628 stimmt nicht."),
        ("ATU" + "9" * 197, "Die USt-IdNr. ist zu lang."),
        ("ÄTU13585627", "hat nicht das Format"),
    ],
)
def test_admin_form_refuses_bad_vat_ids_on_the_form(agent_client, offer, vat_id, message):
    response = agent_client.post(ADD_URL, add_form(vat_id=vat_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "errorlist" in html
    assert SupportRequest.objects.count() == 0


def test_admin_form_normalises_the_vat_id(agent_client, offer):
    response = agent_client.post(ADD_URL, add_form(vat_id="atu 135 856 27"))
    assert response.status_code == 200 and "order-link" in response.content.decode()
    assert SupportRequest.objects.get().vat_id == "ATU13585627"


def test_admin_business_confirmation_records_who_and_when(agent_client, offer):
    response = agent_client.post(
        ADD_URL,
        add_form(country="CH", business_confirmed="on", business_evidence="UID CHE-123.456.788"),
    )
    assert response.status_code == 200 and "order-link" in response.content.decode()
    request = SupportRequest.objects.get()
    assert request.business_confirmed_by == agent_client.user
    assert request.business_confirmed_at is not None
    assert request.business_evidence == "UID CHE-123.456.788"
    change_url = reverse("admin:orders_supportrequest_change", args=[request.pk])
    page = agent_client.get(change_url).content.decode()
    assert "Nicht im Inland steuerbar" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"country": "CH", "business_confirmed": "on"}, OrderError.BUSINESS_EVIDENCE_MISSING),
        ({"country": "CH", "business_evidence": "UID CHE-123.456.788"}, "Bitte setzen Sie"),
        (
            {"country": "AT", "business_confirmed": "on", "business_evidence": "FN 12345a"},
            OrderError.BUSINESS_EVIDENCE_IN_EU,
        ),
    ],
)
def test_admin_business_confirmation_needs_box_and_evidence(agent_client, offer, fields, message):
    response = agent_client.post(ADD_URL, add_form(**fields))
    assert response.status_code == 200
    assert str(message)[:40] in response.content.decode()
    assert SupportRequest.objects.count() == 0


def test_admin_warns_when_a_customer_outside_the_eu_is_not_confirmed(agent_client, offer):
    response = agent_client.post(ADD_URL, add_form(country="US"), follow=True)
    assert "Es wird deutsche Umsatzsteuer berechnet" in response.content.decode()


def change_page(client, request) -> str:
    url = reverse("admin:orders_supportrequest_change", args=[request.pk])
    return client.get(url).content.decode()


def recheck(client, request):
    return client.post(
        "/admin/orders/supportrequest/",
        {"action": "vies_recheck", "_selected_action": [request.pk]},
        follow=True,
    )


def test_admin_shows_unreachable_vies_and_rechecks_later(
    agent_client, offer, fake_vies, django_capture_on_commit_callbacks
):
    fake_vies.errors["ATU13585627"] = (200, "VAT_BLOCKED")
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(ADD_URL, add_form(vat_id="ATU13585627"))
    request = SupportRequest.objects.get()
    assert request.vies_status == SupportRequest.ViesStatus.NOT_CONFIRMED
    assert "nicht bestätigt (VIES nicht erreichbar)" in change_page(agent_client, request)

    del fake_vies.errors["ATU13585627"]
    with django_capture_on_commit_callbacks(execute=True):
        response = recheck(agent_client, request)
    assert "wird im Hintergrund bei VIES geprüft" in response.content.decode()
    request.refresh_from_db()
    assert request.vies_status == SupportRequest.ViesStatus.CONFIRMED
    assert request.vies_request_identifier
    assert "von VIES bestätigt" in change_page(agent_client, request)


def test_admin_recheck_returns_without_waiting_for_vies(
    agent_client, offer, fake_vies, vies_worker, settings
):
    fake_vies.delay = 2.5
    request = saved_request()
    response = recheck(agent_client, request)
    assert "wird im Hintergrund bei VIES geprüft" in response.content.decode()
    assert "wartet auf VIES" in change_page(agent_client, request)
    assert fake_vies.received == []

    fake_vies.delay = 0
    vies_worker()
    assert "von VIES bestätigt" in change_page(agent_client, request)


def test_admin_recheck_skips_numbers_vies_has_nothing_to_decide_on(
    agent_client, offer, fake_vies, vies_worker
):
    request = saved_request(country="DE", vat_id="DE136695976")
    response = recheck(agent_client, request)
    assert "Keine VIES-Prüfung" in response.content.decode()
    assert fake_vies.received == []


def test_admin_creation_returns_without_waiting_for_vies(
    agent_client, offer, fake_vies, vies_worker, settings
):
    # VIES is slow: the agent's request must not be the one that waits for it.
    fake_vies.delay = 2.5
    response = agent_client.post(ADD_URL, add_form(vat_id="ATU13585627"), follow=True)
    assert fake_vies.received == []
    assert "wird im Hintergrund bei VIES geprüft" in response.content.decode()
    request = SupportRequest.objects.get()
    assert "wartet auf VIES" in change_page(agent_client, request)

    fake_vies.delay = 0
    vies_worker()
    request.refresh_from_db()
    assert request.vies_status == SupportRequest.ViesStatus.CONFIRMED
    assert request.vies_request_identifier
