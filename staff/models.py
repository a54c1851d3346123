from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffEvent(models.Model):
    """What happened to a staff account's second factor, by whom and when (an audit trail)."""

    class Action(models.TextChoices):
        ENROLLED = "staff.second_factor.enrolled", _("Zweiten Faktor eingerichtet")
        BACKUP_CODES_ISSUED = "staff.backup_codes.issued", _("Neue Backup-Codes erzeugt")
        RESET = "staff.second_factor.reset", _("Zweiten Faktor zurückgesetzt")

    action = models.CharField(_("Aktion"), max_length=64, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="staff_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgeführt von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontoereignis")
        verbose_name_plural = _("Kontoereignisse")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("reset_second_factor", _("Kann den zweiten Faktor anderer Konten zurücksetzen")),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.user} ({self.created_at:%Y-%m-%d %H:%M})"
