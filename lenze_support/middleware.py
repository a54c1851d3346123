"""Site-wide security headers that Django and django-csp do not set themselves.

Placed near the top of ``MIDDLEWARE`` (right after ``SecurityMiddleware``) so
that it sees every response on the way out, including WhiteNoise's static
files, and sees the final ``Vary`` header the session, CSRF and messages
middleware added.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import has_vary_header

from lenze_support.http import PERSONAL_ATTRIBUTE, mark_personal

#: Browser features no page of the portal uses; denied for the page and any frame.
#: Only names Chromium recognises: it logs a console warning for every unknown one.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)

#: The policy of a PDF response. Chromium shows a PDF in a synthetic page whose
#: built-in viewer uses an <embed> and inline styles: the site's policy
#: (object-src 'none', style-src 'self') leaves it blank (crbug.com/271452).
#: A PDF runs no page script, so only framing needs to be forbidden.
PDF_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'"


def is_admin_request(request: HttpRequest) -> bool:
    """True for every URL under the admin's (configurable) path, found or not."""
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return True
    return request.path_info.startswith("/" + settings.ADMIN_PATH)


def is_staff_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class SecurityHeadersMiddleware:
    """Permissions-Policy and X-Frame-Options on every response; no-store on personal ones.

    A response is treated as personal (``Cache-Control: no-store, private``)
    when the view marked it with ``lenze_support.http.personal_page``, when it
    belongs to the admin, when a logged-in staff member requested it, or when
    it varies on ``Cookie`` and set no Cache-Control of its own (its content
    may depend on the session, so no shared cache may keep it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Django's clickjacking middleware sits below WhiteNoise; static files need it too.
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.get("Content-Type", "").startswith("application/pdf"):
            # django-csp (outside this middleware) keeps a header that is already set.
            response.headers.setdefault("Content-Security-Policy", PDF_CONTENT_SECURITY_POLICY)
        if self._is_personal(request, response):
            mark_personal(response)
        return response

    @staticmethod
    def _is_personal(request: HttpRequest, response: HttpResponseBase) -> bool:
        if getattr(response, PERSONAL_ATTRIBUTE, False):
            return True
        if is_admin_request(request) or is_staff_request(request):
            return True
        return "Cache-Control" not in response and has_vary_header(response, "Cookie")


#: An admin action's selected rows are row ids: integer keys, or the UUIDs of the
#: background tasks' rows.
_ROW_ID = re.compile(r"\A(?:[0-9]{1,19}|[0-9a-fA-F]{8}(?:-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12})\Z")


class AdminInputMiddleware:
    """400 for admin requests whose parameters cannot be valid, before a query is built.

    A NUL byte in a filter, search or form value reaches PostgreSQL as a string
    literal it refuses (a 500), and a selected row that is not a row id fails
    the action's ``pk__in`` look-up. Both are bad requests, answered with the
    site's 400 page. Only for logged-in staff: the login form handles its own
    input, and nothing else under the admin's path is reachable without a login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_admin_request(request) and is_staff_request(request) and self._malformed(request):
            from lenze_support.views import bad_request

            return bad_request(request, SuspiciousOperation("malformed admin parameter"))
        return self.get_response(request)

    @staticmethod
    def _malformed(request: HttpRequest) -> bool:
        query = request.GET
        if any("\x00" in key or any("\x00" in v for v in query.getlist(key)) for key in query):
            return True
        if request.method != "POST":
            return False
        form = request.POST
        if any("\x00" in key or any("\x00" in v for v in form.getlist(key)) for key in form):
            return True
        return not all(_ROW_ID.match(row) for row in form.getlist("_selected_action"))


class RequestBodyLimitMiddleware:
    """413 for a request whose declared body is larger than ``MAX_REQUEST_BODY_BYTES``.

    Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` covers form fields only: a
    multipart file part is streamed to a temporary file on disk while the
    body is parsed, which happens before the CSRF check refuses the request.
    No endpoint of the portal takes files, so the whole body is limited here,
    before anything reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django answers a malformed length itself (no body is read)
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return self._too_large(request)
        return self.get_response(request)

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponseBase:
        from django.shortcuts import render
        from django.utils import translation

        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            response = render(request, "413.html", status=413)
        # The unread body stays on the connection: the client must open a new one.
        response["Connection"] = "close"
        return mark_personal(response)
