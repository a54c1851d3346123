"""The PostgreSQL backend's health check (lenze_support/db/postgresql/base.py):
no round trip for a healthy connection, and a connection the server ended is
recognised before a request uses it."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections

from lenze_support.db.postgresql.base import DatabaseWrapper
from tests.support.processes import shared_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_backend(on_postgres) -> int:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return pid


def _last_statement_of(pid: int) -> str:
    with psycopg.connect(shared_database_url(), autocommit=True) as other:
        row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return row[0] if row else ""


def test_the_portal_runs_on_the_backend_with_its_own_health_check(on_postgres):
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_healthy_connection_is_usable_without_a_statement(own_backend):
    assert connection.is_usable()
    assert _last_statement_of(own_backend) == "SELECT pg_backend_pid()"


def test_a_connection_the_server_ended_is_not_usable(own_backend):
    with psycopg.connect(shared_database_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [own_backend])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye reaches the socket shortly after
    assert not connection.is_usable()
    connection.close()
