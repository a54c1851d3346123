"""Writes on legal documents: drafts and their publication."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from legal import rendering, selectors
from legal.errors import LegalError
from legal.models import LegalDocument
from legal.rendering import PdfRenderer

logger = logging.getLogger(__name__)


def document_draft_from(*, document: LegalDocument, by: Any = None) -> LegalDocument:
    """A new draft with the text of ``document`` (any version or draft), to edit and
    publish as the next version. Valid-from starts at now; the editor sets it.

    ``by``: the staff user creating it (or None for the system).
    """
    draft = LegalDocument(
        kind=document.kind,
        language=document.language,
        title=document.title,
        body=document.body,
        valid_from=timezone.now(),
        change_summary="",
        based_on=document if document.pk else None,
        created_by=by,
    )
    draft.full_clean()
    draft.save()
    return draft


def document_publish(
    *, document: LegalDocument, by: Any, pdf_renderer: PdfRenderer | None = None
) -> LegalDocument:
    """Publish a draft: from now on it is immutable evidence.

    Under a lock on the kind+language it assigns the next version number,
    stores the sanitised HTML, computes the SHA-256 of the canonical text and
    renders and stores the PDF, all in one transaction. The PDF is rendered
    here rather than after commit because it is part of the frozen row.

    ``by``: the publishing user (None for the system, e.g. the initial texts).
    ``pdf_renderer``: for tests that do not need the real PDF; defaults to
    WeasyPrint (``legal.rendering.render_pdf``).

    Raises LegalError: ALREADY_PUBLISHED, INVALID_DRAFT, or RENDER_FAILED (the
    draft then stays unpublished and unchanged).
    """
    renderer = pdf_renderer or rendering.render_pdf
    with transaction.atomic():
        kind, language = (
            LegalDocument.objects.filter(pk=document.pk).values_list("kind", "language").get()
        )
        # Lock every row of this kind+language in one order (the draft is one of
        # them): concurrent publications then number one after another, and
        # never deadlock.
        list(
            LegalDocument.objects.select_for_update()
            .filter(kind=kind, language=language)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        draft = LegalDocument.objects.select_for_update().get(pk=document.pk)
        if draft.is_published:
            raise LegalError(LegalError.ALREADY_PUBLISHED)
        draft.title = draft.title.strip()
        draft.valid_from = draft.valid_from.replace(microsecond=0)  # as the fingerprint states it
        draft.body = rendering.normalise_body(draft.body)
        draft.version = selectors.document_next_version(kind=draft.kind, language=draft.language)
        draft.published_at = timezone.now()
        draft.published_by = by
        draft.sha256 = rendering.fingerprint(draft)
        draft.body_html = rendering.body_to_html(draft.body)
        try:
            draft.full_clean()
        except ValidationError as exc:
            raise LegalError(LegalError.INVALID_DRAFT, details=_join(exc)) from exc
        try:
            draft.pdf = renderer(draft, body_html=draft.body_html)
        except Exception as exc:
            logger.exception("legal: PDF render failed for draft %s", draft.pk)
            raise LegalError(LegalError.RENDER_FAILED) from exc
        draft.save()
    logger.info(
        "legal: published %s %s v%s (%s) by %s",
        draft.kind,
        draft.language,
        draft.version,
        draft.sha256,
        getattr(by, "pk", None),
    )
    for field in ("version", "published_at", "published_by", "sha256", "body_html", "pdf"):
        setattr(document, field, getattr(draft, field))
    return draft


def _join(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)
