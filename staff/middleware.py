"""Staff who logged in with their password but not yet with the second factor reach
nothing under the admin's path except the second-factor pages and the logout."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from lenze_support.middleware import is_admin_request
from staff.selectors import has_second_factor, is_verified

#: Admin URL names an unverified staff member may open.
OPEN_BEFORE_SECOND_FACTOR = ("staff_verify", "staff_enrol", "staff_enrol_qr", "logout")


class StaffSecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: redirect unverified staff to verification
    (or to enrolment, when they have no authenticator yet)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The admin's path first: touching request.user reads the session, and
        # public pages must not vary on the cookie.
        if not is_admin_request(request):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and not is_verified(user):
            allowed = {reverse(f"admin:{name}") for name in OPEN_BEFORE_SECOND_FACTOR}
            if request.path not in allowed:
                return self._redirect(request, enrolled=has_second_factor(user=user))
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest, *, enrolled: bool) -> HttpResponseRedirect:
        target = reverse("admin:staff_verify" if enrolled else "admin:staff_enrol")
        login = reverse("admin:login")
        if request.method in ("GET", "HEAD") and request.path != login:
            target += "?" + urlencode({"next": request.get_full_path()})
        elif request.path == login and request.GET.get("next"):
            target += "?" + urlencode({"next": request.GET["next"]})
        return HttpResponseRedirect(target)
