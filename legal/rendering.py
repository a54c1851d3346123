"""Body to sanitised HTML, the canonical text and its SHA-256, and the PDF.

WeasyPrint is imported inside :func:`render_pdf` only: web workers serve stored
PDFs and never need it (importing it makes a process markedly larger;
docs/benchmarks.md, "Legal documents").
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING, Any

import markdown  # type: ignore[import-untyped]
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from legal.models import LegalDocument

# No <img>, <style>, <iframe>, forms or media: a legal text loads nothing from
# anywhere. Links stay (they load nothing until followed).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"id", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# (document, *, body_html) -> PDF bytes
PdfRenderer = Callable[..., bytes]


def body_to_html(body: str) -> SafeString:
    """Markdown (or restricted HTML) to sanitised HTML: no script, handler or resource."""
    # nl2br: a line break typed in the admin is a line break (addresses, lists of names).
    html = markdown.markdown(body, extensions=["tables", "sane_lists", "nl2br"])
    return sanitise(html)


def sanitise(html: str) -> SafeString:
    """Only harmless tags and attributes, only http(s)/mailto/tel links.

    Also applied when stored HTML is shown: a row written past the app (raw
    SQL) must not be able to put a script on the page. It takes microseconds.
    """
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def normalise_body(body: str) -> str:
    """LF line endings, NFC, no leading/trailing blank lines: the stored published body."""
    text = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip("\n")


def canonical_text(document: LegalDocument) -> str:
    """The text the fingerprint covers: identity, title, valid-from (UTC) and body.

    UTF-8 of these lines, then a blank line and the body (as normalised on
    publication by :func:`normalise_body`) with a final newline. Anyone with the
    published values can recompute the SHA-256 (see docs/legal.md).
    """
    valid_from = document.valid_from.astimezone(UTC)
    return unicodedata.normalize(
        "NFC",
        "Lenze legal document\n"
        f"kind: {document.kind}\n"
        f"language: {document.language}\n"
        f"version: {document.version}\n"
        f"title: {document.title}\n"
        f"valid-from: {valid_from.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
        "\n"
        f"{normalise_body(document.body)}\n",
    )


def fingerprint(document: LegalDocument) -> str:
    return hashlib.sha256(canonical_text(document).encode("utf-8")).hexdigest()


def render_pdf(document: LegalDocument, *, body_html: str) -> bytes:
    """A4 PDF of one version: title and version in the header, "Seite X von Y" below.

    Tagged (accessible), text selectable and hyphenated by the document's
    language, in DejaVu fonts (present on Debian by default, embedded as
    subsets), so the PDF looks the same on every machine. Nothing is fetched.
    """
    return pdf_layout(document, body_html=body_html).write_pdf(**PDF_OPTIONS)


def pdf_layout(document: LegalDocument, *, body_html: str) -> Any:
    """WeasyPrint's laid-out document (pages and boxes), before it is written."""
    import weasyprint  # lazy on purpose, see the module docstring

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    with translation.override(document.language):
        html = render_to_string(
            "legal/document_pdf.html",
            {
                "document": document,
                "body_html": sanitise(body_html),  # also marks stored (plain str) HTML safe
                "site_url": settings.SITE_URL,
            },
        )
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).render(
        **PDF_OPTIONS
    )


PDF_OPTIONS: dict[str, Any] = {"pdf_tags": True, "custom_metadata": True}


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"legal PDFs load no resources ({url!r} refused)")
