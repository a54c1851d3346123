"""Security headers and cookies on every kind of page."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from lenze_support.http import client_ip, personal_page
from lenze_support.middleware import SecurityHeadersMiddleware
from tests.support.processes import environ_without, run_python

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'none'"},
    "object-src": {"'none'"},
}

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid")


def parse_csp(header: str) -> dict[str, set[str]]:
    directives: dict[str, set[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def admin_login_url() -> str:
    return reverse("admin:login")


# Every kind of page that exists now: the public page in both languages, the
# 404 page, the health check, the admin login and a static file. Legal pages,
# the contact form and the order page are added when their apps are finished.
PAGES = {
    "home_de": lambda: "/",
    "home_en": lambda: "/en/",
    "not_found": lambda: "/gibt-es-nicht/",
    "healthz": lambda: reverse("healthz"),
    "admin_login": admin_login_url,
    "static_css": lambda: "/static/css/portal.css",
}


@pytest.fixture(params=sorted(PAGES))
def page_response(request, client):
    return client.get(PAGES[request.param]())


def test_every_kind_of_page_has_the_strict_content_security_policy(page_response):
    assert page_response.status_code in (200, 404)
    assert parse_csp(page_response["Content-Security-Policy"]) == EXPECTED_CSP


def test_no_page_allows_inline_script_or_eval(page_response):
    csp = page_response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "http" not in csp  # no third-party origin anywhere


def test_every_kind_of_page_forbids_sniffing_framing_and_foreign_referrers(page_response):
    assert page_response["X-Content-Type-Options"] == "nosniff"
    assert page_response["X-Frame-Options"] == "DENY"
    # same-origin, never no-referrer: Chromium would send "Origin: null" on POST.
    assert page_response["Referrer-Policy"] == "same-origin"
    assert page_response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_kind_of_page_denies_powerful_browser_features(page_response):
    policy = page_response["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy


def test_admin_login_is_never_stored_by_caches(client):
    response = client.get(admin_login_url())
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_admin_redirect_to_login_is_never_stored(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store, private"


def test_unknown_url_under_admin_path_is_never_stored(client):
    response = client.get("/" + settings.ADMIN_PATH + "gibt-es-nicht/")
    assert "no-store" in response["Cache-Control"]


def test_public_page_seen_by_logged_in_staff_is_never_stored(client):
    staff = get_user_model().objects.create_user("agent", password="pw-123456", is_staff=True)
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_anonymous_public_page_is_not_marked_personal(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/portal.css")
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]


def test_health_check_is_never_cached(client):
    cache_control = client.get(reverse("healthz"))["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def _through_middleware(view, path: str = "/irgendwo/"):
    request = RequestFactory().get(path)
    return SecurityHeadersMiddleware(view)(request)


def test_personal_page_decorator_forbids_storing_and_indexing():
    @personal_page
    def order_page(request):
        response = HttpResponse("Auftrag")
        response["Cache-Control"] = "public, max-age=600"  # must be replaced, not merged
        return response

    response = order_page(RequestFactory().get("/auftrag/geheim/"))
    assert response["Cache-Control"] == "no-store, private"
    assert response["Expires"] == "0"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_personal_page_decorator_keeps_the_view_name():
    @personal_page
    def order_status(request):
        return HttpResponse()

    assert order_status.__name__ == "order_status"


def test_response_varying_on_cookie_without_cache_control_is_made_personal():
    def view(request):
        response = HttpResponse("Formular")
        patch_vary_headers(response, ["Cookie"])
        return response

    assert _through_middleware(view)["Cache-Control"] == "no-store, private"


def test_response_varying_on_cookie_keeps_its_own_explicit_cache_control():
    def view(request):
        response = HttpResponse("öffentlich")
        patch_vary_headers(response, ["Cookie"])
        response["Cache-Control"] = "max-age=60"
        return response

    assert _through_middleware(view)["Cache-Control"] == "max-age=60"


def test_pdf_response_may_be_shown_by_the_browser_but_never_framed():
    def view(request):
        return HttpResponse(b"%PDF-1.7", content_type="application/pdf")

    response = _through_middleware(view)
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_response_neither_personal_nor_varying_on_cookie_is_left_alone():
    response = _through_middleware(lambda request: HttpResponse("hallo"))
    assert "Cache-Control" not in response


def test_session_and_csrf_cookies_are_http_only_and_same_site_lax(client):
    staff = get_user_model().objects.create_user("agent", password="pw-123456", is_staff=True)
    client.get(admin_login_url())  # sets the CSRF cookie
    response = client.post(
        admin_login_url(),
        {"username": "agent", "password": "pw-123456", "next": reverse("admin:index")},
    )
    assert response.status_code == 302, "login failed"
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    assert csrf_cookie["httponly"] is True
    assert csrf_cookie["samesite"] == "Lax"
    # Session cookie without expiry: it ends when the browser closes ...
    assert session_cookie["expires"] == ""
    assert session_cookie["max-age"] == ""
    # ... and the server forgets the session after SESSION_COOKIE_AGE in any case.
    session = client.session
    expiry = session.get_expiry_date()
    assert expiry <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert staff.pk == int(session["_auth_user_id"])


def test_hsts_is_sent_on_https_when_enabled(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def _production_settings(**env: str) -> dict:
    clean = environ_without("DJANGO_", "AXES_")
    clean.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="prod-like-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="support.example.com",
        DJANGO_SETTINGS_MODULE="lenze_support.settings",
        **env,
    )
    code = (
        "import json; from django.conf import settings as s; from django.urls import reverse; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', "
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'AXES_FAILURE_LIMIT')} "
        "| {'admin_url': reverse('admin:index')}))"
    )
    result = run_python("manage.py", "shell", "-c", code, env=clean)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_hsts_is_on():
    values = _production_settings()
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["admin_url"] == "/admin/"
    assert values["AXES_FAILURE_LIMIT"] == 5


def test_admin_path_and_failure_limit_come_from_the_environment():
    values = _production_settings(DJANGO_ADMIN_PATH="/lenze-staff-7f3a", AXES_FAILURE_LIMIT="3")
    assert values["admin_url"] == "/lenze-staff-7f3a/"
    assert values["AXES_FAILURE_LIMIT"] == 3


def test_client_ip_is_the_peer_address_without_a_proxy(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_ip(request) == "192.0.2.7"


def test_client_ip_behind_proxy_is_the_hop_the_proxy_appended(settings):
    settings.BEHIND_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.1"
    )
    assert client_ip(request) == "198.51.100.1"  # the spoofable left entry is ignored


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


# E-mails and PDFs are not shown under the site's CSP: inline styles are normal there.
NOT_WEB_PAGES = {"email", "emails", "mail", "pdf"}


def _project_templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    for app_dir in ROOT.iterdir():
        if (app_dir / "templates").is_dir() and app_dir.name not in {".venv", "var", "templates"}:
            found += sorted((app_dir / "templates").rglob("*.html"))
    return [path for path in found if not NOT_WEB_PAGES & set(path.parts)]


def test_no_project_template_contains_inline_script_handlers_or_styles():
    """The CSP blocks them in the browser; catch them before they reach it."""
    offenders = []
    for template in _project_templates():
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            for match in pattern.finditer(text):
                if "application/json" in match.group(0):
                    continue  # json_script data blocks are not executed
                offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)[:60]}")
    assert offenders == []


def test_favicon_ico_redirects_to_the_portals_own_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
    assert client.get(response["Location"]).status_code == 200


# --- Pages of the apps: legal texts, contact form, order link ------------------


@pytest.fixture
def app_pages(client):
    """One URL of every kind of page the apps serve, with the data they need."""
    from legal.models import LegalDocument
    from tests.factories import order_offer, published_document, support_request

    offer = order_offer()
    published_document(kind=LegalDocument.Kind.IMPRINT, title="Impressum")
    _request, token = support_request()
    asb = offer["asb"]
    return {
        "legal_current": reverse("legal:asb"),
        "legal_version": reverse("legal:asb_version", kwargs={"version": asb.version}),
        "legal_pdf": reverse("legal:asb_pdf", kwargs={"version": asb.version}),
        "imprint": reverse("legal:imprint"),
        "privacy": reverse("legal:privacy"),
        "contact_form": reverse("contact:form"),
        "contact_thanks": reverse("contact:thanks"),
        "order_page": reverse("orders:order", kwargs={"token": token}),
        "order_unknown_token": reverse("orders:order", kwargs={"token": "x" * 43}),
    }


def test_app_pages_have_the_strict_csp_and_site_headers(client, app_pages):
    for name, url in app_pages.items():
        response = client.get(url)
        expected = 404 if name == "order_unknown_token" else 200
        assert response.status_code == expected, (name, response.status_code)
        if name == "legal_pdf":
            # Chromium's PDF viewer breaks under the page policy (crbug.com/271452).
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
        else:
            assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert "camera=()" in response["Permissions-Policy"], name


def test_order_link_pages_are_never_stored_or_indexed(client, app_pages):
    for name in ("order_page", "order_unknown_token"):
        response = client.get(app_pages[name])
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_contact_form_is_never_stored(client, app_pages):
    response = client.get(app_pages["contact_form"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # it carries a CSRF token


def test_order_success_page_is_never_stored(client):
    from tests.factories import order_offer, support_request

    offer = order_offer()
    _request, token = support_request(email="zweite@muster.example")
    data = {
        "privacy_version": offer["privacy"].pk,
        "asb_version": offer["asb"].pk,
        "tariff_version": offer["tariff"].pk,
        "consent": "on",
    }
    placed = client.post(reverse("orders:order", kwargs={"token": token}), data)
    assert placed.status_code == 303
    assert "no-store" in placed["Cache-Control"]
    success = client.get(placed["Location"])
    assert success.status_code == 200
    assert "no-store" in success["Cache-Control"]
    assert "private" in success["Cache-Control"]
    assert parse_csp(success["Content-Security-Policy"]) == EXPECTED_CSP


def test_csrf_refusal_page_has_the_site_headers():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("contact:form"), {"message": "ohne Token"})
    assert response.status_code == 403
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
