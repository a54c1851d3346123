"""Per-client rate limits (django-ratelimit) on the portal's guessable or costly endpoints.

Counters live in the Django cache (``REDIS_URL`` shared between instances,
else each process's local memory). A client over a limit gets
``RATELIMIT_VIEW``: the 429 page in the page's language (docs/security.md).

| Group | Setting | Counts |
| --- | --- | --- |
| ``orders.link`` | ``ORDER_LINK_RATE_LIMIT`` | GET/HEAD of an order link's pages (token look-ups) |
| ``orders.submit`` | ``ORDER_SUBMIT_RATE_LIMIT`` | POSTs of the order form |
| ``contact.form`` | ``CONTACT_RATE_LIMIT`` | POSTs of the contact form (``contact.views``) |
| ``admin.login`` | ``ADMIN_LOGIN_RATE_LIMIT`` | POSTs of the admin login, on top of axes' lockout |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import checks
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

#: Request attribute with the seconds until the client's window ends (``Retry-After``).
RETRY_AFTER_ATTRIBUTE = "ratelimit_retry_after"

#: django-ratelimit's syntax: count/period, period s, m, h or d with an optional multiplier.
RATE = re.compile(r"\A[1-9][0-9]*/[0-9]*[smhd]\Z")

#: The settings checked at start-up (``manage.py check``).
RATE_SETTINGS = ("ORDER_LINK_RATE_LIMIT", "ORDER_SUBMIT_RATE_LIMIT", "ADMIN_LOGIN_RATE_LIMIT")


def rate_from(setting: str) -> Callable[[str, HttpRequest], str]:
    """A django-ratelimit ``rate`` callable reading ``setting`` on each request
    (so tests and ``bench/settings.py`` can change it)."""

    def rate(group: str, request: HttpRequest) -> str:
        return str(getattr(settings, setting))

    rate.__name__ = f"rate_{setting.lower()}"
    return rate


def limit(*, group: str, setting: str, methods: list[str] | str) -> Callable:
    """Decorator: at most ``settings.<setting>`` requests with ``methods`` per client address.

    Over the limit the request is answered by ``RATELIMIT_VIEW`` (429), which
    reads the seconds until the client's window ends from the request for its
    ``Retry-After`` header.
    """
    rate = rate_from(setting)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        limited = ratelimit(group=group, key="ip", rate=rate, method=methods, block=True)(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                return limited(request, *args, **kwargs)
            except Ratelimited:
                usage = get_usage(
                    request, group=group, key="ip", rate=rate, method=methods, increment=False
                )
                if usage is not None:
                    setattr(request, RETRY_AFTER_ATTRIBUTE, max(1, int(usage["time_left"])))
                raise

        return wrapped

    return decorator


def admin_login(view: Callable[..., Any]) -> Callable[..., Any]:
    """The admin login with a per-address limit on POSTs (``ADMIN_LOGIN_RATE_LIMIT``).

    axes locks one username+address pair out after a few failures; this limit
    stops one address from trying many usernames.
    """
    return limit(group="admin.login", setting="ADMIN_LOGIN_RATE_LIMIT", methods="POST")(view)


@checks.register()
def rate_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A malformed rate would make django-ratelimit raise on the first request (a 500)."""
    return [
        checks.Error(
            f"{name}={getattr(settings, name)!r} is not a rate.",
            hint="Use count/period, e.g. 60/m, 10/5m, 100/h.",
            id="lenze_support.E001",
        )
        for name in RATE_SETTINGS
        if not RATE.match(str(getattr(settings, name, "")))
    ]
