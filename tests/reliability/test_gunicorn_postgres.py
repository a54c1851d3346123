"""Concurrency, load and a lost connection against gunicorn on PostgreSQL.
Marked ``postgres``: runs in CI's PostgreSQL pass, skipped on SQLite.

gunicorn (4 sync workers, production WSGI app, test settings) is started on a free
loopback port against pytest-django's test database (``test_<name>``); the tests
are transactional, so the workers see the links the test commits. Requests are
sent from threads with ``http.client`` and a CSRF cookie+token pair. Everything is
bounded: fixed counts, timeouts on every wait, 127.0.0.1 only. What they show is
in docs/operations.md ("Concurrency and load") and docs/security.md ("Concurrency
on PostgreSQL").
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string

from orders.models import Order, OrderEvent
from tests.factories import support_request
from tests.support import processes
from tests.support.processes import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 4
TIMEOUT = 60  # seconds for any single request or wait


def request(port: int, method: str, path: str, body: str = "", cookie: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Host": "127.0.0.1"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        conn.close()


@pytest.fixture
def gunicorn(tmp_path) -> Iterator[int]:
    """gunicorn with WORKERS sync workers on a free loopback port; yields the port."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency/load test against gunicorn needs PostgreSQL (row locks, several "
            "writers; SQLite serialises all writes): run with DATABASE_URL=postgres://..."
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lenze_support.test_settings",
        "DATABASE_URL": processes.shared_database_url(),
        "DJANGO_LOG_LEVEL": "WARNING",
        # Every request comes from 127.0.0.1; the test measures ordering, not the limiter.
        "ORDER_LINK_RATE_LIMIT": "100000/m",
        "ORDER_SUBMIT_RATE_LIMIT": "100000/m",
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "gunicorn.log"
    options = ["--workers", str(WORKERS), "--timeout", str(TIMEOUT), "--log-level", "warning"]
    with processes.gunicorn(env=env, log=log, options=options) as port:
        yield port
    output = log.read_text()
    assert "Traceback" not in output, output


@pytest.fixture
def submit(offer):
    csrf = _get_new_csrf_string()
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "consent": "on",
            "privacy_version": offer["privacy"].pk,
            "asb_version": offer["asb"].pk,
            "tariff_version": offer["tariff"].pk,
        }
    )
    return body, f"csrftoken={csrf}"


def run_concurrently(port: int, jobs: list[str], body: str, cookie: str, threads: int):
    """POST ``body`` to each path in ``jobs`` from ``threads`` threads released together."""
    results: list[tuple[int, str | None] | BaseException | None] = [None] * len(jobs)
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    position = iter(range(len(jobs)))

    def worker() -> None:
        barrier.wait(timeout=TIMEOUT)
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            try:
                status, location, _body = request(port, "POST", jobs[index], body, cookie)
                results[index] = (status, location)
            except BaseException as error:  # reported by the assertions
                results[index] = error

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=TIMEOUT * 3)
    return results, time.monotonic() - started


def test_fifty_concurrent_submits_of_one_link_give_one_order_and_the_same_answer(gunicorn, submit):
    body, cookie = submit
    links = [support_request(case_reference=f"HD-{i}")[1] for i in range(50)]
    token = links[0]  # 50 links seeded, one of them hammered
    results, elapsed = run_concurrently(gunicorn, [f"/auftrag/{token}/"] * 50, body, cookie, 50)
    assert results == [(303, f"/auftrag/{token}/erteilt/")] * 50
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(action="orders.order.placed").count() == 1
    status, _location, page = request(gunicorn, "GET", f"/auftrag/{token}/erteilt/")
    assert status == 200 and Order.objects.get().number in page.decode()
    print(f"\n50 concurrent submits of one link: {elapsed:.2f} s")


def test_two_hundred_links_submitted_twice_concurrently_give_two_hundred_unique_numbers(
    gunicorn, submit
):
    body, cookie = submit
    tokens = [support_request(case_reference=f"HD-{i}")[1] for i in range(200)]
    # Each link twice (a double click), interleaved, 50 client threads at once.
    jobs = [f"/auftrag/{t}/" for t in tokens] + [f"/auftrag/{t}/" for t in reversed(tokens)]
    results, elapsed = run_concurrently(gunicorn, jobs, body, cookie, 50)
    statuses = Counter(r[0] if isinstance(r, tuple) else repr(r) for r in results)
    assert statuses == {303: 400}, statuses
    assert all(r[1] == job + "erteilt/" for r, job in zip(results, jobs, strict=True))
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == 200 and len(set(numbers)) == 200
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 201))  # no gap, no double
    assert OrderEvent.objects.filter(action="orders.order.placed").count() == 200
    print(f"\n400 submits over 200 links, 50 threads: {elapsed:.2f} s")


def test_a_connection_lost_between_requests_is_recovered_without_an_error(gunicorn, offer):
    _request, token = support_request()
    path = f"/auftrag/{token}/"
    for _ in range(4 * WORKERS):  # every worker holds a persistent connection now
        assert request(gunicorn, "GET", path)[0] == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (terminated,) = cursor.fetchone()
    assert terminated >= 1
    statuses = [request(gunicorn, "GET", path)[0] for _ in range(4 * WORKERS)]
    assert statuses == [200] * (4 * WORKERS)
    print(f"\nconnections terminated: {terminated}; next {len(statuses)} requests: all 200")
