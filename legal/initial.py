"""The initial legal texts (drafts for Lenze's legal team to replace in the admin).

``load_initial_documents()`` publishes each text once per kind and language
and does nothing for a kind and language that already has a published version,
so ``make run`` can call it on every start and tests can call it freely.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from legal import selectors, services
from legal.models import LegalDocument
from legal.rendering import PdfRenderer

TEXTS_DIR = Path(__file__).resolve().parent / "initial_texts"

CHANGE_SUMMARY = {
    "de": "Entwurfstext des Portals, von der Rechtsabteilung der Lenze SE zu prüfen und "
    "über die Verwaltung durch eine neue Version zu ersetzen.",
    "en": "Draft text of the portal, to be reviewed by Lenze SE's legal department and "
    "replaced with a new version through the admin.",
}

# (kind, language, title); the body is initial_texts/<kind>.<language>.md
INITIAL = [
    (LegalDocument.Kind.PRIVACY, "de", "Datenschutzerklärung Remote-Support"),
    (LegalDocument.Kind.ASB, "de", "Allgemeine Servicebedingungen (ASB) für den Remote-Support"),
    (LegalDocument.Kind.IMPRINT, "de", "Impressum"),
    (LegalDocument.Kind.PRIVACY, "en", "Privacy Notice Remote Support"),
    (LegalDocument.Kind.ASB, "en", "General Service Terms (ASB) for Remote Support"),
]


def initial_body(kind: str, language: str) -> str:
    return (TEXTS_DIR / f"{kind}.{language}.md").read_text(encoding="utf-8")


def load_initial_documents(*, pdf_renderer: PdfRenderer | None = None) -> list[LegalDocument]:
    """Publish the initial texts where a kind and language has no published version.

    Returns the current document of each initial kind and language (newly
    published or already there). Valid-from is the start of today, so texts
    loaded on the same day fingerprint alike.
    """
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    documents: list[LegalDocument] = []
    for kind, language, title in INITIAL:
        with transaction.atomic():
            if not LegalDocument.objects.published().filter(kind=kind, language=language).exists():
                draft = LegalDocument.objects.create(
                    kind=kind,
                    language=language,
                    title=title,
                    body=initial_body(kind, language),
                    valid_from=start_of_today,
                    change_summary=CHANGE_SUMMARY[language],
                )
                services.document_publish(document=draft, by=None, pdf_renderer=pdf_renderer)
        current = selectors.document_current(kind=kind, language=language)
        if current is not None and current.language == language:
            documents.append(current)
    return documents
