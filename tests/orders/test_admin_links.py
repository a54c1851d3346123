"""Every link on the start page, the order list and an order page leads each
helpdesk group to a page it may open (no 403, no 404); evidence links go to the
public versions."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from orders import services
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)"')
GROUPS = [("Helpdesk",), ("Helpdesk", "Helpdesk lead")]


def links(html: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.scheme in {"mailto", "tel", "javascript"} or parts.netloc:
            continue
        found.add(href)
    return found


@pytest.fixture
def order(offer):
    hd = agent("hd-crawl", "Helpdesk")
    lead = agent("lead-crawl", "Helpdesk", "Helpdesk lead")
    order = billing_order(offer=offer)
    now = timezone.now()
    session = billing_services.session_record(
        order=order,
        started_at=now - timedelta(minutes=50),
        ended_at=now - timedelta(minutes=40),
        by=hd,
    )
    billing_services.session_record(
        order=order,
        started_at=now - timedelta(minutes=30),
        ended_at=now - timedelta(minutes=20),
        by=hd,
    )
    billing_services.session_void(session=session, by=hd, reason="doppelt erfasst")
    services.order_transition(order=order, to="completed", by=hd)
    services.order_transition(order=order, to="in_progress", by=lead, note="nachgetragen")
    return order


def refused_links(client, pages: list[str]) -> tuple[list[str], set[str]]:
    """Follow every link on ``pages``: those not answered with 200 or 302, and all checked."""
    checked: set[str] = set()
    refused: list[str] = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        for href in links(response.content.decode()) - checked:
            checked.add(href)
            status = client.get(href).status_code
            if status not in (200, 302):
                refused.append(f"{href} -> {status} (on {page})")
    return refused, checked


@pytest.mark.parametrize("groups", GROUPS, ids=lambda g: "+".join(g))
def test_every_link_on_the_order_list_and_page_opens_for_the_group(client, order, groups):
    user = agent("u-" + "-".join(g.replace(" ", "") for g in groups), *groups)
    client.force_login(user)
    pages = [
        reverse("admin:orders_order_changelist"),
        reverse("admin:orders_order_change", args=[order.pk]),
    ]
    refused, checked = refused_links(client, pages)
    assert not refused, "\n".join(refused)
    assert len(checked) > 10  # the crawl saw the page's links, not nothing


@pytest.mark.parametrize("groups", [*GROUPS, ("Legal",)], ids=lambda g: "+".join(g))
def test_every_link_on_the_start_page_opens_for_the_group(client, order, groups):
    user = agent("u-" + "-".join(g.replace(" ", "") for g in groups), *groups)
    client.force_login(user)
    refused, checked = refused_links(client, [reverse("admin:index")])
    assert not refused, "\n".join(refused)
    # The start page's lines link to filtered lists, for the groups that may see them.
    filtered = {href for href in checked if "?" in href}
    assert bool(filtered) == ("Helpdesk" in groups)


def test_evidence_links_are_the_public_versions_and_staff_names_are_text(client, order):
    client.force_login(agent("reader", "Helpdesk"))
    html = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert order.asb_document.get_absolute_url() in html
    assert order.asb_document.get_pdf_url() in html
    assert order.privacy_document.get_absolute_url() in html
    assert "/admin/legal/" not in html
    assert "/admin/auth/user/" not in html
    assert "hd-crawl" in html and "lead-crawl" in html
