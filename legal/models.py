"""Versioned legal documents: privacy notice, ASB (general service terms), imprint.

Drafts are editable; a published version is evidence and never changes again
(model, admin and, on PostgreSQL, a database trigger refuse).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from legal.errors import LegalError


class LegalDocumentQuerySet(models.QuerySet["LegalDocument"]):
    """Bulk writes may touch drafts only (``update()``/``delete()`` bypass ``save()``)."""

    def published(self) -> LegalDocumentQuerySet:
        return self.filter(published_at__isnull=False)

    def drafts(self) -> LegalDocumentQuerySet:
        return self.filter(published_at__isnull=True)

    def update(self, **kwargs: Any) -> int:
        if self.published().exists():
            raise LegalError(LegalError.PUBLISHED_IMMUTABLE)
        return super().update(**kwargs)

    update.queryset_only = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.published().exists():
            raise LegalError(LegalError.PUBLISHED_IMMUTABLE)
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]


class LegalDocument(models.Model):
    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Datenschutzerklärung")
        ASB = "asb", _("Allgemeine Servicebedingungen (ASB)")
        IMPRINT = "imprint", _("Impressum")

    class Language(models.TextChoices):
        DE = "de", _("Deutsch")
        EN = "en", _("Englisch")

    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    language = models.CharField(
        _("Sprache"), max_length=2, choices=Language.choices, default=Language.DE
    )
    version = models.PositiveIntegerField(
        _("Version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Wird bei der Veröffentlichung fortlaufend je Art und Sprache vergeben."),
    )
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text (Markdown)"),
        help_text=_(
            "Markdown oder einfaches HTML. Skripte, Event-Handler, Bilder und andere "
            "externe Ressourcen werden entfernt."
        ),
    )
    valid_from = models.DateTimeField(
        _("gültig ab"),
        help_text=_(
            "Ab diesem Zeitpunkt gilt die Version („Stand“). Im Voraus veröffentlichte "
            "Versionen werden zu diesem Zeitpunkt von selbst gültig."
        ),
    )
    change_summary = models.CharField(_("Änderungen"), max_length=500, blank=True)
    published_at = models.DateTimeField(
        _("veröffentlicht am"), null=True, blank=True, editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("veröffentlicht von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    body_html = models.TextField(
        _("Text (HTML, bei Veröffentlichung erzeugt)"), blank=True, editable=False
    )
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("Entwurf auf Basis von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rechtstext-Version")
        verbose_name_plural = _("Rechtstext-Versionen")
        ordering = ["kind", "language", "-version"]
        permissions = [("publish_legaldocument", _("Kann Rechtstext-Versionen veröffentlichen"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"],
                name="legal_document_unique_version",
                violation_error_message=_(
                    "Diese Versionsnummer gibt es für diese Art und Sprache bereits."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(published_at__isnull=True, version__isnull=True, sha256="")
                    | (
                        models.Q(published_at__isnull=False, version__isnull=False)
                        & ~models.Q(sha256="")
                    )
                ),
                name="legal_document_published_complete",
                violation_error_message=_(
                    "Eine veröffentlichte Version braucht Versionsnummer, Zeitpunkt und Prüfsumme."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "language", "-valid_from"], name="legal_doc_current_idx"),
        ]

    def __str__(self) -> str:
        if self.version is None:
            return f"{self.get_kind_display()} ({self.language}, {_('Entwurf')})"
        return f"{self.get_kind_display()} ({self.language}) v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save a draft; refuses once the stored row is published (it is evidence)."""
        if self.pk is not None and type(self).objects.filter(pk=self.pk).published().exists():
            raise LegalError(LegalError.PUBLISHED_IMMUTABLE)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Permanent address of exactly this published version, in its own language."""
        return self._reverse("version")

    def get_pdf_url(self) -> str:
        """Permanent address of this version's stored PDF."""
        return self._reverse("pdf")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published or type(self).objects.filter(pk=self.pk).published().exists():
            raise LegalError(LegalError.PUBLISHED_IMMUTABLE)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_upcoming(self) -> bool:
        """Published ahead of time: in force only from its valid-from on."""
        return self.valid_from > timezone.now()

    def sanitised_body_html(self) -> SafeString:
        """The stored HTML, sanitised again for display (``legal.rendering.sanitise``):
        a row written past the app must not be able to put a script on the page."""
        from legal.rendering import sanitise

        return sanitise(self.body_html)

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def pdf_filename(self) -> str:
        name = {"privacy": "Datenschutz", "asb": "ASB", "imprint": "Impressum"}[self.kind]
        if self.language == "en":
            name = {"privacy": "Privacy-Notice", "asb": "ASB", "imprint": "Imprint"}[self.kind]
        return f"Lenze-{name}-{self.language}-v{self.version}.pdf"

    def _reverse(self, what: str) -> str:
        if self.version is None:
            raise ValueError("a draft has no public address")
        with translation.override(self.language):
            return reverse(f"legal:{self.kind}_{what}", kwargs={"version": self.version})
