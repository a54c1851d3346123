"""Moving tariffs and remote sessions into the billing app keeps every row.

A database holding orders, their sessions and tariffs is taken back to the
schema where both models lived in the orders app, written to there as that
schema knew it, and migrated forward again: the rows, their keys, the order's
reference to its tariff, the content types and the helpdesk groups' permissions
are all still there. Runs the real migrations on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from billing import services as billing_services
from billing.models import RemoteSession, Tariff
from orders.models import Order
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MOVE = [("orders", "0007_support_request_email_index")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_orders_sessions_and_tariffs_survive_the_move_both_ways():
    lead = agent("lead", "Helpdesk lead")
    order = billing_order(status="placed")
    started = timezone.now() - timedelta(hours=1)
    session = billing_services.session_record(
        order=order, started_at=started, ended_at=started + timedelta(minutes=20), by=lead
    )
    tariff_type = ContentType.objects.get_for_model(Tariff)
    session_type = ContentType.objects.get_for_model(RemoteSession)

    executor = _migrate(BEFORE_MOVE)

    assert {"orders_tariff", "orders_remotesession"} <= _tables()
    assert not {"billing_tariff", "billing_remotesession"} & _tables()
    old = executor.loader.project_state(BEFORE_MOVE).apps
    OldTariff = old.get_model("orders", "Tariff")
    OldSession = old.get_model("orders", "RemoteSession")
    OldOrder = old.get_model("orders", "Order")
    OldContentType = old.get_model("contenttypes", "ContentType")
    assert OldContentType.objects.get(app_label="orders", model="tariff").pk == tariff_type.pk
    old_session = OldSession.objects.get(pk=session.pk)
    assert (old_session.order_id, old_session.started_at) == (order.pk, session.started_at)
    assert OldOrder.objects.get(pk=order.pk).tariff_id == order.tariff_id
    # Written in the old schema: a later tariff and a second session.
    later_tariff = OldTariff.objects.create(
        valid_from=timezone.now() + timedelta(days=30),
        base_fee="120.00",
        block_price="30.00",
        block_minutes=15,
        vat_rate="19.00",
        currency="EUR",
    )
    second = OldSession.objects.create(
        order_id=order.pk,
        started_at=started + timedelta(minutes=30),
        ended_at=started + timedelta(minutes=45),
        agent_id=lead.pk,
    )

    _migrate(_latest())

    assert {"billing_tariff", "billing_remotesession"} <= _tables()
    assert not {"orders_tariff", "orders_remotesession"} & _tables()
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Tariff).pk == tariff_type.pk
    assert ContentType.objects.get_for_model(RemoteSession).pk == session_type.pk
    assert not ContentType.objects.filter(app_label="orders", model__in=["tariff", "remotesession"])
    moved = Order.objects.get(pk=order.pk)
    assert moved.tariff_id == order.tariff_id
    assert list(moved.sessions.values_list("pk", flat=True)) == [session.pk, second.pk]
    assert Tariff.objects.get(pk=later_tariff.pk).base_fee == Decimal("120.00")
    # Permissions granted on the old content types are the billing app's now.
    lead_group = Group.objects.get(name="Helpdesk lead")
    assert lead_group.permissions.filter(
        content_type=tariff_type, codename="change_tariff"
    ).exists()
    assert Permission.objects.filter(content_type__app_label="billing").count() == 8
    lead = type(lead).objects.get(pk=lead.pk)  # fresh permission cache
    assert lead.has_perm("billing.change_tariff")
    assert lead.has_perm("billing.add_remotesession")
    # The moved models work as before: a session goes through the service, and
    # the database still refuses one that ends before it starts.
    billing_services.session_record(
        order=moved,
        started_at=started + timedelta(minutes=50),
        ended_at=started + timedelta(minutes=55),
        by=lead,
    )
    assert moved.sessions.count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        RemoteSession.objects.create(
            order=moved, started_at=started, ended_at=started - timedelta(minutes=1), agent=lead
        )
