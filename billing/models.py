"""Tariffs (the price list, versioned by valid-from) and the remote sessions
agents record on an order: what an order is billed from.

An order copies its tariff's values when it is placed (``orders.Order``); the
tariff rows stay as they were once in force, so a price change is a new row.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.charges import minutes_for, terms_constraint
from orders.errors import OrderError
from orders.models import FINAL_STATUSES, OPEN_STATUSES, Order


class Tariff(models.Model):
    """One version of the price list; the current one is the newest in force."""

    valid_from = models.DateTimeField(_("gültig ab"), unique=True)
    base_fee = models.DecimalField(
        _("Grundgebühr (netto)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    block_price = models.DecimalField(
        _("Preis je Takt (netto)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    block_minutes = models.PositiveSmallIntegerField(
        _("Taktlänge in Minuten"), validators=[MinValueValidator(1)]
    )
    vat_rate = models.DecimalField(
        _("Umsatzsteuersatz in %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("100.00"))],
    )
    currency = models.CharField(_("Währung"), max_length=3, default="EUR")
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Tarif")
        verbose_name_plural = _("Tarife")
        ordering = ["-valid_from"]
        constraints = [
            terms_constraint(name="billing_tariff_positive_values"),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0, vat_rate__lte=100),
                name="billing_tariff_vat_rate_range",
                violation_error_message=_(
                    "Der Umsatzsteuersatz muss zwischen 0 und 100 Prozent liegen."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Tarif ab %(date)s") % {
            "date": timezone.localtime(self.valid_from).strftime("%d.%m.%Y %H:%M")
        }

    @property
    def is_in_force(self) -> bool:
        return self.valid_from <= timezone.now()


def session_locked_message(status: str) -> Any:
    """Why the sessions of an order in ``status`` cannot change."""
    return OrderError.ORDER_FINAL if status in FINAL_STATUSES else OrderError.ORDER_COMPLETED


# Grace for clocks and minute-precise entry: an end "now" typed a few seconds
# ahead of the server's clock is not a session in the future.
SESSION_FUTURE_GRACE = timedelta(minutes=1)


class RemoteSession(models.Model):
    """One remote (TeamViewer) session on an order: recorded by an agent
    (``manual``) or taken from TeamViewer's connection report (``teamviewer``,
    no portal user; the supporter's TeamViewer name instead)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("manuell")
        TEAMVIEWER = "teamviewer", _("TeamViewer")

    order = models.ForeignKey(
        Order, verbose_name=_("Auftrag"), on_delete=models.PROTECT, related_name="sessions"
    )
    started_at = models.DateTimeField(_("Beginn"))
    ended_at = models.DateTimeField(_("Ende"))
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Mitarbeiter"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Database defaults too: bulk writers (bench/) insert rows with raw SQL.
    source = models.CharField(
        _("Quelle"),
        max_length=12,
        choices=Source.choices,
        default=Source.MANUAL,
        db_default=Source.MANUAL,
    )
    supporter_name = models.CharField(
        _("Mitarbeiter laut TeamViewer"), max_length=200, blank=True, default="", db_default=""
    )
    note = models.CharField(_("Notiz"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("erfasst am"), default=timezone.now, editable=False)
    # A wrongly recorded session is voided, never deleted: it stays visible with
    # who voided it and why, and no longer counts.
    voided_at = models.DateTimeField(_("storniert am"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("storniert von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    void_reason = models.CharField(
        _("Grund der Stornierung"), max_length=500, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Remote-Sitzung")
        verbose_name_plural = _("Remote-Sitzungen")
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gt=models.F("started_at")),
                name="billing_session_ends_after_start",
                violation_error_message=OrderError.SESSION_END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=models.Q(source="teamviewer") | models.Q(agent__isnull=False),
                name="billing_session_manual_has_agent",
                violation_error_message=OrderError.SESSION_WITHOUT_AGENT,
            ),
        ]
        indexes = [models.Index(fields=["order", "started_at"], name="billing_session_order_idx")]

    def __str__(self) -> str:
        start = timezone.localtime(self.started_at)
        end = timezone.localtime(self.ended_at)
        return f"{start:%d.%m.%Y %H:%M:%S} - {end:%H:%M:%S}"

    def clean(self) -> None:
        """End after start, nothing in the future, no overlap with the order's
        counting sessions, order still open (placed or in progress)."""
        errors = []
        if self.order_id is not None and self.order.status not in OPEN_STATUSES:
            errors.append(ValidationError(session_locked_message(self.order.status), code="locked"))
        if self.started_at is not None and self.ended_at is not None:
            if self.ended_at <= self.started_at:
                errors.append(
                    ValidationError(OrderError.SESSION_END_BEFORE_START, code="end_before_start")
                )
            if max(self.started_at, self.ended_at) > timezone.now() + SESSION_FUTURE_GRACE:
                errors.append(ValidationError(OrderError.SESSION_IN_FUTURE, code="future"))
            if self.order_id is not None and self.ended_at > self.started_at:
                overlapping = RemoteSession.objects.filter(
                    order_id=self.order_id,
                    voided_at__isnull=True,
                    started_at__lt=self.ended_at,
                    ended_at__gt=self.started_at,
                ).exclude(pk=self.pk)
                if overlapping.exists():
                    errors.append(ValidationError(OrderError.SESSION_OVERLAP, code="overlap"))
        if errors:
            raise ValidationError(errors)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at

    @property
    def minutes(self) -> Decimal:
        """Duration in minutes, two decimals (21:30 -> 21.50)."""
        return minutes_for(self.duration // timedelta(seconds=1))
