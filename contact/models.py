"""Messages customers send through the contact form; agents handle them in the admin."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contact.validators import validate_no_control_characters, validate_phone, validate_single_line

NAME_MAX_LENGTH = 200
COMPANY_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 40
REFERENCE_MAX_LENGTH = 64
MESSAGE_MIN_LENGTH = 10
MESSAGE_MAX_LENGTH = 5000


class ContactMessage(models.Model):
    """One message from the contact form, stored exactly as typed (shown escaped)."""

    name = models.CharField(
        _("Name"), max_length=NAME_MAX_LENGTH, validators=[validate_single_line]
    )
    company = models.CharField(
        _("Firma"), max_length=COMPANY_MAX_LENGTH, validators=[validate_single_line]
    )
    email = models.EmailField(_("E-Mail-Adresse"), max_length=EMAIL_MAX_LENGTH)
    phone = models.CharField(
        _("Telefon"),
        max_length=PHONE_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line, validate_phone],
    )
    reference = models.CharField(
        _("Bestellnummer oder Vorgangsnummer"),
        max_length=REFERENCE_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )
    message = models.TextField(
        _("Nachricht"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MinLengthValidator(MESSAGE_MIN_LENGTH), validate_no_control_characters],
    )
    language = models.CharField(
        _("Sprache"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("Sprache der Seite, von der die Nachricht kam; antworten Sie möglichst darin."),
    )
    created_at = models.DateTimeField(_("Eingegangen am"), default=timezone.now, db_index=True)
    # Set when the helpdesk's e-mail copy was accepted by the mail server (sent
    # by a background task, contact/tasks.py); empty while it is waiting.
    helpdesk_notified_at = models.DateTimeField(
        _("Helpdesk benachrichtigt am"), null=True, blank=True, editable=False
    )
    handled_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Erledigt von"),
    )

    class Meta:
        verbose_name = _("Kontaktnachricht")
        verbose_name_plural = _("Kontaktnachrichten")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["handled_at"], name="contact_msg_handled_at_idx")]
        constraints = [
            # Whoever handled a message did so at some time.
            models.CheckConstraint(
                condition=Q(handled_by__isnull=True) | Q(handled_at__isnull=False),
                name="contact_msg_handled_by_needs_handled_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.name} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
