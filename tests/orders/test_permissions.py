"""The staff groups (``lenze_support.groups``): each sees and can do what it should,
nothing more."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lenze_support.groups import GROUPS, HELPDESK, HELPDESK_LEAD, LEGAL
from orders.models import Order
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db


def orders_perms(group_name: str) -> set[str]:
    """The group's permissions on orders and their billing (tariffs, sessions)."""
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label__in=["orders", "billing"])
        .values_list("codename", flat=True)
    )


@pytest.mark.parametrize("group_name", list(GROUPS))
def test_each_group_holds_exactly_the_permissions_of_its_definition(group_name):
    """App label and codename: tariffs and sessions are the billing app's permissions."""
    granted = set(
        Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    listed = {
        (label, codename)
        for label, codenames in GROUPS[group_name].items()
        for codename in codenames
    }
    assert granted == listed


def test_groups_exist_once_each():
    names = list(Group.objects.values_list("name", flat=True))
    for name in (HELPDESK, HELPDESK_LEAD, LEGAL):
        assert names.count(name) == 1


def test_helpdesk_cannot_close_orders_or_change_tariffs():
    perms = orders_perms(HELPDESK)
    assert {"add_supportrequest", "export_order", "add_remotesession"} <= perms
    assert not {"close_order", "add_tariff", "change_tariff"} & perms


def test_lead_adds_tariffs_and_the_final_transitions():
    assert orders_perms("Helpdesk lead") - orders_perms("Helpdesk") == {
        "add_tariff",
        "change_tariff",
        "close_order",
    }


def test_legal_has_nothing_in_orders_and_nobody_may_delete_orders_or_sessions():
    assert orders_perms("Legal") == set()
    for name in ("Helpdesk", "Helpdesk lead"):
        perms = orders_perms(name)
        assert not {p for p in perms if p.startswith("delete_")}
    assert not Group.objects.filter(permissions__codename="delete_order").exists()


@pytest.fixture
def order(offer):
    return billing_order(offer=offer, status="completed")


def logged_in(client, *groups):
    user = agent("u-" + "-".join(g.replace(" ", "") for g in groups), *groups)
    client.force_login(user)
    return client


def bill_through_the_action(client, order) -> str:
    """Post the admin's "bill" action for ``order`` and return its status afterwards."""
    client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "action_bill", "_selected_action": [order.pk]},
    )
    order.refresh_from_db()
    return order.status


def action_names(client) -> str:
    return client.get(reverse("admin:orders_order_changelist")).content.decode()


def test_helpdesk_sees_orders_and_requests_exports_but_cannot_close_or_touch_tariffs(client, order):
    c = logged_in(client, "Helpdesk")
    page = action_names(c)
    assert order.number in page
    assert 'value="action_complete"' in page
    assert 'value="action_export"' in page
    for final in ("action_bill", "action_transfer", "action_cancel"):
        assert f'value="{final}"' not in page
    assert c.get(reverse("admin:orders_supportrequest_add")).status_code == 200
    assert c.get(reverse("admin:orders_order_export")).status_code == 200
    assert c.get(reverse("admin:billing_tariff_add")).status_code == 403
    assert c.get(reverse("admin:legal_legaldocument_changelist")).status_code == 403
    # Forcing the action by hand is refused by the service as well.
    assert bill_through_the_action(c, order) == Order.Status.COMPLETED


def test_helpdesk_lead_can_bill_and_edit_tariffs(client, order):
    c = logged_in(client, "Helpdesk", "Helpdesk lead")
    page = action_names(c)
    for action in ("action_bill", "action_transfer", "action_cancel"):
        assert f'value="{action}"' in page
    assert c.get(reverse("admin:billing_tariff_add")).status_code == 200
    assert bill_through_the_action(c, order) == Order.Status.BILLED
    assert c.get(reverse("admin:legal_legaldocument_changelist")).status_code == 403


def test_legal_sees_legal_documents_only(client, order):
    c = logged_in(client, "Legal")
    assert c.get(reverse("admin:legal_legaldocument_changelist")).status_code == 200
    for name in (
        "admin:orders_order_changelist",
        "admin:orders_supportrequest_changelist",
        "admin:billing_tariff_changelist",
        "admin:orders_order_export",
    ):
        assert c.get(reverse(name)).status_code == 403, name
    assert c.get(reverse("admin:orders_order_statement", args=[order.pk])).status_code == 403


def test_staff_without_group_sees_nothing(client, order):
    c = logged_in(client, "no-such-group")  # staff flag only, no permissions
    assert c.get(reverse("admin:orders_order_changelist")).status_code == 403
    assert c.get(reverse("admin:orders_order_statement", args=[order.pk])).status_code == 403
