"""The second-factor pages under the admin's path: verification, enrolment, backup codes.

Thin: parse the code, call ``staff.services``, render. A wrong code counts as a
failed login for django-axes (same lockout as the password step) and every POST
counts towards the admin-login rate limit.
"""

from __future__ import annotations

import io
from base64 import b32encode
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from lenze_support import ratelimits
from lenze_support.http import client_ip, lockout_response, mark_personal
from staff import selectors, services
from staff.errors import TwoFactorError
from staff.forms import CodeForm

login_limit = ratelimits.limit(
    group="admin.login", setting="ADMIN_LOGIN_RATE_LIMIT", methods="POST"
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _staff_user(request: HttpRequest) -> Any:
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        return user
    return None


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def _count_failure(request: HttpRequest, user: Any) -> HttpResponse | None:
    """A refused code is a failed login for django-axes; the lockout page once locked."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        return _locked_out(request)
    return None


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    request.axes_locked_out = False  # type: ignore[attr-defined]  # the page is answered here
    return lockout_response(request)  # type: ignore[return-value]


def _passed(request: HttpRequest, user: Any, device: Device) -> None:
    """Both factors passed: mark the session, give it a new key, clear axes' failures."""
    django_otp.login(request, device)
    request.session.cycle_key()
    AxesProxyHandler.reset_attempts(ip_address=client_ip(request), username=user.get_username())


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context = {"next": _next_url(request), "site_header": _("Zwei-Faktor-Anmeldung"), **context}
    return mark_personal(render(request, template, context))  # type: ignore[return-value]


@require_http_methods(["GET", "HEAD", "POST"])
@login_limit
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of the staff login: a code from the authenticator or a backup code."""
    user = _staff_user(request)
    if user is None:
        return HttpResponseRedirect(reverse("admin:login"))
    if selectors.is_verified(user):
        return HttpResponseRedirect(_next_url(request))
    if not selectors.has_second_factor(user=user):
        return HttpResponseRedirect(reverse("admin:staff_enrol"))
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error.message))
            if error.message is not TwoFactorError.MALFORMED:
                locked = _count_failure(request, user)
                if locked is not None:
                    return locked
        else:
            _passed(request, user, device)
            return HttpResponseRedirect(_next_url(request))
    return _page(request, "staff/verify.html", {"form": form, "title": _("Bestätigungscode")})


@require_http_methods(["GET", "HEAD", "POST"])
@login_limit
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the key), confirm with a code, get backup codes."""
    user = _staff_user(request)
    if user is None:
        return HttpResponseRedirect(reverse("admin:login"))
    if selectors.has_second_factor(user=user):
        target = "admin:index" if selectors.is_verified(user) else "admin:staff_verify"
        return HttpResponseRedirect(reverse(target))
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request)
    device = services.enrolment_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error.message))
            if error.message in (TwoFactorError.INVALID, TwoFactorError.THROTTLED):
                locked = _count_failure(request, user)
                if locked is not None:
                    return locked
        else:
            _passed(request, user, device)
            # The codes exist only in this response: never in the session or a message.
            return _page(
                request,
                "staff/backup_codes.html",
                {"codes": codes, "enrolled": True, "title": _("Ihre Backup-Codes")},
            )
    return _page(
        request,
        "staff/enrol.html",
        {
            "form": form,
            "title": _("Zweiten Faktor einrichten"),
            "secret": _grouped(device),
            "account": user.get_username(),
        },
    )


@require_http_methods(["GET", "HEAD"])
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The enrolment QR code (``otpauth://`` URL) as SVG, drawn by the portal itself."""
    user = _staff_user(request)
    if user is None or selectors.has_second_factor(user=user):
        raise Http404
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        raise Http404
    buffer = io.BytesIO()
    write_qrcode_image(device.config_url, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    return mark_personal(response)  # type: ignore[return-value]


@require_http_methods(["GET", "HEAD", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; POST replaces them with ten new ones (shown once)."""
    user = request.user
    if request.method == "POST":
        codes = services.backup_codes_issue(user=user)  # type: ignore[arg-type]
        return _page(
            request,
            "staff/backup_codes.html",
            {"codes": codes, "enrolled": False, "title": _("Ihre neuen Backup-Codes")},
        )
    left = selectors.backup_codes_left(user=user)  # type: ignore[arg-type]
    return _page(request, "staff/backup_codes.html", {"left": left, "title": _("Backup-Codes")})


def _grouped(device: TOTPDevice) -> str:
    """The base32 key in groups of four, as authenticator apps show it for manual entry."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
