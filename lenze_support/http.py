"""HTTP helpers shared by every app: marking personal pages, the client's address.

Pages whose URL or content is personal (the order link carries a secret; the
order's status shows a customer's data) must never be stored by a browser or a
proxy cache. Views opt in with :func:`personal_page`; the site-wide
``lenze_support.middleware.SecurityHeadersMiddleware`` also covers the admin,
every page seen by a logged-in staff member and every response that varies on
the session cookie without saying how it may be cached (see docs/security.md).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

#: The exact Cache-Control value of a personal page.
PERSONAL_CACHE_CONTROL = "no-store, private"

#: Attribute the decorator sets on a response; the middleware honours it too.
PERSONAL_ATTRIBUTE = "lenze_personal_page"

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def mark_personal(response: HttpResponseBase) -> HttpResponseBase:
    """Make ``response`` uncacheable and unindexable, replacing any Cache-Control it had."""
    response["Cache-Control"] = PERSONAL_CACHE_CONTROL
    # Old HTTP/1.0 caches ignore Cache-Control; an Expires in the past stops them too.
    response["Expires"] = "0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    setattr(response, PERSONAL_ATTRIBUTE, True)
    return response


def personal_page(view: V) -> V:
    """Decorate a view whose URL or content is personal.

    Its responses (including redirects and error responses it returns) get
    ``Cache-Control: no-store, private``, ``Expires: 0`` and
    ``X-Robots-Tag: noindex, nofollow``. For class-based views use
    ``@method_decorator(personal_page, name="dispatch")``.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return mark_personal(view(request, *args, **kwargs))

    return wrapped  # type: ignore[return-value]


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for staff-login lockouts and rate limits only.

    Customers' addresses are never stored (docs/security.md). Behind the
    TLS-terminating proxy (``DJANGO_BEHIND_PROXY``) ``REMOTE_ADDR`` is the
    proxy, so the right-most ``X-Forwarded-For`` entry, the one our own proxy
    appended, is used; entries further left are whatever the client claimed.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", "") or "")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """django-axes' answer to a locked-out login: the lockout page, status 429."""
    # Imported here: axes.conf writes its defaults into settings when imported.
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(max(1, int(cool_off.total_seconds())))
    return mark_personal(response)


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers fetch on pages without an icon link (the admin).

    A temporary redirect: the target's fingerprinted name changes with each release.
    """
    response = HttpResponseRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
