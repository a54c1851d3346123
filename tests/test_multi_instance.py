"""The portal keeps no local state.

Two gunicorn instances on different loopback ports share the test's PostgreSQL
database and one Redis (cache: rate-limit counters). Requests alternate between
them: a staff session started on one is valid on the other, the rate-limit
counter is shared, a stored PDF is served identically, static files have the
same fingerprinted addresses, and two instances racing on one order link still
create one order. See docs/operations.md, "Several instances".

Needs PostgreSQL (``DATABASE_URL``) and Redis (``MULTI_INSTANCE_REDIS_URL``,
default ``redis://127.0.0.1:6379/13``, a database number of its own: it is
flushed before each test); skipped otherwise.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.support import processes
from tests.two_factor import authenticator, code

REDIS_URL = os.environ.get("MULTI_INSTANCE_REDIS_URL", "redis://127.0.0.1:6379/13")
LINK_LIMIT = 5  # ORDER_LINK_RATE_LIMIT of both instances, per day
STARTUP_SECONDS = 60

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _redis_reachable() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self) -> dict[str, str]:
        pairs = (h.split(";", 1)[0] for h in self.headers.get_all("Set-Cookie") or [])
        return dict(pair.split("=", 1) for pair in pairs)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Instance:
    name: str
    port: int

    def request(
        self,
        method: str,
        path: str,
        *,
        cookies: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = dict(headers or {})
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            return Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()


@pytest.fixture(scope="module")
def instances(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Instance, Instance]]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "needs PostgreSQL shared by both instances (run with DATABASE_URL=postgres://...)"
        )
    if not _redis_reachable():
        pytest.skip(f"needs Redis at {REDIS_URL} (set MULTI_INSTANCE_REDIS_URL)")
    static_root = tmp_path_factory.mktemp("static")
    # Fingerprinted names and their manifest, as collectstatic writes them in
    # production (compression is tested in tests/lenze_support/test_static_files.py).
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
    logs = tmp_path_factory.mktemp("gunicorn")
    # One environment for both instances: the same secret key, database and Redis.
    env = processes.production_env(
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=processes.shared_database_url(),
        REDIS_URL=REDIS_URL,
        EMAIL_URL="dummymail://",
        ORDER_LINK_RATE_LIMIT=f"{LINK_LIMIT}/d",
    )

    def start(stack: ExitStack, name: str) -> Instance:
        server = processes.gunicorn(
            env=env,
            log=logs / f"{name}.log",
            options=["--workers", "1", "--timeout", "30"],
            startup_seconds=STARTUP_SECONDS,
        )
        return Instance(name, stack.enter_context(server))

    with ExitStack() as stack:
        yield start(stack, "A"), start(stack, "B")


@pytest.fixture(autouse=True)
def _fresh_shared_cache(instances: tuple[Instance, Instance]) -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _csrf_form(response: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, "no CSRF token in the form"
    return match.group(1)


def test_a_staff_session_from_one_instance_is_valid_on_the_other(instances):
    from django.contrib.auth.models import User

    a, b = instances
    # Hashed as production does (the test settings' fast MD5 hasher is not enabled there).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = User.objects.create_superuser("multi", "multi@example.com", "pw-multi-instance-1")
    device = authenticator(user)
    admin = "/" + settings.ADMIN_PATH
    login_page = a.request("GET", admin + "login/")
    cookies = login_page.cookies()
    logged_in = a.request(
        "POST",
        admin + "login/?next=" + admin,
        cookies=cookies,
        form={
            "username": "multi",
            "password": "pw-multi-instance-1",
            "csrfmiddlewaretoken": _csrf_form(login_page),
            "next": admin,
        },
    )
    assert logged_in.status == 302, logged_in.text[:500]
    cookies.update(logged_in.cookies())
    assert settings.SESSION_COOKIE_NAME in cookies
    # The second factor on the other instance: the half-logged-in session is shared too.
    verify_page = b.request("GET", admin + "zwei-faktor/", cookies=cookies)
    assert verify_page.status == 200, verify_page.text[:500]
    verified = b.request(
        "POST",
        admin + "zwei-faktor/",
        cookies=cookies,
        form={"code": code(device), "csrfmiddlewaretoken": _csrf_form(verify_page)},
    )
    assert verified.status == 302, verified.text[:500]
    cookies.update(verified.cookies())

    on_b = b.request("GET", admin + "orders/order/", cookies=cookies)
    assert on_b.status == 200
    assert "multi" in on_b.text  # the user tools name the logged-in user

    logout = b.request(
        "POST", admin + "logout/", cookies=cookies, form={"csrfmiddlewaretoken": _csrf_form(on_b)}
    )
    assert logout.status == 200
    assert a.request("GET", admin + "orders/order/", cookies=cookies).status == 302


def test_the_rate_limit_counter_is_shared_between_instances(instances, offer):
    from tests.factories import support_request

    a, b = instances
    _request, token = support_request()
    path = f"/auftrag/{token}/"
    statuses = [(a if n % 2 == 0 else b).request("GET", path).status for n in range(LINK_LIMIT + 2)]
    # Alternating A, B, A, ...: each instance alone saw at most three requests, yet
    # the sixth and seventh are refused, on B and on A.
    assert statuses == [200] * LINK_LIMIT + [429, 429]


def test_a_stored_pdf_is_served_identically_by_both_instances(instances):
    from tests.factories import published_document

    a, b = instances
    document = published_document()
    url = document.get_pdf_url()
    first, second = a.request("GET", url), b.request("GET", url)
    assert first.status == second.status == 200
    assert first.headers["ETag"] == second.headers["ETag"] == f'"{document.sha256}"'
    assert first.body == second.body == bytes(document.pdf)
    revalidated = b.request("GET", url, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status == 304


def test_static_files_have_the_same_fingerprinted_urls_on_both_instances(instances, offer):
    a, b = instances
    pattern = r'/static/[^"\s]+\.[0-9a-f]{12}\.(?:css|js|svg)'
    urls_a = re.findall(pattern, a.request("GET", "/").text)
    urls_b = re.findall(pattern, b.request("GET", "/").text)
    assert urls_a and urls_a == urls_b
    for url in urls_a:
        for instance in (a, b):
            response = instance.request("GET", url)
            assert response.status == 200, (instance.name, url)
            assert "immutable" in response.headers["Cache-Control"]


def test_two_instances_racing_on_one_link_create_one_order(instances, offer):
    from orders.models import Order
    from tests.factories import support_request

    a, b = instances
    request, token = support_request()
    path = f"/auftrag/{token}/"
    page = a.request("GET", path)
    assert page.status == 200
    form = {
        "csrfmiddlewaretoken": _csrf_form(page),
        "consent": "on",
        "privacy_version": str(offer["privacy"].pk),
        "asb_version": str(offer["asb"].pk),
        "tariff_version": str(offer["tariff"].pk),
    }
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def submit(instance: Instance) -> None:
        barrier.wait(timeout=10)
        results[instance.name] = instance.request(
            "POST", path, cookies=page.cookies(), form=form
        ).status

    threads = [threading.Thread(target=submit, args=(i,)) for i in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(results) == {"A", "B"}
    assert all(status in (200, 302, 303) for status in results.values()), results
    assert Order.objects.filter(support_request=request).count() == 1
