"""The TeamViewer side of an order: its service case."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import RemoteSession
from orders.models import Order


class ServiceCase(models.Model):
    """The TeamViewer service case ("session" in the API) opened for one order.

    Created as ``pending`` in the order's transaction; the background task fills
    in the code and links. Holds no personal data: TeamViewer gets the order
    number and the company only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wird angelegt")
        OPEN = "open", _("offen")
        FAILED = "failed", _("Anlegen fehlgeschlagen")
        CLOSED = "closed", _("geschlossen")

    order = models.OneToOneField(
        Order,
        verbose_name=_("Auftrag"),
        on_delete=models.PROTECT,
        related_name="teamviewer_case",
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    code = models.CharField(_("Sitzungscode"), max_length=20, blank=True)
    end_customer_link = models.URLField(_("Link für den Kunden"), max_length=500, blank=True)
    supporter_link = models.URLField(_("Link für den Helpdesk"), max_length=500, blank=True)
    webclient_supporter_link = models.URLField(
        _("Link für den Helpdesk (Web-Client)"), max_length=500, blank=True
    )
    requested_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    created_at = models.DateTimeField(_("in TeamViewer angelegt am"), null=True, blank=True)
    valid_until = models.DateTimeField(_("gültig bis"), null=True, blank=True)
    # Set when the order reaches a status that ends the case; cleared once TeamViewer
    # has closed it (closed_at set).
    close_requested_at = models.DateTimeField(_("Schließen angefordert am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("in TeamViewer geschlossen am"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    # A worker holds the case while it talks to TeamViewer (no row lock across HTTP).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("letzter Fehler"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(_("letzter Fehler am"), null=True, blank=True)
    reports_synced_at = models.DateTimeField(
        _("Verbindungsberichte abgeglichen am"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("TeamViewer-Servicefall")
        verbose_name_plural = _("TeamViewer-Servicefälle")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="teamviewer_case_code_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="open") | ~models.Q(code=""),
                name="teamviewer_case_open_has_code",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="teamviewer_case_due_idx"),
        ]

    def __str__(self) -> str:
        return self.code or f"{self.order_id} ({self.get_status_display()})"

    @property
    def connectable(self) -> bool:
        """The customer can use the join link now."""
        return (
            self.status == self.Status.OPEN
            and bool(self.end_customer_link)
            and (self.valid_until is None or self.valid_until > timezone.now())
        )


class ConnectionReport(models.Model):
    """One connection of a service case as TeamViewer's connection report
    recorded it (imported once: the record id is unique), and the billing mark
    the portal wants TeamViewer to hold for it."""

    class Problem(models.TextChoices):
        NONE = "", _("keines")
        END_BEFORE_START = "end_before_start", _("Ende vor Beginn")
        OVERLAP = "overlap", _("überschneidet sich mit einer erfassten Sitzung")
        ORDER_FINAL = "order_final", _("Auftrag bereits abgeschlossen")

    record_id = models.CharField(_("Bericht-ID (TeamViewer)"), max_length=64, unique=True)
    case = models.ForeignKey(
        ServiceCase,
        verbose_name=_("Servicefall"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    started_at = models.DateTimeField(_("Beginn"))
    ended_at = models.DateTimeField(_("Ende"))
    supporter_name = models.CharField(_("Mitarbeiter (TeamViewer)"), max_length=200, blank=True)
    supporter_id = models.CharField(_("Benutzer-ID (TeamViewer)"), max_length=50, blank=True)
    # The order's session made from this record; empty while the record is flagged.
    session = models.OneToOneField(
        RemoteSession,
        verbose_name=_("Remote-Sitzung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teamviewer_report",
    )
    problem = models.CharField(
        _("Problem"), max_length=20, choices=Problem.choices, blank=True, default=""
    )
    imported_at = models.DateTimeField(_("übernommen am"), default=timezone.now)
    # The mark TeamViewer holds for the record as last seen or set by us, and the
    # one the order's status asks for; they differ while a mark is pending.
    billing_state = models.CharField(_("Abrechnungsstatus in TeamViewer"), max_length=10)
    wanted_billing_state = models.CharField(
        _("gewünschter Abrechnungsstatus"), max_length=10, blank=True
    )
    wanted_notes = models.CharField(_("Notiz für TeamViewer"), max_length=200, blank=True)
    marked_at = models.DateTimeField(_("markiert am"), null=True, blank=True)
    mark_attempts = models.PositiveSmallIntegerField(_("Markierungsversuche"), default=0)
    next_mark_at = models.DateTimeField(_("nächster Markierungsversuch"), null=True, blank=True)
    mark_error = models.CharField(_("letzter Markierungsfehler"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("TeamViewer-Verbindungsbericht")
        verbose_name_plural = _("TeamViewer-Verbindungsberichte")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(
                fields=["wanted_billing_state", "next_mark_at"], name="teamviewer_report_mark_idx"
            )
        ]

    def __str__(self) -> str:
        return self.record_id

    @property
    def in_agreement(self) -> bool:
        """TeamViewer holds the mark the order asks for (or none is asked for)."""
        return not self.wanted_billing_state or self.wanted_billing_state == self.billing_state
