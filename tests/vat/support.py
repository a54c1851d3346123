"""Fixtures for the VIES check: the fake VIES on loopback, the background worker
that runs the check, and a support request saved before any check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings

from tests.background.conftest import DATABASE_TASKS, make_worker
from tests.factories import support_request
from tests.fakes.vies import FakeVies, fake_vies_server

#: Registered with the fake VIES: confirmed unless a test says otherwise.
VAT_ID = "ATU13585627"


@pytest.fixture(name="fake_vies")
def fake_vies_fixture(settings) -> Iterator[FakeVies]:
    """The fake VIES, with the check switched on and pointed at it."""
    with fake_vies_server() as fake:
        fake.registered.add(VAT_ID)
        settings.VIES_CHECK = True
        settings.VIES_URL = fake.url
        settings.VIES_REQUESTER_VAT_ID = "DE136695976"
        settings.VIES_TIMEOUT = 0.5
        yield fake


@pytest.fixture(name="vies_worker")
def vies_worker_fixture(settings, monkeypatch) -> Callable[..., None]:
    """The production task backend and the real worker loop in this process,
    retrying at once (no delays): ``run()`` works until no task is ready,
    ``run(max_tasks=1)`` does one attempt."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RETRY_DELAYS = [0] * 12
    # The loop closes stale connections; inside a test that is the test's own.
    monkeypatch.setattr("background.worker.close_old_connections", lambda: None)

    def run(**kwargs: Any) -> None:
        make_worker(**kwargs).run()

    return run


def saved_request(*, country: str = "AT", vat_id: str = VAT_ID) -> Any:
    """A support request saved with the check off: nothing asked or queued yet."""
    with override_settings(VIES_CHECK=False):
        request, _token = support_request(country=country, vat_id=vat_id)
    return request
