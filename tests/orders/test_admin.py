import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from orders.models import Order, SupportRequest
from orders.selectors import support_request_by_token
from orders.services import order_place
from tests.factories import support_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db):
    user = User.objects.create_user("agent", password="pw-agent-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Helpdesk"))
    return user


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_groups_have_the_documented_permissions(db):
    agent = set(Group.objects.get(name="Helpdesk").permissions.values_list("codename", flat=True))
    lead = set(
        Group.objects.get(name="Helpdesk lead").permissions.values_list("codename", flat=True)
    )
    assert {"add_supportrequest", "view_order"} <= agent
    assert "change_tariff" not in agent
    assert {"add_tariff", "change_tariff"} <= lead
    assert not {"delete_order", "delete_supportrequest", "delete_tariff"} & (agent | lead)


def test_agent_creates_request_and_sees_its_link_once(
    agent_client, offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            "/admin/orders/supportrequest/add/",
            {
                "company": "ACME GmbH",
                "email": "it@acme.example",
                "language": "de",
                "country": "DE",
                "send_email": "on",
            },
            follow=True,
        )
    assert response.status_code == 200
    html = response.content.decode()
    link = re.search(r"http://127\.0\.0\.1:8000/auftrag/([A-Za-z0-9_-]{43})/", html)
    assert link
    found = support_request_by_token(token=link.group(1))
    assert found is not None and found.company == "ACME GmbH"
    assert link.group(0) in mail.outbox[0].body
    request = SupportRequest.objects.get()
    assert request.created_by is not None
    assert request.created_by.username == "agent"
    again = agent_client.get(f"/admin/orders/supportrequest/{request.pk}/change/")
    assert link.group(0) not in again.content.decode()


def test_resend_action_issues_a_new_link(agent_client, offer, django_capture_on_commit_callbacks):
    request, old_token = support_request()
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(
            "/admin/orders/supportrequest/",
            {"action": "resend_link", "_selected_action": [request.pk]},
        )
    assert support_request_by_token(token=old_token) is None
    assert len(mail.outbox) == 1 and "/auftrag/" in mail.outbox[0].body


def test_revoke_action_stops_the_link(agent_client, offer):
    request, token = support_request()
    agent_client.post(
        "/admin/orders/supportrequest/", {"action": "revoke_link", "_selected_action": [request.pk]}
    )
    request.refresh_from_db()
    assert request.state == SupportRequest.State.REVOKED
    assert agent_client.get(f"/auftrag/{token}/").status_code == 410


def test_order_admin_is_read_only_and_cannot_delete(admin_client, open_request, shown):
    request, _token = open_request
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    change = admin_client.get(f"/admin/orders/order/{order.pk}/change/")
    assert change.status_code == 200
    html = change.content.decode()
    assert order.number in html and 'name="consent_text"' not in html
    assert admin_client.get(f"/admin/orders/order/{order.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/orders/order/add/").status_code == 403
    admin_client.post(f"/admin/orders/order/{order.pk}/change/", {"consent_text": "x"})
    order.refresh_from_db()
    assert order.consent_text.startswith("Ich habe")
    assert Order.objects.count() == 1


def test_order_and_request_lists_are_searchable(admin_client, open_request, shown):
    request, _token = open_request
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert (
        order.number in admin_client.get("/admin/orders/order/", {"q": "Muster"}).content.decode()
    )
    assert (
        "Maschinenbau Muster"
        in admin_client.get("/admin/orders/supportrequest/", {"q": order.number}).content.decode()
    )


def test_each_order_row_has_a_labelled_action_checkbox(admin_client, open_request, shown):
    request, _token = open_request
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    html = admin_client.get("/admin/orders/order/").content.decode()
    assert (
        f'<input type="checkbox" name="_selected_action" value="{order.pk}" '
        f'class="action-select" aria-label="Auftrag {order.number} für eine Aktion auswählen">'
    ) in html
