"""The admin as the helpdesk's workplace: the portal's name on every page, the
start page with what needs attention (counts, links, a fixed query budget),
order events in words, the status actions on the order's page, and
django-axes' records for superusers only."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orders import services
from orders.admin.events import OrderEventInline
from orders.models import Order
from orders.notifications import TASK_PATH
from staff import workplace
from teamviewer.models import ServiceCase
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:orders_order_changelist")
LINE = re.compile(
    r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td class="count">(\d+)</td>'
)


def attention(html: str) -> dict[str, tuple[str, int]]:
    """The start page's lines: label -> (link, count)."""
    return {
        label: (href.replace("&amp;", "&"), int(count)) for href, label, count in LINE.findall(html)
    }


def failed_notification(order: Order) -> None:
    """The queue gave up on ``order``'s helpdesk notification."""
    Order.objects.filter(pk=order.pk).update(helpdesk_notified_at=None)
    DBTaskResult.objects.create(
        task_path=TASK_PATH,
        args_kwargs={"args": [], "kwargs": {"order_id": order.pk}},
        status=TaskResultStatus.FAILED,
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="smtplib.SMTPAuthenticationError",
    )


@pytest.fixture
def workload(offer) -> dict[str, list[Order]]:
    sent = timezone.now()
    orders: dict[str, list[Order]] = {
        status: [
            billing_order(offer=offer, status=status, helpdesk_notified_at=sent)
            for _ in range(count)
        ]
        for status, count in (("placed", 2), ("in_progress", 1), ("completed", 3), ("billed", 1))
    }
    failed_notification(orders["placed"][0])
    for order, status in zip(orders["completed"], ("failed", "pending", "open"), strict=True):
        ServiceCase.objects.create(
            order=order, status=status, code="s1" if status == "open" else ""
        )
    return orders


def logged_in(client, *groups: str):
    client.force_login(agent("u-" + "-".join(g.replace(" ", "") for g in groups), *groups))
    return client


def test_every_admin_page_names_the_portal_and_the_helpdesk(client, workload):
    c = logged_in(client, "Helpdesk")
    order = workload["placed"][0]
    for url in (INDEX, CHANGELIST, reverse("admin:orders_order_change", args=[order.pk])):
        html = c.get(url).content.decode()
        assert "Lenze Remote Support · Helpdesk</a>" in html, url
        assert re.search(r"<title>[^<]*\| Lenze Helpdesk</title>", html), url
        assert "Django" not in html.split("<body", 1)[1].split("<script", 1)[0], url


def test_start_page_counts_what_needs_attention_and_links_to_the_filtered_list(client, workload):
    c = logged_in(client, "Helpdesk", "Helpdesk lead")
    lines = attention(c.get(INDEX).content.decode())
    counts = {label: count for label, (_link, count) in lines.items()}
    assert counts == {
        "Neu bestellt, noch nicht begonnen": 2,
        "In Bearbeitung": 1,
        "Abgeschlossen, noch nicht abgerechnet": 3,
        "Helpdesk-Benachrichtigung fehlgeschlagen": 1,
        "TeamViewer-Sitzung: Anlegen fehlgeschlagen": 1,
        "TeamViewer-Sitzung: wird angelegt": 1,
        "Hintergrundaufgaben fehlgeschlagen": 1,
    }
    # Each order link opens the list with exactly the orders counted.
    for label, status in (
        ("Neu bestellt, noch nicht begonnen", "placed"),
        ("Abgeschlossen, noch nicht abgerechnet", "completed"),
    ):
        html = c.get(lines[label][0]).content.decode()
        assert set(re.findall(r"T-\d{6}", html)) == {o.number for o in workload[status]}
    html = c.get(lines["Helpdesk-Benachrichtigung fehlgeschlagen"][0]).content.decode()
    assert set(re.findall(r"T-\d{6}", html)) == {workload["placed"][0].number}
    assert "fehlgeschlagen (SMTPAuthenticationError)" in html
    html = c.get(lines["TeamViewer-Sitzung: Anlegen fehlgeschlagen"][0]).content.decode()
    assert workload["completed"][0].number in html
    assert workload["completed"][1].number not in html
    # The usual list of apps stays below.
    assert 'class="app-orders module' in c.get(INDEX).content.decode()


