"""The admin as the helpdesk's workplace in Chromium at 1280 px: the start page
with what needs attention, the order list without horizontal scrolling, and an
order page in working order.

Each run writes the screenshots that docs/orders.md shows ("Der Arbeitsplatz
des Helpdesks") to docs/screenshots/, from the same fixed demo data.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from billing.models import RemoteSession
from orders.models import Order, OrderEvent
from orders.notifications import TASK_PATH
from teamviewer.models import ServiceCase
from tests.e2e.support import DESKTOP, log_in_to_admin, watch_console
from tests.factories import billing_order, ensure_helpdesk_groups, order_offer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "e2e-workplace-password-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH = DESKTOP["width"]

# Fixed demo data: the same pictures every run.
COMPANIES = [
    ("Antriebstechnik Weser GmbH & Co. KG, Werk Hameln", "placed"),
    ("Maschinenbau Muster GmbH", "in_progress"),
    ("Elbe Verpackungsanlagen AG", "in_progress"),
    ("Smith Drives Ltd", "completed"),
    ("Förderanlagen Süd GmbH", "completed"),
    ("Holzbearbeitung Nord KG", "billed"),
    ("Brauerei-Technik Franken GmbH", "transferred"),
    ("Glasindustrie Lausitz GmbH", "cancelled"),
]


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 11, day, hour, minute))


def demo_orders(user: User) -> Order:
    """Eight orders in every status, a failed notification and TeamViewer cases;
    returns the order whose page is shown (in progress, two sessions)."""
    offer = order_offer()
    orders = []
    for index, (company, status) in enumerate(COMPANIES):
        order = billing_order(
            offer=offer,
            company=company,
            status=status,
            number=f"RS-2025-{index + 101:06d}",
            placed_at=at(3 + index, 9, 15),
            helpdesk_notified_at=at(3 + index, 9, 16),
            field_service_reference="FS-2025-0815" if status == "transferred" else "",
            support_request_fields={"case_reference": f"HD-{4711 + index}"},
        )
        OrderEvent.objects.create(
            order=order,
            action="orders.order.placed",
            actor_label="customer",
            to_status="placed",
            created_at=at(3 + index, 9, 15),
        )
        orders.append(order)
    shown = orders[1]
    for start, minutes, note in (
        (at(4, 10, 0), 12, "Parametrierung Achse 1"),
        (at(4, 14, 30), 9, "Kontrolle"),
    ):
        RemoteSession.objects.create(
            order=shown,
            started_at=start,
            ended_at=start + datetime.timedelta(minutes=minutes),
            agent=user,
            note=note,
        )
    OrderEvent.objects.create(
        order=shown,
        action="orders.order.in_progress",
        actor=user,
        from_status="placed",
        to_status="in_progress",
        created_at=at(4, 10, 12),
    )
    # The helpdesk never heard of the newest order; one TeamViewer case failed.
    Order.objects.filter(pk=orders[0].pk).update(helpdesk_notified_at=None)
    DBTaskResult.objects.create(
        task_path=TASK_PATH,
        args_kwargs={"args": [], "kwargs": {"order_id": orders[0].pk}},
        status=TaskResultStatus.FAILED,
        backend_name="default",
        run_after=at(5, 9, 15),
        exception_class_path="smtplib.SMTPAuthenticationError",
    )
    ServiceCase.objects.create(order=orders[0], status=ServiceCase.Status.FAILED)
    return shown


@pytest.fixture
def lead_page(live_server, page: Page) -> tuple[Page, Order]:
    ensure_helpdesk_groups()
    user = User.objects.create_user(
        "e2e-lead", password=PASSWORD, is_staff=True, first_name="Erika", last_name="Lenz"
    )
    user.groups.add(*Group.objects.filter(name__in=["Helpdesk", "Helpdesk lead"]))
    shown = demo_orders(user)
    page.set_viewport_size(DESKTOP)
    log_in_to_admin(page, live_server.url, username="e2e-lead", password=PASSWORD)
    return page, shown


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled")


def test_the_workplace_at_1280_pixels(live_server, lead_page):
    page, shown = lead_page
    problems = watch_console(page)

    # The start page: what needs attention, each with its count and list.
    expect(page.locator("#site-name")).to_have_text("Lenze Remote Support · Helpdesk")
    attention = page.locator(".workplace-attention")
    expect(attention.get_by_role("row", name="In Bearbeitung")).to_contain_text("2")
    expect(
        attention.get_by_role("row", name="Abgeschlossen, noch nicht abgerechnet")
    ).to_contain_text("2")
    expect(
        attention.get_by_role("row", name="Helpdesk-Benachrichtigung fehlgeschlagen")
    ).to_contain_text("1")
    expect(
        attention.get_by_role("row", name="TeamViewer-Sitzung: Anlegen fehlgeschlagen")
    ).to_contain_text("1")
    assert scroll_width(page) <= WIDTH
    shoot(page, "admin-start")

    # The order list: number, company, status, minutes, blocks and gross, no scrolling.
    page.goto(live_server.url + reverse("admin:orders_order_changelist"))
    headers = page.locator("#result_list thead th").all_text_contents()
    for column in ("Nr.", "Firma", "Status", "Min.", "Takte", "Brutto"):
        assert any(column in header for header in headers), (column, headers)
    row = page.locator("#result_list tbody tr", has_text=shown.number)
    expect(row.locator("td.field-gross_amount")).to_have_text("178,50 €")
    expect(row.locator("td.field-raw_minutes")).to_have_text("21,00")
    assert scroll_width(page) <= WIDTH, f"order list {scroll_width(page)} px wide"
    shoot(page, "admin-order-list")

    # The failed notification from the start page: the filtered list.
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name="Helpdesk-Benachrichtigung fehlgeschlagen").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("fehlgeschlagen (SMTPAuthenticationError)")

    # The order page in working order: status and actions, sessions, calculation, evidence.
    page.goto(live_server.url + reverse("admin:orders_order_change", args=[shown.pk]))
    expect(page.get_by_role("link", name="An Field-Service-Einsatz übertragen …")).to_be_visible()
    order_of = page.evaluate(
        """() => ['#fieldset-0-0-heading', '#sessions-group', '.field-charge_summary',
                  '#fieldset-0-2-heading', '#events-group']
              .map(s => document.querySelector(s).getBoundingClientRect().top)"""
    )
    assert order_of == sorted(order_of), order_of
    expect(page.locator("#events-group span[title='orders.order.in_progress']")).to_have_text(
        "In Bearbeitung"
    )
    assert scroll_width(page) <= WIDTH, f"order page {scroll_width(page)} px wide"
    shoot(page, "admin-order")
    assert problems == []
