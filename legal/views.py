"""Public pages and PDFs of the published legal documents (drafts never)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language, get_language_info
from django.views.decorators.http import require_safe

from legal import selectors
from legal.models import LegalDocument

# Current pages change when a new version comes into force: cache briefly.
CURRENT_MAX_AGE = 5 * 60
# A version's text never changes, but the page around it (footer, layout) may.
VERSION_MAX_AGE = 60 * 60
# A version's PDF never changes at all.
PDF_MAX_AGE = 365 * 24 * 60 * 60


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


@require_safe
def current(request: HttpRequest, kind: str) -> HttpResponse:
    language = _language()
    page = selectors.current_page(kind=kind, language=language)
    if page is None:
        raise Http404("no published version in force")
    response = render_document_page(
        request,
        page.document,
        versions=page.versions,
        german_is_binding=page.document.language != language,
        is_current=True,
    )
    patch_cache_control(response, public=True, max_age=CURRENT_MAX_AGE)
    return response


@require_safe
def version(request: HttpRequest, kind: str, version: int) -> HttpResponse:
    language = _language()
    document = selectors.document_version(
        kind=kind, language=language, version=version, metadata_only=True
    )
    if document is None:
        raise Http404("no such published version")
    page = selectors.current_page(kind=kind, language=language)
    current_doc = page.document if page else None
    response = _page(
        request,
        document,
        language=language,
        is_current=current_doc is not None and current_doc.pk == document.pk,
        current=current_doc,
        # The cached list, unless the current version is the German fallback.
        versions=page.versions if page and page.document.language == document.language else None,
        # The other language has its own numbering: switch to its current page.
        alternate_languages=[
            (code, get_language_info(code)["name_local"], _current_url(kind, code))
            for code, _name in settings.LANGUAGES
        ],
    )
    patch_cache_control(response, public=True, max_age=VERSION_MAX_AGE)
    return response


@require_safe
def pdf(request: HttpRequest, kind: str, version: int) -> HttpResponse:
    stored = selectors.stored_pdf(kind=kind, language=_language(), version=version)
    if stored is None:
        raise Http404("no such published version")
    etag = f'"{stored.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(stored.content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PDF_MAX_AGE, immutable=True)
    return response


def render_document_page(
    request: HttpRequest, document: LegalDocument, **context: Any
) -> HttpResponse:
    """The customer's view of one document (also the admin's preview of a draft).

    A published version's text is rendered once per process and reused (its
    SHA-256 covers the text); a draft's preview passes ``body_html`` itself."""
    return render(request, "legal/document.html", {"document": document, **context})


def _page(
    request: HttpRequest, document: LegalDocument, *, language: str, **context: Any
) -> HttpResponse:
    versions = context.pop("versions", None)
    if versions is None:
        versions = selectors.document_versions(kind=document.kind, language=document.language)
    return render_document_page(
        request,
        document,
        versions=versions,
        german_is_binding=document.language != language,
        **context,
    )


def _current_url(kind: str, language: str) -> str:
    with translation.override(language):
        return reverse(f"legal:{kind}")