def test_start_page_shows_each_group_only_the_lines_it_may_open(client, workload):
    helpdesk = attention(logged_in(client, "Helpdesk").get(INDEX).content.decode())
    assert "Abgeschlossen, noch nicht abgerechnet" in helpdesk
    assert "TeamViewer-Sitzung: Anlegen fehlgeschlagen" in helpdesk
    assert "Hintergrundaufgaben fehlgeschlagen" not in helpdesk  # the lead's list only
    client.logout()
    legal = logged_in(client, "Legal").get(INDEX).content.decode()
    assert attention(legal) == {}
    assert "Was ansteht" not in legal


def test_start_page_counts_cost_the_same_few_queries_for_few_and_many_orders(
    client, workload, offer, django_assert_max_num_queries
):
    c = logged_in(client, "Helpdesk", "Helpdesk lead")
    c.get(INDEX)  # the session and permission caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(INDEX).status_code == 200
        return len(captured)

    few = queries()
    for order in [billing_order(offer=offer) for _ in range(20)]:
        failed_notification(order)
    assert queries() == few
    # Session, user, permissions, the recent actions and five counts.
    with django_assert_max_num_queries(12):
        c.get(INDEX)


def test_the_counts_are_five_queries_however_many_orders_there_are(
    rf, workload, offer, django_assert_num_queries
):
    request = rf.get(INDEX)
    request.user = agent("lead-counts", "Helpdesk", "Helpdesk lead")
    request.user.has_perm("orders.view_order")  # the permission cache, as on any page
    # Orders by status, the notification tasks and their orders, cases, failed tasks.
    with django_assert_num_queries(5):
        before = workplace.attention(request, site=admin.site)
    for order in [billing_order(offer=offer) for _ in range(20)]:
        failed_notification(order)
    with django_assert_num_queries(5):
        after = workplace.attention(request, site=admin.site)
    assert [line.count for line in after] != [line.count for line in before]


def test_order_events_are_in_words_with_the_code_in_the_tooltip(client, workload):
    lead = agent("lead-events", "Helpdesk", "Helpdesk lead")
    order = workload["completed"][0]
    services.order_transition(order=order, to="billed", by=lead)
    client.force_login(lead)
    url = reverse("admin:orders_order_change", args=[order.pk])
    html = client.get(url).content.decode()
    assert '<span title="orders.order.billed">Abgerechnet</span>' in html
    # The admin speaks German (its URLs carry no language); the labels are translated.
    event = order.events.get(action="orders.order.billed")
    with translation.override("en"):
        assert OrderEventInline.event(None, event) == (  # type: ignore[arg-type]
            '<span title="orders.order.billed">Billed</span>'
        )


def test_order_page_offers_the_status_actions_the_user_may_take(client, workload):
    order = workload["completed"][1]
    page = reverse("admin:orders_order_change", args=[order.pk])
    html = logged_in(client, "Helpdesk").get(page).content.decode()
    assert 'class="status-action"' not in html  # billing and reopening are the lead's
    assert (
        client.get(reverse("admin:orders_order_status", args=[order.pk, "action_bill"])).status_code
        == 403
    )
    client.logout()
    c = logged_in(client, "Helpdesk", "Helpdesk lead")
    html = c.get(page).content.decode()
    assert re.findall(r'class="status-action">([^<]+)<', html) == [
        "Als abgerechnet markieren",
        "An Field-Service-Einsatz übertragen …",
        "Wieder öffnen (mit Begründung) …",
    ]
    reopen = reverse("admin:orders_order_status", args=[order.pk, "action_reopen"])
    assert 'name="reason"' in c.get(reopen).content.decode()
    response = c.post(reopen, {"reason": "Kunde meldet Nachtrag"})
    assert response.status_code == 302 and response["Location"] == page
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS
    assert order.events.last().note == "Kunde meldet Nachtrag"
    # An action the status does not allow (any more) changes nothing.
    c.post(reverse("admin:orders_order_status", args=[order.pk, "action_bill"]))
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS


def test_login_records_of_axes_are_for_superusers_only(client, admin_client, workload):
    records = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(records).status_code == 200
    assert 'class="app-axes module' in admin_client.get(INDEX).content.decode()
    # Even a group holding axes' permissions does not see them.
    lead_group = Group.objects.get(name="Helpdesk lead")
    for name in ("Helpdesk", "Helpdesk lead", "Legal"):
        assert (
            not Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="axes")
            .exists()
        )
    c = logged_in(client, "Helpdesk", "Helpdesk lead")
    lead_group.permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    user = User.objects.get(username="u-Helpdesk-Helpdesklead")
    assert user.has_perm("axes.view_accessattempt")
    assert c.get(records).status_code == 403
    assert "/admin/axes/" not in c.get(INDEX).content.decode()
    assert c.get(reverse("admin:app_list", args=["axes"])).status_code == 404
