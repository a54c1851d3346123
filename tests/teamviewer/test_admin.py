"""The helpdesk's view: the case on the order page with the supporter link, and
the order actions to re-create a failed case and to sync now."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teamviewer import services
from teamviewer.models import ServiceCase
from tests.factories import agent

pytestmark = pytest.mark.django_db


def test_agent_sees_code_and_supporter_link_on_the_order_page(client, placed_order, tv_fake):
    case = services.case_open(case_id=placed_order.teamviewer_case.pk)
    assert case is not None
    client.force_login(agent("hd"))
    page = client.get(reverse("admin:orders_order_change", args=[placed_order.pk])).content.decode()
    assert case.code in page
    assert "Sitzung in TeamViewer öffnen" in page
    assert case.supporter_link in page


def test_failed_case_shows_the_reason(client, placed_order, tv_fake):
    tv_fake.revoke()
    services.case_open(case_id=placed_order.teamviewer_case.pk)
    client.force_login(agent("hd"))
    page = client.get(reverse("admin:orders_order_change", args=[placed_order.pk])).content.decode()
    assert "API-Token abgelehnt" in page


def test_order_action_recreates_a_failed_case(
    client, placed_order, tv_fake, django_capture_on_commit_callbacks
):
    tv_fake.revoke()
    services.case_open(case_id=placed_order.teamviewer_case.pk)
    tv_fake.set_permissions({"Sessions.Create"})
    client.force_login(agent("hd"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:orders_order_changelist"),
            {"action": "action_teamviewer_retry", "_selected_action": [placed_order.pk]},
            follow=True,
        )
    assert "Sitzung wird neu angelegt" in response.content.decode()
    assert ServiceCase.objects.get(order=placed_order).status == ServiceCase.Status.OPEN


def test_order_action_syncs_now(client, placed_order, tv_fake):
    client.force_login(agent("hd"))
    response = client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "action_teamviewer_sync", "_selected_action": [placed_order.pk]},
        follow=True,
    )
    assert "Abgleich: 1 Sitzungen angelegt" in response.content.decode()
    assert ServiceCase.objects.get(order=placed_order).status == ServiceCase.Status.OPEN


def test_order_page_lists_connections_flags_and_whether_teamviewer_agrees(
    client, placed_order, tv_fake
):
    from datetime import UTC, datetime, timedelta

    from teamviewer.models import ConnectionReport

    case = services.case_open(case_id=placed_order.teamviewer_case.pk)
    assert case is not None
    now = datetime.now(UTC).replace(microsecond=0)
    tv_fake.add_connection(
        session_code=case.code, start=now - timedelta(minutes=30), end=now - timedelta(minutes=18)
    )
    tv_fake.add_connection(
        session_code=case.code, start=now - timedelta(minutes=10), end=now - timedelta(minutes=12)
    )
    services.sync_pass()
    ConnectionReport.objects.filter(problem="").update(wanted_billing_state="Billed")
    client.force_login(agent("hd"))
    page = client.get(reverse("admin:orders_order_change", args=[placed_order.pk])).content.decode()
    assert "TeamViewer-Verbindungen" in page
    assert "Ende vor Beginn" in page
    assert "übernommen" in page
    assert "nein, ausstehend: Billed" in page
    assert "TeamViewer" in page  # the session's source in the sessions inline
