import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lenze_support.http import mark_personal
from lenze_support.logs import log_event
from lenze_support.middleware import is_admin_request
from lenze_support.ratelimits import RETRY_AFTER_ATTRIBUTE

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 (unparsable body, too many fields, too large): the site's page, not Django's bare one."""
    return mark_personal(render(request, "400.html", status=400))  # type: ignore[return-value]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: they might be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: a client over a rate limit gets 429 in its language, nothing done."""
    # The view's name, not the path: an order link's path carries its secret token.
    match = getattr(request, "resolver_match", None)
    log_event(
        logger,
        "ratelimit.hit",
        level=logging.WARNING,
        view=match.view_name if match else "unknown",
        method=request.method,
    )
    context = {"with_english": is_admin_request(request) and get_language() != "en"}
    response = render(request, "429.html", context, status=429)
    # Seconds until the client's window ends (lenze_support.ratelimits.limit); a
    # limit applied some other way names a minute, the shortest window in use.
    retry_after = getattr(request, RETRY_AFTER_ATTRIBUTE, None) or 60
    response["Retry-After"] = str(retry_after)
    mark_personal(response)
    return response
