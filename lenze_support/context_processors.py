import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language_info, override


def _in_language(request: HttpRequest, code: str) -> str:
    """This page's address in language ``code`` (``translate_url`` without
    resolving the path again: the request's own resolver match is reused)."""
    match = request.resolver_match
    if match is None or match.url_name is None:
        return translate_url(request.get_full_path(), code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            path = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


#: Leading slashes and backslashes: browsers read "//host" and "/\\host" as another site.
_LEADING_SLASHES = re.compile(r"\A[/\\]+")


def same_site_path(url: str) -> str:
    """``url`` reduced to a path (and query) on this site: never another host.

    A request path like ``//evil.example/kontakt/`` (or ``/%2Fevil.example/…``)
    would otherwise come back from ``translate_url`` as a protocol-relative
    link to that host.
    """
    parts = urlsplit(_LEADING_SLASHES.sub("/", url))
    path = _LEADING_SLASHES.sub("/", parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    return urlunsplit(("", "", path, parts.query, ""))


def site(request: HttpRequest) -> dict[str, object]:
    """Site-wide template values: helpdesk contact and the language switch."""
    return {
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "helpdesk_phone": settings.HELPDESK_PHONE,
        "alternate_languages": [
            # Each language named in itself, so a reader finds their own.
            (
                code,
                get_language_info(code)["name_local"],
                same_site_path(_in_language(request, code)),
            )
            for code, _name in settings.LANGUAGES
        ],
    }
