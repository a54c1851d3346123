"""Reads with rules: which version is current, which versions exist."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from legal.models import LegalDocument

# What the version list shows; the body and the PDF stay in the database.
_LIST_FIELDS = (
    "id", "kind", "language", "version", "title", "valid_from", "published_at", "sha256",
)  # fmt: skip


def document_current(
    *, kind: str, language: str, at: datetime | None = None, metadata_only: bool = False
) -> LegalDocument | None:
    """The version in force: newest published version of ``kind`` in ``language``
    whose valid-from has passed at ``at`` (default: now) and that was published
    by then (so asking about the past never answers with a later publication).

    Without such an English version, English falls back to the German one; the
    caller sees ``doc.language != language`` and says the German text is binding.
    The PDF bytes are deferred (load them with ``document_pdf``); with
    ``metadata_only`` the texts too (title, version, dates and SHA-256 only: what
    pages that link the version and orders that record it need).
    """
    at = at or timezone.now()
    languages = [language] if language == LegalDocument.Language.DE else [language, "de"]
    for lang in languages:
        candidates = (
            LegalDocument.objects.published()
            .filter(kind=kind, language=lang, valid_from__lte=at, published_at__lte=at)
            .order_by("-version")
        )
        fields = candidates.only(*_LIST_FIELDS) if metadata_only else candidates.defer("pdf")
        doc = fields.first()
        if doc is not None:
            return doc
    return None


def document_version(
    *, kind: str, language: str, version: int, metadata_only: bool = False
) -> LegalDocument | None:
    """One published version (PDF deferred; with ``metadata_only`` the texts too),
    or None; drafts are never returned."""
    candidates = LegalDocument.objects.published().filter(
        kind=kind, language=language, version=version
    )
    return (candidates.only(*_LIST_FIELDS) if metadata_only else candidates.defer("pdf")).first()


def document_versions(*, kind: str, language: str) -> QuerySet[LegalDocument]:
    """All published versions of ``kind`` in ``language``, newest first, including
    ones published ahead of their valid-from; metadata only (no body, no PDF)."""
    return (
        LegalDocument.objects.published()
        .filter(kind=kind, language=language)
        .only(*_LIST_FIELDS)
        .order_by("-version")
    )


def document_pdf(*, kind: str, language: str, version: int) -> LegalDocument | None:
    """A published version with just what serving its PDF needs (bytes, hash, name)."""
    return (
        LegalDocument.objects.published()
        .filter(kind=kind, language=language, version=version)
        .only("id", "kind", "language", "version", "sha256", "pdf")
        .first()
    )


def document_next_version(*, kind: str, language: str) -> int:
    """The number the next publication of ``kind`` in ``language`` would get (a
    hint for the confirmation page; the publish service assigns it under a lock)."""
    latest = LegalDocument.objects.filter(kind=kind, language=language).aggregate(n=Max("version"))
    return (latest["n"] or 0) + 1


@dataclass(frozen=True)
class CurrentPage:
    """What the page of a document's current version shows besides the text:
    the version in force (metadata only; the text is read when its rendered
    form is not cached, ``LegalDocument.sanitised_body_html``) and all versions."""

    document: LegalDocument
    versions: list[LegalDocument]


def _current_page_key(kind: str, language: str) -> str:
    return f"legal.current.{kind}.{language}"


def current_page(*, kind: str, language: str, at: datetime | None = None) -> CurrentPage | None:
    """``document_current`` and ``document_versions`` for the current page, reused
    from the Django cache (None: no version in force).

    Kept for ``LEGAL_PAGE_CACHE_SECONDS``, never past the next valid-from of a
    published version of ``kind`` (then another version comes into force by
    itself), and cleared whenever a legal document is saved or deleted
    (``current_page_cache_clear``), so a publication shows at once in this
    process (within the cache time in others without a shared cache).
    """
    at = at or timezone.now()
    seconds = settings.LEGAL_PAGE_CACHE_SECONDS
    key = _current_page_key(kind, language)
    if seconds > 0:
        cached = cache.get(key)
        if cached is not None:
            filled_at, until, page = cached
            if filled_at <= at < until:
                return page  # type: ignore[no-any-return]
    document = document_current(kind=kind, language=language, at=at, metadata_only=True)
    page = None
    if document is not None:
        versions = list(document_versions(kind=kind, language=document.language))
        page = CurrentPage(document=document, versions=versions)
    if seconds > 0:
        until = at + timedelta(seconds=seconds)
        change = (
            LegalDocument.objects.published()
            .filter(kind=kind, valid_from__gt=at)
            .order_by("valid_from")
            .values_list("valid_from", flat=True)
            .first()
        )
        if change is not None and change < until:
            until = change
        cache.set(key, (at, until, page), timeout=math.ceil((until - at).total_seconds()))
    return page


def current_page_cache_clear(**kwargs: object) -> None:
    """Forget every cached current page (a legal document was saved or deleted); a
    signal receiver. Cleared at once and again after the commit: a page shown
    between the save and the commit may have cached the previous state."""
    keys = [
        _current_page_key(kind, code)
        for kind in LegalDocument.Kind.values
        for code, _name in settings.LANGUAGES
    ]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@dataclass(frozen=True)
class StoredPdf:
    """A published version's stored PDF and what serving it needs."""

    sha256: str
    filename: str
    content: bytes


#: Seconds a served PDF is kept in the Django cache. A published version never
#: changes and cannot be deleted, so any time is safe; this one bounds memory.
PDF_CACHE_SECONDS = 60 * 60


def stored_pdf(*, kind: str, language: str, version: int) -> StoredPdf | None:
    """``document_pdf`` for downloads, reused from the Django cache: a published
    version's PDF never changes (None for versions that do not exist or are drafts,
    never cached, so a later publication is served at once)."""
    key = f"legal.pdf.{kind}.{language}.{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    document = document_pdf(kind=kind, language=language, version=version)
    if document is None:
        return None
    pdf = StoredPdf(
        sha256=document.sha256, filename=document.pdf_filename, content=bytes(document.pdf)
    )
    cache.set(key, pdf, timeout=PDF_CACHE_SECONDS)
    return pdf
