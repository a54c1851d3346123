"""The TeamViewer side of an order: its service case."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
