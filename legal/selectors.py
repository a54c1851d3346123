"""Reads with rules: which version is current, which versions exist."""

from __future__ import annotations

from datetime import datetime

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


def document_version(*, kind: str, language: str, version: int) -> LegalDocument | None:
    """One published version (PDF deferred), or None; drafts are never returned."""
    return (
        LegalDocument.objects.published()
        .filter(kind=kind, language=language, version=version)
        .defer("pdf")
        .first()
    )


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
