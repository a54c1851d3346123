"""Site-wide security headers that Django and django-csp do not set themselves.

Placed near the top of ``MIDDLEWARE`` (right after ``SecurityMiddleware``) so
that it sees every response on the way out, including WhiteNoise's static
files, and sees the final ``Vary`` header the session, CSRF and messages
middleware added.
"""

from collections.abc import Callable

from django.conf import settings
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
