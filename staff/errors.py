from django.utils.translation import gettext_lazy as _


class TwoFactorError(Exception):
    """A refused second-factor step; ``message`` is one of the constants below."""

    MALFORMED = _(
        "Bitte geben Sie den sechsstelligen Code aus Ihrer Authenticator-App "
        "oder einen Ihrer achtstelligen Backup-Codes ein."
    )
    INVALID = _(
        "Dieser Code ist nicht gültig. Codes der App gelten 30 Sekunden und nur einmal, "
        "Backup-Codes nur einmal."
    )
    THROTTLED = _(
        "Zu viele falsche Codes hintereinander. Bitte warten Sie einen Moment und "
        "versuchen Sie es dann mit einem neuen Code."
    )
    NOT_ENROLLED = _("Für dieses Konto ist noch kein zweiter Faktor eingerichtet.")
    ALREADY_ENROLLED = _("Für dieses Konto ist bereits ein zweiter Faktor eingerichtet.")

    def __init__(self, message: object) -> None:
        self.message = message
        super().__init__(str(message))
