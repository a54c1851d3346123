import os
import shutil

import pytest
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    has_chromium = os.path.exists(CHROMIUM) or shutil.which("chromium")
    skip_browser = pytest.mark.skip(
        reason=f"browser test skipped: no Chromium at {CHROMIUM} "
        "(install Debian's 'chromium' package or set CHROMIUM_PATH)"
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if not has_chromium:
                item.add_marker(skip_browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """Rate-limit counters live in the cache (docs/security.md): each test starts with none,
    so the limits on order links, submits, the contact form and the admin login never
    carry over from one test to the next. The rendered page sections are cleared too:
    a test that changes a template setting must not see another test's fragments."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language_around_each_test():
    """A test-client request to /en/ leaves English active in the test's thread
    (LocaleMiddleware does not reset it), so reverse() in the next test would
    build English URLs: every test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_passes_both_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login(user)`` in a test means a fully logged-in staff member:
    password and second factor. The second-factor tests (tests/staff/) log in step
    by step through the real pages, or use ``force_login_password_only``."""
    from django.test import Client

    from tests.two_factor import mark_verified

    password_only = Client.force_login

    def force_login(self: Client, user, backend=None) -> None:
        password_only(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_login_password_only", password_only, raising=False)


@pytest.fixture
def on_postgres() -> None:
    """Skip a test unless the suite runs on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://...)")


@pytest.fixture
def offer(db):
    """Published privacy notice and ASB plus a tariff: what an order needs."""
    from tests.factories import order_offer

    return order_offer()


@pytest.fixture
def form_data(offer):
    """The hidden fields the order page carries for ``offer`` (box not ticked)."""
    return {
        "privacy_version": offer["privacy"].pk,
        "asb_version": offer["asb"].pk,
        "tariff_version": offer["tariff"].pk,
    }


@pytest.fixture
def consented_form_data(form_data):
    """The order form as a browser posts it with the box ticked."""
    return {**form_data, "consent": "on"}


@pytest.fixture
def tv_fake(settings):
    """The fake TeamViewer API on a free loopback port, the integration pointed at it
    (page size 2, so paging is exercised)."""
    from tests.support.teamviewer_fake import TeamViewerFake

    fake = TeamViewerFake(page_size=2).start()
    settings.TEAMVIEWER_API_URL = fake.api_url
    settings.TEAMVIEWER_API_TOKEN = fake.token
    settings.TEAMVIEWER_GROUP_ID = fake.group_id
    settings.TEAMVIEWER_TIMEOUT_SECONDS = 1.0
    yield fake
    fake.stop()
