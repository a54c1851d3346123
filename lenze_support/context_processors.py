import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info

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
    path = same_site_path(request.get_full_path())
    return {
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "helpdesk_phone": settings.HELPDESK_PHONE,
        "alternate_languages": [
            # Each language named in itself, so a reader finds their own.
            (code, get_language_info(code)["name_local"], same_site_path(translate_url(path, code)))
            for code, _name in settings.LANGUAGES
        ],
    }
