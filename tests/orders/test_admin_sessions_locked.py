"""The order page refuses plainly what did not happen: sessions posted after a
colleague completed or billed the order, voiding with a reason, reopening."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from billing.models import RemoteSession
from orders import services
from orders.errors import OrderError
from orders.models import Order, OrderEvent
from tests.factories import agent, billing_order
from tests.orders.admin_helpers import form_fields

pytestmark = pytest.mark.django_db

SUCCESS = "erfolgreich geändert"


def ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


@pytest.fixture
def helpdesk(db):
    return agent("hd", "Helpdesk")


@pytest.fixture
def lead(db):
    return agent("lead", "Helpdesk", "Helpdesk lead")


@pytest.fixture
def in_progress(offer, helpdesk):
    order = billing_order(offer=offer)
    billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk)
    order.refresh_from_db()
    return order


def new_session_post(page: str, start, minutes: int) -> dict:
    data = form_fields(page, "order_form")
    start = timezone.localtime(start)
    end = start + timedelta(minutes=minutes)
    total = int(data["sessions-TOTAL_FORMS"])
    prefix = f"sessions-{total - 1}"
    data.update(
        {
            f"{prefix}-started_at_0": start.strftime("%d.%m.%Y"),
            f"{prefix}-started_at_1": start.strftime("%H:%M:%S"),
            f"{prefix}-ended_at_0": end.strftime("%d.%m.%Y"),
            f"{prefix}-ended_at_1": end.strftime("%H:%M:%S"),
            f"{prefix}-note": "vergessene Sitzung",
            "_continue": "1",
        }
    )
    return data


@pytest.mark.parametrize(
    ("final_steps", "message"),
    [
        (["completed"], OrderError.ORDER_COMPLETED),
        (["completed", "billed"], OrderError.ORDER_FINAL),
    ],
)
def test_a_form_opened_before_completion_is_refused_on_the_page(
    client, helpdesk, lead, in_progress, final_steps, message
):
    client.force_login(helpdesk)
    url = reverse("admin:orders_order_change", args=[in_progress.pk])
    page = client.get(url).content.decode()
    data = new_session_post(page, ago(40), 10)
    for step in final_steps:  # a colleague completes (and bills) meanwhile
        services.order_transition(order=in_progress, to=step, by=lead)
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert str(message)[:60] in html
    assert SUCCESS not in html
    assert RemoteSession.objects.filter(order=in_progress).count() == 1


def test_a_session_added_while_open_is_saved(client, helpdesk, in_progress):
    client.force_login(helpdesk)
    url = reverse("admin:orders_order_change", args=[in_progress.pk])
    data = new_session_post(client.get(url).content.decode(), ago(40), 10)
    response = client.post(url, data, follow=True)
    assert SUCCESS in response.content.decode()
    assert RemoteSession.objects.filter(order=in_progress).count() == 2


def test_agent_voids_a_mistyped_session_without_leaving_the_admin(client, helpdesk, in_progress):
    client.force_login(helpdesk)
    session = in_progress.sessions.get()
    page_url = reverse("admin:orders_order_change", args=[in_progress.pk])
    page = client.get(page_url).content.decode()
    void_url = reverse("admin:orders_order_void_session", args=[in_progress.pk, session.pk])
    assert void_url in page
    assert client.get(void_url).status_code == 200
    refused = client.post(void_url, {"reason": "  "})
    assert refused.status_code == 200
    assert RemoteSession.objects.get(pk=session.pk).voided_at is None
    response = client.post(void_url, {"reason": "Ende vertippt (14:50 statt 13:50)"}, follow=True)
    html = response.content.decode()
    assert "storniert" in html and "Ende vertippt" in html
    assert 'class="session-voided"' in html
    session.refresh_from_db()
    assert session.voided_by == helpdesk
    assert OrderEvent.objects.filter(order=in_progress, action="orders.session.voided").exists()
    assert "0,00 Minuten" in html  # the voided session no longer counts


def test_no_void_control_once_completed(client, helpdesk, lead, in_progress):
    services.order_transition(order=in_progress, to="completed", by=helpdesk)
    client.force_login(helpdesk)
    session = in_progress.sessions.get()
    page = client.get(reverse("admin:orders_order_change", args=[in_progress.pk])).content
    void_url = reverse("admin:orders_order_void_session", args=[in_progress.pk, session.pk])
    assert void_url not in page.decode()
    response = client.post(void_url, {"reason": "zu spät"})
    assert str(OrderError.ORDER_COMPLETED)[:60] in response.content.decode()
    assert RemoteSession.objects.get(pk=session.pk).voided_at is None


def test_lead_reopens_with_a_reason_from_the_list(client, helpdesk, lead, in_progress):
    services.order_transition(order=in_progress, to="completed", by=helpdesk)
    changelist = reverse("admin:orders_order_changelist")
    client.force_login(helpdesk)
    assert 'value="action_reopen"' not in client.get(changelist).content.decode()
    client.force_login(lead)
    post = {"action": "action_reopen", "_selected_action": [in_progress.pk]}
    form = client.post(changelist, post)
    assert form.status_code == 200 and "Begründung" in form.content.decode()
    client.post(changelist, {**post, "apply": "1", "reason": "Sitzung vergessen"}, follow=True)
    in_progress.refresh_from_db()
    assert in_progress.status == Order.Status.IN_PROGRESS
    assert in_progress.figures_frozen_at is None
    event = OrderEvent.objects.get(order=in_progress, action="orders.order.reopened")
    assert event.note == "Sitzung vergessen"


def test_order_page_says_when_the_figures_were_frozen(client, helpdesk, in_progress):
    client.force_login(helpdesk)
    url = reverse("admin:orders_order_change", args=[in_progress.pk])
    assert "Vorläufig" in client.get(url).content.decode()
    services.order_transition(order=in_progress, to="completed", by=helpdesk)
    html = client.get(url).content.decode()
    assert re.search(r"Beträge festgeschrieben am .*Abrechnungsregel", html)
