"""Versioned legal documents: privacy notice, ASB (general service terms), imprint.

Drafts are editable; a published version is evidence and never changes again
(model, admin and, on PostgreSQL, a database trigger refuse).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    body = models.TextField(_("Text (Markdown)"))
    valid_from = models.DateTimeField(_("gültig ab"))
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
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rechtstext-Version")
        verbose_name_plural = _("Rechtstext-Versionen")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="legal_document_unique_version"
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
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "language", "-valid_from"], name="legal_doc_current_idx"),
        ]

    def __str__(self) -> str:
        if self.version is None:
            return f"{self.get_kind_display()} ({self.language}, {_('Entwurf')})"
        return f"{self.get_kind_display()} ({self.language}) v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
