"""Support requests (the e-mailed link), orders and their event log.

An order is evidence and an accounting record: it copies what the customer saw
(document versions with their SHA-256, consent sentence, button label, tariff
values) instead of pointing at live data, and it is never deleted by the app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from billing.charges import VatTreatment
from legal.models import LegalDocument
from lenze_support.validators import validate_single_line
from orders.errors import OrderError

# One definition: the languages the legal documents, and so the order pages, exist in.
Language = LegalDocument.Language


class SupportRequest(models.Model):
    """A customer case for which the helpdesk e-mails a personal order link.

    Only the SHA-256 of the link's token is stored; the token itself exists
    only in the e-mail (and once on the agent's screen).
    """

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        ORDERED = "ordered", _("bestellt")
        EXPIRED = "expired", _("abgelaufen")
        REVOKED = "revoked", _("widerrufen")

    class ViesStatus(models.TextChoices):
        # Values match vat.vies.ViesStatus.
        UNCHECKED = "unchecked", _("nicht geprüft")
        CONFIRMED = "confirmed", _("von VIES bestätigt")
        INVALID = "invalid", _("von VIES als ungültig gemeldet")
        NOT_CONFIRMED = "not_confirmed", _("nicht bestätigt (VIES nicht erreichbar)")

    company = models.CharField(_("Firma"), max_length=200)
    contact_name = models.CharField(_("Ansprechpartner"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"))
    case_reference = models.CharField(_("Vorgangsnummer"), max_length=100, blank=True)
    language = models.CharField(
        _("Sprache"), max_length=2, choices=Language.choices, default=Language.DE
    )
    country = CountryField(_("Land"), default="DE")
    vat_id = models.CharField(
        _("USt-IdNr."),
        max_length=20,
        blank=True,
        help_text=_(
            "Nur für Unternehmen in der EU außerhalb Deutschlands nötig (Reverse Charge). "
            "Leerzeichen, Punkte und Kleinschreibung sind egal; Länderkennung und Prüfziffer "
            "werden geprüft."
        ),
    )
    vies_status = models.CharField(
        _("VIES-Prüfung"), max_length=20, choices=ViesStatus.choices, default=ViesStatus.UNCHECKED
    )
    vies_checked_at = models.DateTimeField(_("VIES geprüft am"), null=True, blank=True)
    vies_request_identifier = models.CharField(_("VIES-Abfragekennung"), max_length=100, blank=True)
    vies_error = models.CharField(
        _("VIES-Fehlercode"),
        max_length=100,
        blank=True,
        help_text=_("Warum VIES nicht bestätigt hat, z. B. MS_UNAVAILABLE oder TIMEOUT."),
    )
    # Customers outside the EU: the agent confirms they are a business, with the
    # evidence held (the place of supply is then the customer's seat).
    business_evidence = models.CharField(
        _("Nachweis der Unternehmereigenschaft"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Handelsregister- oder UID-Nummer, Steuerbescheinigung"),
    )
    business_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Unternehmereigenschaft bestätigt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    business_confirmed_at = models.DateTimeField(
        _("Unternehmereigenschaft bestätigt am"), null=True, blank=True
    )
    token_hash = models.CharField(_("Link-Prüfwert (SHA-256)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    emailed_at = models.DateTimeField(_("E-Mail versandt am"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Link gültig bis"))
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Supportanfrage")
        verbose_name_plural = _("Supportanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="orders_support_request_expires_after_creation",
                violation_error_message=_("Der Link muss nach dem Anlegen der Anfrage ablaufen."),
            ),
            models.CheckConstraint(
                condition=models.Q(business_confirmed_at__isnull=True)
                | ~models.Q(business_evidence=""),
                name="orders_support_request_business_confirmation_has_evidence",
                violation_error_message=OrderError.BUSINESS_EVIDENCE_MISSING,
            ),
        ]

    def __str__(self) -> str:
        if self.case_reference:
            return f"{self.company} ({self.case_reference})"
        return self.company

    def clean(self) -> None:
        """Company, contact and case reference are one line each: they end up in the
        helpdesk's plain-text e-mails and in CSV cells (no migration: checked here,
        which the admin form and ``full_clean()`` in the services both run)."""
        super().clean()
        errors: dict[str, list[str]] = {}
        for field in ("company", "contact_name", "case_reference"):
            try:
                validate_single_line(getattr(self, field))
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def has_order(self) -> bool:
        try:
            return self.order is not None
        except Order.DoesNotExist:
            return False

    def state_at(self, at=None) -> "SupportRequest.State":
        """Ordered wins over revoked and expired: an order stays an order."""
        at = at or timezone.now()
        if self.has_order:
            return self.State.ORDERED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= at:
            return self.State.EXPIRED
        return self.State.OPEN

    @property
    def state(self) -> "SupportRequest.State":
        return self.state_at()

    @property
    def is_business_confirmed(self) -> bool:
        return self.business_confirmed_at is not None


class OrderNumberCounter(models.Model):
    """Last order number handed out per year; its row is locked while numbering."""

    year = models.PositiveSmallIntegerField(_("Jahr"), primary_key=True)
    last_number = models.PositiveIntegerField(_("zuletzt vergebene Nummer"), default=0)

    class Meta:
        verbose_name = _("Auftragsnummernkreis")
        verbose_name_plural = _("Auftragsnummernkreise")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Order(models.Model):
    """The contract concluded by pressing the order button, with its evidence."""

    class Status(models.TextChoices):
        PLACED = "placed", _("bestellt")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        COMPLETED = "completed", _("abgeschlossen")
        BILLED = "billed", _("abgerechnet")
        TRANSFERRED = "transferred", _("auf Field-Service-Einsatz übertragen")
        CANCELLED = "cancelled", _("storniert")

    VatTreatment = VatTreatment

    number = models.CharField(_("Auftragsnummer"), max_length=20, unique=True, editable=False)
    support_request = models.OneToOneField(
        SupportRequest,
        verbose_name=_("Supportanfrage"),
        on_delete=models.PROTECT,
        related_name="order",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLACED
    )
    placed_at = models.DateTimeField(_("bestellt am (Serverzeit)"))
    language = models.CharField(
        _("Sprache der Bestellseite"), max_length=2, choices=Language.choices
    )
    privacy_document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("Datenschutzerklärung (Version)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    privacy_sha256 = models.CharField(_("SHA-256 der Datenschutzerklärung"), max_length=64)
    asb_document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("ASB (Version)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asb_sha256 = models.CharField(_("SHA-256 der ASB"), max_length=64)
    consent_text = models.TextField(_("Einwilligungstext wie angezeigt"))
    button_label = models.CharField(_("Beschriftung des Bestellbuttons"), max_length=100)
    tariff = models.ForeignKey(
        "billing.Tariff", verbose_name=_("Tarif"), on_delete=models.PROTECT, related_name="orders"
    )
    base_fee = models.DecimalField(_("Grundgebühr (netto)"), max_digits=12, decimal_places=2)
    block_price = models.DecimalField(_("Preis je Takt (netto)"), max_digits=12, decimal_places=2)
    block_minutes = models.PositiveSmallIntegerField(_("Taktlänge in Minuten"))
    vat_rate = models.DecimalField(_("Umsatzsteuersatz in %"), max_digits=5, decimal_places=2)
    currency = models.CharField(_("Währung"), max_length=3)
    vat_treatment = models.CharField(
        _("Umsatzsteuerliche Behandlung"), max_length=20, choices=VatTreatment.choices
    )
    customer_country = CountryField(_("Land des Kunden"))
    customer_vat_id = models.CharField(_("USt-IdNr. des Kunden"), max_length=20, blank=True)
    field_service_reference = models.CharField(
        _("Field-Service-Auftragsnummer"),
        max_length=50,
        blank=True,
        help_text=_("Gesetzt beim Übertragen auf einen Field-Service-Einsatz."),
    )
    # What the order bills, frozen when it is completed or transferred and read by
    # the list, the order page, the CSV export and the statement from then on; a
    # change of the billing rule or the tariff never changes them. Cleared only
    # when a lead reopens a completed order (docs/billing.md, "Frozen figures").
    billed_seconds = models.PositiveIntegerField(
        _("abgerechnete Zeit (Sekunden)"), null=True, blank=True, editable=False
    )
    billed_blocks = models.PositiveIntegerField(
        _("abgerechnete Takte"), null=True, blank=True, editable=False
    )
    billed_net = models.DecimalField(
        _("Netto (festgeschrieben)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    billed_vat_rate = models.DecimalField(
        _("angewandter USt-Satz in % (festgeschrieben)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    billed_vat = models.DecimalField(
        _("USt (festgeschrieben)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    billed_gross = models.DecimalField(
        _("Brutto (festgeschrieben)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    billing_rule_version = models.CharField(
        _("Version der Abrechnungsregel"), max_length=20, blank=True, editable=False
    )
    figures_frozen_at = models.DateTimeField(
        _("Beträge festgeschrieben am"), null=True, blank=True, editable=False
    )
    # Empty while the helpdesk's e-mail about the order is pending (mail server down):
    # `manage.py send_pending_notifications` and an admin action send it later.
    helpdesk_notified_at = models.DateTimeField(
        _("Helpdesk benachrichtigt am"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Auftrag")
        verbose_name_plural = _("Aufträge")
        ordering = ["-placed_at"]
        permissions = [
            ("close_order", _("Aufträge abrechnen, übertragen oder stornieren")),
            ("export_order", _("Aufträge für die Rechnungsstellung exportieren")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(base_fee__gte=0, block_price__gte=0, block_minutes__gte=1),
                name="orders_order_positive_tariff",
                violation_error_message=_(
                    "Preise dürfen nicht negativ sein, ein Takt dauert mindestens eine Minute."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(vat_treatment="reverse_charge") | ~models.Q(customer_vat_id=""),
                name="orders_order_reverse_charge_needs_vat_id",
                violation_error_message=_("Reverse Charge setzt eine USt-IdNr. voraus."),
            ),
            # The frozen figures are set and cleared together.
            models.CheckConstraint(
                condition=models.Q(
                    figures_frozen_at__isnull=True,
                    billed_seconds__isnull=True,
                    billed_blocks__isnull=True,
                    billed_net__isnull=True,
                    billed_vat_rate__isnull=True,
                    billed_vat__isnull=True,
                    billed_gross__isnull=True,
                )
                | models.Q(
                    figures_frozen_at__isnull=False,
                    billed_seconds__isnull=False,
                    billed_blocks__isnull=False,
                    billed_net__isnull=False,
                    billed_vat_rate__isnull=False,
                    billed_vat__isnull=False,
                    billed_gross__isnull=False,
                ),
                name="orders_order_frozen_figures_complete",
                violation_error_message=_("Die festgeschriebenen Beträge sind unvollständig."),
            ),
        ]
        # The admin list at a million orders (docs/benchmarks.md, "Scale"): newest
        # first, alone or filtered by status, VAT treatment or tariff, read in index
        # order. Trigram indexes for the search are PostgreSQL-only (migration 0006).
        indexes = [
            models.Index(fields=["-placed_at", "-id"], name="orders_order_placed_idx"),
            models.Index(
                fields=["status", "-placed_at", "-id"], name="orders_order_status_placed_idx"
            ),
            models.Index(
                fields=["vat_treatment", "-placed_at", "-id"], name="orders_order_vat_placed_idx"
            ),
            models.Index(
                fields=["tariff", "-placed_at", "-id"], name="orders_order_tariff_placed_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderEvent(models.Model):
    """One entry of an order's history (placed, status changes, …)."""

    order = models.ForeignKey(
        Order, verbose_name=_("Auftrag"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("Aktion"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgeführt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(
        _("Akteur"), max_length=100, blank=True, help_text=_("z. B. „customer“ ohne Benutzerkonto")
    )
    from_status = models.CharField(
        _("vorheriger Status"), max_length=20, choices=Order.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("neuer Status"), max_length=20, choices=Order.Status.choices, blank=True
    )
    note = models.TextField(_("Notiz"), blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("Auftragsereignis")
        verbose_name_plural = _("Auftragsereignisse")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"


FINAL_STATUSES = frozenset({Order.Status.BILLED, Order.Status.TRANSFERRED, Order.Status.CANCELLED})
# Sessions are recorded, changed and voided only while an order is open; from
# "completed" on they are the basis of the frozen figures.
OPEN_STATUSES = frozenset({Order.Status.PLACED, Order.Status.IN_PROGRESS})
