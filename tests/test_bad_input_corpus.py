"""The bad-input corpus: malformed requests against every public
endpoint and the admin login.

For each request: the expected answer (a 4xx, or the form shown again; a few
harmless redirects are named explicitly), never a 500 (the test client re-raises
any exception a view lets through), no unescaped script payload in the answer,
and unchanged row counts in every table of every app (``apps.get_models()``).
The one deliberate exception: a login attempt that reaches authentication is
recorded by django-axes (``axes.AccessAttempt``), which is its job.

Figures (number of requests per family) are in docs/security.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone

from orders.models import SupportRequest
from orders.services import Shown, order_place, support_request_revoke
from tests.factories import order_offer, published_document, support_request

pytestmark = pytest.mark.django_db

XSS = '<script>alert("xss")</script>'
SQL = "' OR 1=1; DROP TABLE orders_order; --"
AXES_TABLES = {"axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"}

#: Answers that show the order form again (400 tampered, 409 stale, 200 consent missing).
ORDER_REFUSED = frozenset({200, 400, 409})
NOT_FOUND = frozenset({404})
#: An unsafe method: Django's CSRF check (403) or the view's method check (405).
WRONG_METHOD = frozenset({403, 405})
#: A path without its trailing slash: CommonMiddleware's redirect (if the slashed one
#: resolves) or 404.
SLASHLESS = frozenset({301, 404})


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    expect: frozenset[int]
    data: Any = None
    content_type: str | None = None
    csrf: str = "exempt"  # exempt | missing | wrong | cookie_only | valid
    headers: dict[str, str] = field(default_factory=dict)
    login: bool = False  # reaches authentication: axes may record the attempt


# --- token shapes --------------------------------------------------------------------

TOKENS: dict[str, str] = {
    "empty-ish": "-",
    "short": "a",
    "long-10k": "A" * 10_000,
    "long-valid-alphabet": "x" * 43 + "y",
    "unicode-umlaut": "bestellungäöü",
    "unicode-emoji": "😀" * 20,
    "unicode-rtl": "\u202eabc\u202c",
    "unicode-combining": "e\u0301" * 30,
    "path-traversal": "..",
    "path-dot": ".",
    "percent-dotdot": "%2e%2e",
    "percent-slash": "abc%2Fdef",
    "percent-null": "%00",
    "percent-invalid-utf8": "%ff%fe",
    "percent-double": "%252e%252e%252f",
    "null-byte": "ab\x00cd",
    "control-chars": "\x01\x02\x1b[31m",
    "script": XSS,
    "sql": SQL,
    "spaces": "   ",
    "crlf": "abc\r\nSet-Cookie: x=1",
    "backslash-traversal": "..\\..\\windows\\win.ini",
    "json": '{"token":1}',
    "uppercase-of-valid": "{OPEN_UPPER}",
    "valid-plus-char": "{open}x",
    "valid-minus-char": "{OPEN_SHORT}",
}

ORDER_PATHS = {
    "order-de": ("GET", "/auftrag/{t}/"),
    "order-en": ("GET", "/en/order/{t}/"),
    "placed-de": ("GET", "/auftrag/{t}/erteilt/"),
    "order-post": ("POST", "/auftrag/{t}/"),
}


def _token_cases() -> list[Case]:
    cases = []
    for name, token in TOKENS.items():
        for page, (method, template) in ORDER_PATHS.items():
            data = {"consent": "on", "privacy_version": "{privacy}"} if method == "POST" else None
            cases.append(
                Case(
                    f"token-{name}-{page}", method, template.replace("{t}", token), NOT_FOUND, data
                )
            )
    return cases


# --- order form: tampered, stale, missing, oversized -----------------------------------

GOOD = {"privacy_version": "{privacy}", "asb_version": "{asb}", "tariff_version": "{tariff}"}
BAD_IDS = [
    "",
    "0",
    "-1",
    "1.5",
    "1e3",
    "abc",
    "2147483648",
    "9" * 40,
    "0x10",
    SQL,
    XSS,
    "\x00",
    "NaN",
]


def _order_form_cases() -> list[Case]:
    cases = []
    url = "/auftrag/{open}/"
    for hidden in ("privacy_version", "asb_version", "tariff_version"):
        for i, bad in enumerate(BAD_IDS):
            data = {**GOOD, "consent": "on", hidden: bad}
            cases.append(Case(f"order-tampered-{hidden}-{i}", "POST", url, ORDER_REFUSED, data))
        cases.append(
            Case(
                f"order-missing-{hidden}",
                "POST",
                url,
                ORDER_REFUSED,
                {k: v for k, v in {**GOOD, "consent": "on"}.items() if k != hidden},
            )
        )
    stale = [
        ("stale-asb", {**GOOD, "asb_version": "{stale_asb}"}),
        ("swapped-documents", {**GOOD, "privacy_version": "{asb}", "asb_version": "{privacy}"}),
        ("asb-as-tariff", {**GOOD, "tariff_version": "{asb}"}),
        ("unknown-ids", {**GOOD, "privacy_version": "999999", "asb_version": "999998"}),
        ("english-page-german-ids-stale", {**GOOD, "asb_version": "{stale_asb}"}),
    ]
    for name, data in stale:
        cases.append(Case(f"order-{name}", "POST", url, ORDER_REFUSED, {**data, "consent": "on"}))
    for i, consent in enumerate(["", "off", "false", "0"]):
        # The box not ticked: the form again with the consent error, nothing ordered.
        cases.append(
            Case(
                f"order-consent-falsy-{i}",
                "POST",
                url,
                frozenset({200}),
                {**GOOD, "consent": consent},
            )
        )
    cases += [
        Case("order-empty-post", "POST", url, ORDER_REFUSED, {}),
        Case(
            "order-list-values",
            "POST",
            url,
            ORDER_REFUSED,
            {"privacy_version": ["1", "2"], "consent": "on"},
        ),
        Case(
            "order-oversized-field",
            "POST",
            url,
            ORDER_REFUSED,
            {**GOOD, "asb_version": "9" * 200_000},
        ),
        Case("order-oversized-body", "POST", url, frozenset({400}), {"x": "y" * 300_000}),
        Case(
            "order-too-many-fields",
            "POST",
            url,
            frozenset({400}),
            {f"f{i}": "1" for i in range(300)},
        ),
        Case(
            "order-json-body", "POST", url, ORDER_REFUSED, '{"consent": "on"}', "application/json"
        ),
        Case("order-xml-body", "POST", url, ORDER_REFUSED, "<consent>on</consent>", "text/xml"),
        Case(
            "order-invalid-utf8",
            "POST",
            url,
            ORDER_REFUSED,
            b"consent=on&privacy_version=%ff%fe\xff\xfe",
            "application/x-www-form-urlencoded",
        ),
        Case(
            "order-bad-charset",
            "POST",
            url,
            ORDER_REFUSED,
            b"consent=on&asb_version=1",
            "application/x-www-form-urlencoded; charset=no-such-charset",
        ),
        Case(
            "order-broken-multipart",
            "POST",
            url,
            frozenset({400}),
            b"--x\r\nContent-Disposition: form-data\r\n\r\nbroken",
            "multipart/form-data; boundary=x",
        ),
        Case(
            "order-multipart-no-boundary",
            "POST",
            url,
            frozenset({400}),
            b"consent=on",
            "multipart/form-data",
        ),
        Case(
            "order-expired-link",
            "POST",
            "/auftrag/{expired}/",
            frozenset({410}),
            {**GOOD, "consent": "on"},
        ),
        Case(
            "order-revoked-link",
            "POST",
            "/auftrag/{revoked}/",
            frozenset({410}),
            {**GOOD, "consent": "on"},
        ),
        # A repeated submit of an ordered link shows the order (303), never a second one.
        Case(
            "order-ordered-link-again",
            "POST",
            "/auftrag/{ordered}/",
            frozenset({303}),
            {**GOOD, "consent": "on"},
        ),
        Case(
            "order-ordered-link-stale",
            "POST",
            "/auftrag/{ordered}/",
            frozenset({303}),
            {"consent": "on"},
        ),
        Case(
            "order-script-in-every-field",
            "POST",
            url,
            ORDER_REFUSED,
            {"consent": XSS, "privacy_version": XSS, "asb_version": XSS, "tariff_version": XSS},
        ),
        Case(
            "order-sql-in-every-field",
            "POST",
            url,
            ORDER_REFUSED,
            {"consent": SQL, "privacy_version": SQL, "asb_version": SQL, "tariff_version": SQL},
        ),
        Case(
            "order-en-tampered",
            "POST",
            "/en/order/{open}/",
            ORDER_REFUSED,
            {**GOOD, "consent": "on", "tariff_version": "x"},
        ),
        Case("order-placed-page-post", "POST", "/auftrag/{open}/erteilt/", frozenset({405})),
        Case("order-placed-page-before-order", "GET", "/auftrag/{open}/erteilt/", frozenset({302})),
        Case("order-expired-get", "GET", "/auftrag/{expired}/", frozenset({410})),
        Case("order-revoked-get", "GET", "/en/order/{revoked}/", frozenset({410})),
        Case("order-no-trailing-slash", "GET", "/auftrag/{open}", SLASHLESS),
        Case("order-double-slash", "GET", "/auftrag//{open}/", NOT_FOUND),
        Case("order-extra-segment", "GET", "/auftrag/{open}/extra/", NOT_FOUND),
        Case("order-token-in-query-only", "GET", "/auftrag/?token={open}", NOT_FOUND),
    ]
    return cases


# --- CSRF: missing, wrong, cookie only, on every form -----------------------------------

FORMS = {
    "order": ("/auftrag/{open}/", {**GOOD, "consent": "on"}),
    "order-en": ("/en/order/{open}/", {**GOOD, "consent": "on"}),
    "contact": (
        "/kontakt/",
        {"name": "A", "company": "B", "email": "a@b.example", "message": "x" * 20},
    ),
    "contact-en": (
        "/en/contact/",
        {"name": "A", "company": "B", "email": "a@b.example", "message": "x" * 20},
    ),
    "admin-login": ("/admin/login/", {"username": "admin", "password": "x"}),
}


def _csrf_cases() -> list[Case]:
    cases = []
    for name, (url, data) in FORMS.items():
        for mode in ("missing", "wrong", "cookie_only", "token_only", "malformed"):
            cases.append(
                Case(f"csrf-{mode}-{name}", "POST", url, frozenset({403}), data, csrf=mode)
            )
        cases.append(
            Case(
                f"csrf-foreign-origin-{name}",
                "POST",
                url,
                frozenset({403}),
                data,
                csrf="valid",
                headers={"HTTP_ORIGIN": "https://evil.example"},
            )
        )
    return cases


# --- wrong methods on every endpoint ---------------------------------------------------

ENDPOINTS = [
    "/",
    "/en/",
    "/healthz",
    "/favicon.ico",
    "/rechtliches/asb/",
    "/rechtliches/datenschutz/",
    "/en/legal/imprint/",
    "/rechtliches/asb/v{stale_asb_version}/",
    "/rechtliches/asb/v{stale_asb_version}.pdf",
    "/auftrag/{open}/",
    "/auftrag/{open}/erteilt/",
    "/kontakt/",
    "/kontakt/danke/",
    "/admin/login/",
]


def _method_cases() -> list[Case]:
    cases = []
    for path in ENDPOINTS:
        for method in ("PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"):
            # As in production: the CSRF check is on (no token sent with these).
            cases.append(
                Case(f"method-{method}-{path}", method, path, WRONG_METHOD, csrf="missing")
            )
        if path not in ("/auftrag/{open}/", "/kontakt/", "/admin/login/"):
            cases.append(Case(f"method-POST-{path}", "POST", path, frozenset({405}), {"a": "b"}))
    return cases


# --- contact form ----------------------------------------------------------------------

CONTACT_OK = {
    "name": "Erika Mustermann",
    "company": "Muster GmbH",
    "email": "not-an-email",  # invalid on purpose: no case may store a message
    "phone": "",
    "reference": "",
    "message": "Bitte um Rückruf wegen Fehler F0815.",
    "website": "",
}
FORM_AGAIN = frozenset({200})


def _contact_cases() -> list[Case]:
    cases = []
    payloads = {
        "script": XSS,
        "sql": SQL,
        "null-byte": "a\x00b",
        "crlf-header": "Erika\r\nBcc: victim@example.com",
        "control": "\x07\x1b[2J",
        "long-10k": "x" * 10_000,
        "unicode-rtl": "\u202eevil\u202c",
        "emoji": "😀" * 100,
        "template-tag": "{{ settings.SECRET_KEY }}{% debug %}",
        "path-traversal": "../../../../etc/passwd",
        "only-spaces": "     ",
    }
    for field_name in ("name", "company", "email", "phone", "reference", "message"):
        for pname, payload in payloads.items():
            cases.append(
                Case(
                    f"contact-{field_name}-{pname}",
                    "POST",
                    "/kontakt/",
                    FORM_AGAIN,
                    {**CONTACT_OK, field_name: payload},
                )
            )
    cases += [
        Case("contact-empty", "POST", "/kontakt/", FORM_AGAIN, {}),
        Case("contact-en-empty", "POST", "/en/contact/", FORM_AGAIN, {}),
        Case(
            "contact-honeypot",
            "POST",
            "/kontakt/",
            frozenset({302}),
            {**CONTACT_OK, "email": "a@b.example", "website": "http://spam.example"},
        ),
        Case(
            "contact-list-values",
            "POST",
            "/kontakt/",
            FORM_AGAIN,
            {**CONTACT_OK, "name": ["a", "b"]},
        ),
        Case(
            "contact-oversized-body",
            "POST",
            "/kontakt/",
            frozenset({400}),
            {**CONTACT_OK, "message": "x" * 300_000},
        ),
        Case(
            "contact-too-many-fields",
            "POST",
            "/kontakt/",
            frozenset({400}),
            {f"f{i}": "1" for i in range(300)},
        ),
        Case(
            "contact-invalid-utf8",
            "POST",
            "/kontakt/",
            FORM_AGAIN,
            b"name=%ff%fe&company=\xff\xfe&email=x&message=\xc3\x28" + b"a" * 20,
            "application/x-www-form-urlencoded",
        ),
        Case(
            "contact-latin1-charset",
            "POST",
            "/kontakt/",
            frozenset({400}),
            "name=M\xfcller&email=x".encode("latin-1"),
            "application/x-www-form-urlencoded; charset=latin-1",
        ),
        Case(
            "contact-bad-charset",
            "POST",
            "/kontakt/",
            FORM_AGAIN,
            b"name=a&email=x",
            "application/x-www-form-urlencoded; charset=x-no-such",
        ),
        Case(
            "contact-json-body",
            "POST",
            "/kontakt/",
            FORM_AGAIN,
            '{"name": "a"}',
            "application/json",
        ),
        Case(
            "contact-broken-multipart",
            "POST",
            "/kontakt/",
            frozenset({200, 400}),
            b"--b\r\nbroken",
            "multipart/form-data; boundary=b",
        ),
        Case(
            "contact-file-upload",
            "POST",
            "/kontakt/",
            FORM_AGAIN,
            b'--b\r\nContent-Disposition: form-data; name="message"; filename="../../x.sh"'
            b"\r\n\r\n#!/bin/sh\r\n--b--\r\n",
            "multipart/form-data; boundary=b",
        ),
        Case("contact-thanks-post", "POST", "/kontakt/danke/", frozenset({405}), CONTACT_OK),
    ]
    return cases


# --- admin login -----------------------------------------------------------------------


def _admin_cases() -> list[Case]:
    url = "/admin/login/"
    creds = {
        "sql": {"username": SQL, "password": SQL},
        "script": {"username": XSS, "password": "x"},
        "unicode": {"username": "ädmin😀\u202e", "password": "ß"},
        "long-username": {"username": "a" * 10_000, "password": "x"},
        "long-password": {"username": "admin", "password": "p" * 100_000},
        "null-byte": {"username": "adm\x00in", "password": "x\x00"},
        "empty": {"username": "", "password": ""},
        "missing-password": {"username": "admin"},
        "list-values": {"username": ["a", "b"], "password": "x"},
        "open-redirect-next": {"username": "admin", "password": "wrong", "next": "//evil.example/"},
        "js-next": {"username": "admin", "password": "wrong", "next": "javascript:alert(1)"},
        "crlf-username": {"username": "admin\r\nX-Injected: 1", "password": "x"},
    }
    cases = [
        Case(f"admin-login-{name}", "POST", url, FORM_AGAIN, data, login=True)
        for name, data in creds.items()
    ]
    cases += [
        Case(
            "admin-login-oversized-body",
            "POST",
            url,
            frozenset({400}),
            {"username": "a", "password": "p" * 300_000},
        ),
        Case(
            "admin-login-too-many-fields",
            "POST",
            url,
            frozenset({400}),
            {f"f{i}": "1" for i in range(300)},
        ),
        Case(
            "admin-login-invalid-utf8",
            "POST",
            url,
            FORM_AGAIN,
            b"username=%ff\xfe&password=\xc3\x28",
            "application/x-www-form-urlencoded",
            login=True,
        ),
        Case(
            "admin-login-json",
            "POST",
            url,
            FORM_AGAIN,
            '{"username": "admin"}',
            "application/json",
            login=True,
        ),
        Case(
            "admin-login-broken-multipart",
            "POST",
            url,
            frozenset({200, 400}),
            b"--z\r\nbroken",
            "multipart/form-data; boundary=z",
        ),
        Case("admin-login-get-with-next-script", "GET", url + "?next=" + XSS, FORM_AGAIN),
        Case("admin-index-anonymous", "GET", "/admin/", frozenset({302})),
        Case("admin-traversal", "GET", "/admin/../../etc/passwd", frozenset({302, 404})),
        Case("admin-unknown", "GET", "/admin/does-not-exist/", frozenset({302, 404})),
    ]
    return cases


# --- paths, query strings, legal pages --------------------------------------------------


def _path_cases() -> list[Case]:
    huge = "&".join(f"p{i}={'v' * 10}" for i in range(5_000))
    cases = []
    for page in (
        "/",
        "/en/",
        "/rechtliches/asb/",
        "/kontakt/",
        "/auftrag/{open}/",
        "/admin/login/",
    ):
        expect = frozenset({200})
        cases += [
            # 5,000 parameters: pages that read the query refuse it (400), others ignore it.
            Case(f"query-huge-{page}", "GET", f"{page}?{huge}", frozenset({200, 400})),
            Case(f"query-script-{page}", "GET", f"{page}?q={XSS}&next={XSS}", expect),
            Case(f"query-sql-{page}", "GET", f"{page}?id={SQL}", expect),
            Case(f"query-invalid-utf8-{page}", "GET", f"{page}?q=%ff%fe%00", expect),
        ]
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/../lenze_support/settings.py",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/rechtliches/../../../etc/passwd",
        "/rechtliches/asb/v0/",
        "/rechtliches/asb/v01/",
        "/rechtliches/asb/v-1/",
        "/rechtliches/asb/v9999999999/",
        "/rechtliches/asb/v999999999/",
        "/rechtliches/asb/v999999999.pdf",
        "/rechtliches/asb/v1.pdf/..",
        "/rechtliches/unbekannt/",
        "/rechtliches/asb/v{draft_version}/",
        "/rechtliches/asb/v{draft_version}.pdf",
        "/en/legal/asb/v{stale_asb_version}/",
        "/en/rechtliches/asb/",
        "/de/auftrag/{open}/",
        "/en/en/order/{open}/",
        "/fr/",
        "/%00",
        "/\x00",
        "/%ff",
        "/" + "a" * 8_000,
        "/" + "😀" * 100,
        "/.env",
        "/.git/config",
        "/wp-login.php",
        "/kontakt/danke/" + XSS,
    ]:
        cases.append(Case(f"path-{path[:40]}", "GET", path, frozenset({301, 302, 404})))
    return cases


CASES: list[Case] = (
    _token_cases()
    + _order_form_cases()
    + _csrf_cases()
    + _method_cases()
    + _contact_cases()
    + _admin_cases()
    + _path_cases()
)


def test_the_corpus_has_at_least_three_hundred_requests():
    assert len(CASES) >= 300
    assert len({case.id for case in CASES}) == len(CASES)


# --- the world the corpus runs against ---------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, str]]:
    """Links in every state, current and stale document versions: created once per
    module inside an outer transaction that is rolled back at the end (like
    Django's ``setUpTestData``); each case runs in a savepoint of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> dict[str, str]:
    from tests.factories import LegalDocumentFactory

    offer = order_offer()
    stale_asb = offer["asb"]
    asb = published_document(title="Allgemeine Servicebedingungen (neu)")
    draft = LegalDocumentFactory.create(kind="asb", language="de")
    _r, open_token = support_request(case_reference="HD-open")
    ordered_request, ordered_token = support_request(case_reference="HD-ordered")
    order_place(
        support_request=ordered_request,
        consent=True,
        shown=Shown(privacy_id=offer["privacy"].pk, asb_id=asb.pk, tariff_id=offer["tariff"].pk),
        language="de",
    )
    expired_request, expired_token = support_request(case_reference="HD-expired")
    past = timezone.now() - timedelta(days=30)
    SupportRequest.objects.filter(pk=expired_request.pk).update(
        created_at=past, expires_at=past + timedelta(days=1)
    )
    revoked_request, revoked_token = support_request(case_reference="HD-revoked")
    support_request_revoke(support_request=revoked_request)
    return {
        "open": open_token,
        "OPEN_UPPER": open_token.upper(),
        "OPEN_SHORT": open_token[:-1],
        "ordered": ordered_token,
        "expired": expired_token,
        "revoked": revoked_token,
        "privacy": str(offer["privacy"].pk),
        "asb": str(asb.pk),
        "stale_asb": str(stale_asb.pk),
        "stale_asb_version": str(stale_asb.version),
        "draft_version": str((draft.version or 0) + 7),
        "tariff": str(offer["tariff"].pk),
    }


def fill(value: Any, world: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in world.items():
            value = value.replace("{" + key + "}", replacement)
        return value
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    return value


def row_counts(exclude: frozenset[str] | set[str] = frozenset()) -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in exclude
    }


def send(case: Case, world: dict[str, str]):
    path = fill(case.path, world)
    data = fill(case.data, world)
    enforce = case.csrf != "exempt"
    client = Client(enforce_csrf_checks=enforce)
    headers = dict(case.headers)
    if enforce:
        if case.csrf in ("cookie_only", "valid", "wrong", "malformed"):
            client.get("/kontakt/")  # sets the CSRF cookie
        cookie = client.cookies.get("csrftoken")
        if case.csrf == "valid":
            assert cookie is not None
            data = {**data, "csrfmiddlewaretoken": cookie.value}
        elif case.csrf == "wrong":
            data = {**data, "csrfmiddlewaretoken": "a" * 64}
        elif case.csrf == "malformed":
            data = {**data, "csrfmiddlewaretoken": "<>" * 10}
        elif case.csrf == "token_only":
            data = {**data, "csrfmiddlewaretoken": "b" * 32}
    kwargs: dict[str, Any] = dict(headers)
    if case.content_type is not None:
        return client.generic(case.method, path, data, content_type=case.content_type, **kwargs)
    if case.method == "GET":
        return client.get(path, **kwargs)
    if case.method == "POST":
        return client.post(path, data or {}, **kwargs)
    return client.generic(case.method, path, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_an_expected_answer_never_a_500_and_changes_no_rows(case, world, db):
    exclude = AXES_TABLES if case.login else set()
    before = row_counts(exclude)
    response = send(case, world)
    assert response.status_code in case.expect, (response.status_code, case)
    assert row_counts(exclude) == before
    body = b"" if getattr(response, "streaming", False) else response.content
    assert XSS.encode() not in body
